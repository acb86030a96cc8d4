/**
 * The sandbox's insights routes, on the emulated account whose credentials only this process holds:
 * `GET /api/insights` answers the report (`npm run insights -- --json`'s document) for the page's Insights view,
 * and `GET /api/insights/sessions` the window's session outcomes, for `npm run insights` run without credentials.
 * Both read Sync with the recorder's own reader, as the CLI does against Twilio.
 */
import type { ServerResponse } from 'node:http';
import { createTwilioClient } from '../assets/twilio/gateway.private';
import { readInsights, SANDBOX_SESSIONS_PATH, windowFromQuery } from '../scripts/insights/read';
import { buildReport } from '../scripts/insights/report';

export const SANDBOX_REPORT_PATH = '/api/insights';

export interface InsightsRouteOptions {
  emulatorUrl: string;
  accountSid: string;
  authToken: string;
}

type Send = (res: ServerResponse, status: number, type: string, body: string) => void;

/** Handles an insights route; false for any other URL. */
export function insightsRoutes(options: InsightsRouteOptions, send: Send) {
  const client = createTwilioClient({
    ACCOUNT_SID: options.accountSid,
    AUTH_TOKEN: options.authToken,
    TWILIO_API_BASE_URL: options.emulatorUrl,
  });
  let syncServiceSid: Promise<string> | undefined;
  // The functions keep sessions in the Sync service the emulator provisioned (see scripts/local-stack).
  const syncService = () =>
    (syncServiceSid ??= fetch(`${options.emulatorUrl}/__emulator/account`)
      .then((answer) => answer.json() as Promise<{ syncServiceSid: string }>)
      .then((account) => account.syncServiceSid)
      .catch((error: unknown) => {
        syncServiceSid = undefined;
        throw error;
      }));

  return async (method: string | undefined, url: URL, res: ServerResponse): Promise<boolean> => {
    if (method !== 'GET' || (url.pathname !== SANDBOX_REPORT_PATH && url.pathname !== SANDBOX_SESSIONS_PATH)) {
      return false;
    }
    const window = windowFromQuery(url.searchParams);
    if (typeof window === 'string') {
      send(res, 400, 'application/json', JSON.stringify({ error: window }));
      return true;
    }
    const sessionsWanted = url.pathname === SANDBOX_SESSIONS_PATH;
    const data = await readInsights(client, await syncService(), window, {
      taught: sessionsWanted && url.searchParams.get('taught') === '1',
    });
    send(res, 200, 'application/json', JSON.stringify(sessionsWanted ? data : buildReport(data.outcomes, window)));
    return true;
  };
}
