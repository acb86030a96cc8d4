/** Helpers for tests that drive the emulator: a clock they move, SDK clients, control calls. */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { createTwilioClient, rewriteTwilioUrl, type TwilioClient } from '../assets/twilio/gateway.private';
import type { Clock } from './clock';
import { type EmulatorOptions, launchEmulator, type RunningEmulator } from './launch';

export class FakeClock implements Clock {
  constructor(private ms = Date.UTC(2025, 0, 1)) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** An emulator whose TTLs and rate limits follow `clock`. */
export function startEmulatorWithClock(clock: Clock, options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return launchEmulator(options, clock);
}

/** The project's own client (the seam), retrying 429s. */
export function sdkClient(emulator: RunningEmulator): TwilioClient {
  return createTwilioClient({
    ACCOUNT_SID: emulator.account.sid,
    AUTH_TOKEN: emulator.account.authToken,
    TWILIO_API_BASE_URL: emulator.url,
  });
}

/** A client through the same seam that surfaces 429s instead of retrying them. */
export function sdkClientWithoutRetry(emulator: RunningEmulator): TwilioClient {
  class Redirecting extends twilio.RequestClient {
    request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request<TData>({ ...opts, uri: rewriteTwilioUrl(opts.uri, emulator.url) });
    }
  }
  return twilio(emulator.account.sid, emulator.account.authToken, {
    httpClient: new Redirecting({ autoRetry: false }),
  });
}

export interface ControlAnswer<T> {
  status: number;
  json: T;
}

/** Calls `/__emulator<path>` with an optional JSON body. */
export async function control<T = unknown>(
  emulator: { url: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<ControlAnswer<T>> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
}

/** A control call that must succeed: its JSON answer, or an error naming the call and what it answered. */
export async function controlOk<T = unknown>(
  emulator: { url: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const answer = await control<T>(emulator, method, path, body);
  if (answer.status >= 300)
    throw new Error(`emulator ${method} ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

/** A raw Twilio API call with the account's basic auth, as `fetch` sees it. */
export function twilioRequest(
  emulator: RunningEmulator,
  method: string,
  path: string,
  form?: Record<string, string | string[]>,
  auth = `${emulator.account.sid}:${emulator.account.authToken}`,
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, values] of Object.entries(form ?? {})) {
    for (const value of [values].flat()) body.append(name, value);
  }
  return fetch(`${emulator.url}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
    body: form && body,
  });
}

/** A Function's or an Asset's new version, uploaded as twilio-run does: multipart on serverless-upload. */
export function serverlessUpload(
  emulator: RunningEmulator,
  /** `/Services/ZS…/Functions/ZH…/Versions` (or `Assets`) */
  path: string,
  fields: { Path: string; Visibility: string; content: string; contentType?: string },
): Promise<Response> {
  const form = new FormData();
  form.append('Path', fields.Path);
  form.append('Visibility', fields.Visibility);
  const type = fields.contentType ?? 'application/javascript';
  form.append('Content', new Blob([fields.content], { type }), fields.Path.split('/').pop());
  const auth = Buffer.from(`${emulator.account.sid}:${emulator.account.authToken}`).toString('base64');
  return fetch(`${emulator.url}/serverless-upload/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Basic ${auth}` },
    body: form,
  });
}
