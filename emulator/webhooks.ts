/**
 * Delivers a webhook the way Twilio does: form-encoded POST, `X-Twilio-Signature` computed by the official
 * SDK over the URL and the sorted parameters, Twilio's proxy User-Agent. Shared by every product that calls
 * back into the application (Messaging now; TaskRouter and Conversations events later).
 */
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';

/** `invalid` signs with the wrong key; `none` leaves the header out: both for testing the receiver's check. */
export type SignatureMode = 'valid' | 'invalid' | 'none';

export interface WebhookOptions {
  signature?: SignatureMode;
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
  { signature = 'valid', headers = {}, timeoutMs = DEFAULT_TIMEOUT_MS }: WebhookOptions = {},
): Promise<WebhookResult> {
  const signingKey = signature === 'invalid' ? `not-${authToken}` : authToken;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'TwilioProxy/1.1',
      ...(signature === 'none'
        ? {}
        : { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(signingKey, url, params) }),
      ...headers,
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body,
    durationMs: Math.round(performance.now() - started),
  };
}
