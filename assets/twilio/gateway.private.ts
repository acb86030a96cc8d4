/**
 * The one way this project reaches Twilio. With TWILIO_API_BASE_URL set (the local emulator), every request,
 * SDK and plain HTTP alike, goes from `https://<sub>.twilio.com<path>` to `<TWILIO_API_BASE_URL>/<sub><path>`.
 */
import twilio from 'twilio';
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type RequestClient from 'twilio/lib/base/RequestClient';

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

export type TwilioClient = twilio.Twilio;

/** The configuration a client needs; functions pass their `context`, scripts pass `process.env`. */
export interface TwilioCredentials {
  ACCOUNT_SID?: string;
  AUTH_TOKEN?: string;
  TWILIO_API_BASE_URL?: string;
}

const MAX_RETRIES = 3;
const TWILIO_HOST = /^https:\/\/([a-z0-9.-]+)\.twilio\.com(\/.*)?$/i;

/** Rewrites a Twilio URL onto the emulator base URL; other URLs, or no base URL, pass unchanged. */
export function rewriteTwilioUrl(url: string, baseUrl: string | undefined): string {
  if (!baseUrl) return url;
  const match = TWILIO_HOST.exec(url);
  if (!match) return url;
  return `${baseUrl.replace(/\/+$/, '')}/${match[1].toLowerCase()}${match[2] ?? ''}`;
}

/** Whether a URL belongs to Twilio, so it may receive the account's credentials. */
export function isTwilioUrl(url: string): boolean {
  return TWILIO_HOST.test(url);
}

class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ autoRetry: true, maxRetries: MAX_RETRIES });
  }

  request<TData>(opts: RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rewriteTwilioUrl(opts.uri, this.baseUrl) });
  }
}

function clientOptions(baseUrl: string | undefined): twilio.ClientOpts {
  return baseUrl ? { httpClient: new RedirectingRequestClient(baseUrl) } : { autoRetry: true, maxRetries: MAX_RETRIES };
}

const SERVER_ERROR_RETRIES = 2;

function isServerError(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 500;
}

/**
 * Retries a Twilio call that failed with a 5xx (the SDK already retries 429s). Only for calls that are safe to
 * repeat: reads, and writes made idempotent by a unique key or an `If-Match` revision.
 */
export async function retryOnServerError<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= SERVER_ERROR_RETRIES || !isServerError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

/** The Twilio client of a function invocation (the SDK retries 429s with back-off). */
export function getTwilioClient(context: Context<TwilioCredentials>): TwilioClient {
  return context.getTwilioClient(clientOptions(context.TWILIO_API_BASE_URL)) as unknown as TwilioClient;
}

/** The same client for scripts run outside Twilio Functions (setup, doctor, bench). */
export function createTwilioClient(env: TwilioCredentials): TwilioClient {
  return twilio(env.ACCOUNT_SID, env.AUTH_TOKEN, clientOptions(env.TWILIO_API_BASE_URL));
}

/**
 * Plain HTTP to Twilio outside the SDK (media downloads, Media Content Service uploads), with the account's
 * basic auth. Refuses non-Twilio URLs so credentials never leave Twilio.
 */
export async function twilioFetch(env: TwilioCredentials, url: string, init: RequestInit = {}): Promise<Response> {
  if (!isTwilioUrl(url)) throw new Error(`Refusing to send Twilio credentials to ${new URL(url).host}`);
  const headers = new Headers(init.headers);
  const basic = Buffer.from(`${env.ACCOUNT_SID}:${env.AUTH_TOKEN}`).toString('base64');
  headers.set('Authorization', `Basic ${basic}`);
  return fetch(rewriteTwilioUrl(url, env.TWILIO_API_BASE_URL), { ...init, headers });
}
