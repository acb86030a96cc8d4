/**
 * Where a report's sessions come from: the account's Sync index, read with the recorder's own reader, either
 * directly (credentials in `.env`) or through the sandbox of a running `npm start` (the local emulator, whose
 * account only that process knows).
 */
import '../runtime-assets';
import type { SessionOutcome } from '../../assets/insights/outcome.private';
import type { TaughtSuggestion } from '../../assets/insights/kb-suggestions.private';
import { readSessionOutcomes, readTaughtSuggestions } from '../../assets/insights/sessions-index.private';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { UsageError } from '../admin/env';
import { DEFAULT_DAYS } from './options';
import type { ReportWindow } from './report';

export interface InsightsData {
  outcomes: SessionOutcome[];
  /** The reps' taught suggestions, when asked for. */
  taught: TaughtSuggestion[];
  /** Twilio reads the sessions took. */
  reads: number;
}

export type ReadProgress = (progress: { reads: number; sessions: number }) => void;

/** The window's sessions (and the taught suggestions, when asked), paged reads of Sync. */
export async function readInsights(
  client: TwilioClient,
  syncServiceSid: string,
  window: ReportWindow,
  options: { taught: boolean },
  onProgress?: ReadProgress,
): Promise<InsightsData> {
  let reads = 0;
  const [outcomes, taught] = await Promise.all([
    readSessionOutcomes(client, syncServiceSid, window, (progress) => {
      reads = progress.reads;
      onProgress?.(progress);
    }),
    options.taught ? readTaughtSuggestions(client, syncServiceSid) : Promise.resolve([]),
  ]);
  return { outcomes, taught, reads };
}

/** The sandbox's route for the CLI: the window's sessions as `readInsights` gives them. */
export const SANDBOX_SESSIONS_PATH = '/api/insights/sessions';

/** The query a window (and whether taught suggestions are wanted) travels in to the sandbox. */
export function windowQuery(window: ReportWindow, taught = false): URLSearchParams {
  return new URLSearchParams({
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    ...(window.twilioNumber && { number: window.twilioNumber }),
    ...(taught && { taught: '1' }),
  });
}

/** The window a sandbox request names, or a message saying what is wrong with it. */
export function windowFromQuery(query: URLSearchParams, now: Date = new Date()): ReportWindow | string {
  const to = query.has('to') ? new Date(query.get('to') ?? '') : now;
  const from = query.has('from')
    ? new Date(query.get('from') ?? '')
    : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  const number = query.get('number');
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return 'from and to must be ISO 8601 instants';
  if (from >= to) return 'to must be after from';
  return { from, to, ...(number && { twilioNumber: number }) };
}

/** The sessions through a running `npm start`'s sandbox, which holds the emulated account's credentials. */
export async function readFromSandbox(
  sandboxUrl: string,
  window: ReportWindow,
  taught: boolean,
): Promise<InsightsData> {
  const url = `${sandboxUrl}${SANDBOX_SESSIONS_PATH}?${windowQuery(window, taught)}`;
  let answer: Response;
  try {
    answer = await fetch(url);
  } catch {
    throw new UsageError([
      `No Twilio credentials (ACCOUNT_SID, AUTH_TOKEN) in .env, and no local sandbox at ${sandboxUrl}: ` +
        'start the product on the emulator with npm start (SANDBOX_PORT if not 3002), or put your account in .env.',
    ]);
  }
  if (!answer.ok) throw new Error(`The sandbox answered ${answer.status}: ${await answer.text()}`);
  return (await answer.json()) as InsightsData;
}
