/**
 * The one check that a request comes from Twilio, for our account. twilio-run does not check signatures
 * locally and our functions are public (/flex/handoff also takes a bearer key), so every function checks in code.
 */
import twilio from 'twilio';
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type * as Http from './http.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { HttpError } = load<typeof Http>('/edge/http.js');

interface SignedContext {
  AUTH_TOKEN?: string;
  ACCOUNT_SID?: string;
}

/** The webhook's own parameters: what Twilio signed, without the runtime's `request` envelope. */
export function webhookParams(event: Http.Event): Record<string, string> {
  const { request: _request, ...params } = event;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]));
}

export function header(event: Http.Event, name: string): string | undefined {
  const value = event.request?.headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether `valid` holds for this function's public URL (with `search`): behind a proxy or locally the scheme
 * can differ from what the function sees, so both are tried (the signature still has to match the exact host,
 * path and parameters).
 */
function forEitherScheme(context: Context<SignedContext>, search: string, valid: (url: string) => boolean): boolean {
  return ['https', 'http'].some((scheme) => valid(`${scheme}://${context.DOMAIN_NAME}${context.PATH}${search}`));
}

/** Whether the request carries a valid `X-Twilio-Signature` over the URL and its form parameters. */
function hasValidTwilioSignature(context: Context<SignedContext>, event: Http.Event, queryNames: string[]): boolean {
  const signature = header(event, 'x-twilio-signature');
  if (!signature || !context.AUTH_TOKEN) return false;
  // The runtime merges a URL's query into the event; Twilio signed it as part of the URL, not as a parameter.
  const all = webhookParams(event);
  const query = new URLSearchParams(
    queryNames.filter((name) => name in all).map((name): [string, string] => [name, all[name]]),
  );
  const params = Object.fromEntries(Object.entries(all).filter(([name]) => !query.has(name)));
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return forEitherScheme(context, search, (url) =>
    twilio.validateRequest(context.AUTH_TOKEN as string, signature, url, params),
  );
}

/** The query parameter Event Streams adds to a webhook sink's URL: the hex SHA-256 of the JSON body. */
export const BODY_HASH_QUERY = 'bodySHA256';

/**
 * Throws 403 unless a JSON delivery (Event Streams) is signed by Twilio: `X-Twilio-Signature` over the URL with
 * `bodySHA256`, and `body` hashing to it (twilio-node's validateRequestWithBody checks both).
 */
export function assertBodySignedByTwilio(context: Context<SignedContext>, event: Http.Event, body: string): void {
  const signature = header(event, 'x-twilio-signature');
  const hash = event[BODY_HASH_QUERY];
  const valid =
    signature !== undefined &&
    context.AUTH_TOKEN !== undefined &&
    typeof hash === 'string' &&
    forEitherScheme(context, `?${new URLSearchParams({ [BODY_HASH_QUERY]: hash }).toString()}`, (url) =>
      twilio.validateRequestWithBody(context.AUTH_TOKEN as string, signature, url, body),
    );
  if (!valid) throw new HttpError(403, 'Missing or invalid X-Twilio-Signature, or a body that does not match it');
}

/**
 * Throws 403 unless the request is signed by Twilio and, when it names an account, names ours. `queryNames`:
 * parameters that arrive in the query of the URL Twilio was given (a webhook we attached with them).
 */
export function assertSignedByTwilio(
  context: Context<SignedContext>,
  event: Http.Event,
  queryNames: string[] = [],
): void {
  if (!hasValidTwilioSignature(context, event, queryNames)) {
    throw new HttpError(403, 'Missing or invalid X-Twilio-Signature');
  }
  if (event.AccountSid !== undefined && event.AccountSid !== context.ACCOUNT_SID) {
    throw new HttpError(403, 'AccountSid names another Twilio account');
  }
}
