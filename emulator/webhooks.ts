/**
 * Delivers a webhook the way Twilio does: form-encoded POST, `X-Twilio-Signature` computed by the official
 * SDK over the URL and the sorted parameters, Twilio's proxy User-Agent. Event Streams' webhook sinks instead
 * POST JSON to the URL with `bodySHA256=<hex SHA-256 of the body>` added to its query, signed over that URL
 * alone (what twilio-node's `validateRequestWithBody` checks). Shared by every product that calls back into
 * the application.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';

/** `invalid` signs with the wrong key; `none` leaves the header out: both for testing the receiver's check. */
export type SignatureMode = 'valid' | 'invalid' | 'none';

export interface WebhookOptions {
  signature?: SignatureMode;
  /** A JSON body (Event Streams), sent instead of `params`. */
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface WebhookResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export async function sendWebhook(
  url: string,
  params: Record<string, string>,
  authToken: string,
  { signature = 'valid', headers = {}, timeoutMs = DEFAULT_TIMEOUT_MS, json }: WebhookOptions = {},
): Promise<WebhookResult> {
  const signingKey = signature === 'invalid' ? `not-${authToken}` : authToken;
  const body = json === undefined ? new URLSearchParams(params).toString() : JSON.stringify(json);
  const target = json === undefined ? url : withBodyHash(url, body);
  const started = performance.now();
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'Content-Type': json === undefined ? 'application/x-www-form-urlencoded' : 'application/json',
      'User-Agent': 'TwilioProxy/1.1',
      ...(signature === 'none'
        ? {}
        : {
            'X-Twilio-Signature': twilio.getExpectedTwilioSignature(
              signingKey,
              target,
              json === undefined ? params : {},
            ),
          }),
      ...headers,
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
    durationMs: Math.round(performance.now() - started),
  };
}

/** The URL with the body's SHA-256 (hex) in its query, as Event Streams calls a webhook sink. */
function withBodyHash(url: string, body: string): string {
  const hash = createHash('sha256').update(body, 'utf8').digest('hex');
  return `${url}${url.includes('?') ? '&' : '?'}bodySHA256=${hash}`;
}
