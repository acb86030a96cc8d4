/**
 * The one way this project talks to Twilio: the clients, plain HTTP with the account's credentials, how a
 * Twilio failure is read and when it is retried, and the Twilio side of a handoff (its conversation's
 * attributes, closing its conversation and interaction, its media). With TWILIO_API_BASE_URL set (the local
 * emulator), every request, SDK and plain HTTP alike, goes from `https://<sub>.twilio.com<path>` to
 * `<TWILIO_API_BASE_URL>/<sub><path>`. It loads no other private module, so scripts (setup, doctor, the bench)
 * import it as it is.
 */
import twilio from 'twilio';
import { z } from 'zod';
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { MediaItem } from '../session/model.private';

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

/** The client of a warm container's earlier invocations, and the configuration it was made for. */
let warmClient: { key: string; client: TwilioClient } | undefined;

/**
 * The Twilio client of a function invocation (the SDK retries 429s with back-off). A warm container keeps it
 * between invocations, so they reuse its kept-alive connections to Twilio instead of opening (TLS) new ones.
 */
export function getTwilioClient(context: Context<TwilioCredentials>): TwilioClient {
  const key = [context.ACCOUNT_SID, context.AUTH_TOKEN, context.TWILIO_API_BASE_URL].join(' ');
  if (warmClient?.key !== key) {
    const client = context.getTwilioClient(clientOptions(context.TWILIO_API_BASE_URL)) as unknown as TwilioClient;
    warmClient = { key, client };
  }
  return warmClient.client;
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

/** What a Twilio failure says: the HTTP status and Twilio error code when Twilio answered, and why. */
export interface TwilioFailure {
  status?: number;
  code?: number;
  message: string;
}

/** The one reading of a failed Twilio call (SDK errors carry `status` and `code`; a network failure neither). */
export function readTwilioError(error: unknown): TwilioFailure {
  const { status, code, message } = (error ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  return {
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'number' ? code : undefined,
    message: typeof message === 'string' ? message : String(error),
  };
}

export function isServerError(error: unknown): boolean {
  const { status } = readTwilioError(error);
  return status !== undefined && status >= 500;
}

/** A 4xx other than a rate limit: the request itself is wrong, so repeating it will not help. */
export function isPermanentError(error: unknown): boolean {
  const { status } = readTwilioError(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/** Twilio's error codes the project acts on (twilio.com/docs/api/errors). */
export const NOT_FOUND = 20404;
export const SYNC_ITEM_EXISTS = 54208;
export const SYNC_MAP_EXISTS = 54301;

const SERVER_ERROR_RETRIES = 2;

/**
 * Retries a Twilio call that failed with a 5xx (the SDK already retries 429s). Only for calls that are safe to
 * repeat: reads, and writes made idempotent by a unique key, an `If-Match` revision or their nature (closing).
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

/**
 * Creates a Sync map, expiring after `collectionTtl` seconds when given; one a concurrent writer created first is as
 * good.
 */
export async function createSyncMap(
  client: TwilioClient,
  syncServiceSid: string,
  uniqueName: string,
  collectionTtl?: number,
): Promise<void> {
  try {
    await retryOnServerError(() =>
      client.sync.v1
        .services(syncServiceSid)
        .syncMaps.create({ uniqueName, ...(collectionTtl !== undefined && { collectionTtl }) }),
    );
  } catch (error) {
    if (readTwilioError(error).code !== SYNC_MAP_EXISTS) throw error;
  }
}

/** What the Twilio side of a handoff needs: the client, the credentials and Flex's Conversations service. */
export interface HandoffTwilio {
  client: TwilioClient;
  config: TwilioCredentials & { CONVERSATIONS_SERVICE_SID: string };
}

/** The conversations of Flex's Conversations service, where every handoff conversation lives. */
export function handoffConversations({ client, config }: HandoffTwilio) {
  return client.conversations.v1.services(config.CONVERSATIONS_SERVICE_SID).conversations;
}

/** What a handoff writes on its conversation, so an event or a later handoff can tell whose it is. */
export interface HandoffConversationAttributes {
  contact: string;
  sessionId: string;
  attempt: number;
  /** Its events reach us through its own conversation-scoped webhook, not the service's. */
  scopedEvents?: boolean;
}

export function writeConversationAttributes(attributes: HandoffConversationAttributes): string {
  return JSON.stringify(attributes);
}

const ConversationAttributes = z.looseObject({
  contact: z.string().optional().catch(undefined),
  sessionId: z.string().optional().catch(undefined),
  attempt: z.number().optional().catch(undefined),
  scopedEvents: z.boolean().optional().catch(undefined),
});

/** A conversation's attributes as a handoff wrote them; none of them for anyone else's or for broken JSON. */
export function readConversationAttributes(raw: string | null | undefined): Partial<HandoffConversationAttributes> {
  try {
    const parsed = ConversationAttributes.safeParse(JSON.parse(raw || '{}'));
    if (!parsed.success) return {};
    const { contact, sessionId, attempt, scopedEvents } = parsed.data;
    return { contact, sessionId, attempt, scopedEvents };
  } catch {
    return {};
  }
}

/** The query parameter of a handoff's scoped webhook URL. */
export const HANDOFF_QUERY = 'handoff';

/** The events a handoff's scoped webhook sends: what /conversations/event handles. */
export const HANDOFF_WEBHOOK_FILTERS = ['onMessageAdded', 'onConversationStateUpdated'];

/** What names a handoff in its webhook's URL: the contact, the session and the attempt. */
export interface HandoffId {
  phone: string;
  sessionId: string;
  attempt: number;
}

/** The URL of a handoff's conversation-scoped webhook (plain characters only: it is signed as written). */
export function handoffEventsUrl(domain: string, { phone, sessionId, attempt }: HandoffId): string {
  const scheme = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(domain) ? 'http' : 'https';
  const id = `${phone.replace(/\D/g, '')}.${sessionId}.${attempt}`;
  return `${scheme}://${domain}/conversations/event?${HANDOFF_QUERY}=${id}`;
}

/** A conversation's state and, when a handoff made it, whose it is. */
export async function fetchConversation(twilio: HandoffTwilio, conversationSid: string) {
  const conversation = await retryOnServerError(() => handoffConversations(twilio)(conversationSid).fetch());
  return { state: conversation.state, attributes: readConversationAttributes(conversation.attributes) };
}

/** Closes a conversation, which releases the contact's number for their next handoff. */
export async function closeConversation(twilio: HandoffTwilio, conversationSid: string): Promise<void> {
  await retryOnServerError(() => handoffConversations(twilio)(conversationSid).update({ state: 'closed' }));
}

/**
 * Ends a finished handoff on Twilio's side unless Flex already did: closing its interaction channel closes the
 * conversation too; when the channel is not known, the conversation is closed itself.
 */
export async function closeHandoff(
  twilio: HandoffTwilio,
  ids: { conversationSid: string; interactionSid?: string; channelSid?: string },
): Promise<void> {
  const { state } = await fetchConversation(twilio, ids.conversationSid);
  if (state === 'closed') return;
  const { interactionSid, channelSid } = ids;
  if (interactionSid && channelSid) {
    await retryOnServerError(() =>
      twilio.client.flexApi.v1.interaction(interactionSid).channels(channelSid).update({ status: 'closed' }),
    );
  } else {
    await closeConversation(twilio, ids.conversationSid);
  }
}

/** The Media Content Service's media of a Conversations service; with a media SID, that media's content. */
export function conversationsMediaUrl(serviceSid: string, mediaSid?: string): string {
  const media = `https://mcs.us1.twilio.com/v1/Services/${serviceSid}/Media`;
  return mediaSid ? `${media}/${mediaSid}/Content` : media;
}

/** Copies a contact's MMS from Messaging to the Media Content Service, where Flex shows it inline: its ME… SID. */
export async function copyMediaToConversations({ config }: HandoffTwilio, media: MediaItem): Promise<string> {
  const download = await twilioFetch(config, media.url);
  if (!download.ok) throw new Error(`Downloading ${media.url} failed with ${download.status}`);
  const content = Buffer.from(await download.arrayBuffer());
  const upload = await twilioFetch(config, conversationsMediaUrl(config.CONVERSATIONS_SERVICE_SID), {
    method: 'POST',
    headers: { 'Content-Type': media.contentType },
    body: content,
  });
  if (!upload.ok) throw new Error(`Uploading media failed with ${upload.status}: ${await upload.text()}`);
  return ((await upload.json()) as { sid: string }).sid;
}

/** What Twilio says of a valid Flex user token (twilio-flex-token-validator's `TokenResult`). */
export interface FlexTokenResult {
  identity: string;
  /** The user's TaskRouter worker; null for a Flex user who takes no tasks (an admin). */
  workerSid: string | null;
  roles: string[];
  expiration: string;
}

/** Why Twilio refused a Flex user token (its Access Token error code and message). */
export class FlexTokenRejected extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'FlexTokenRejected';
  }
}

const FlexTokenAnswer = z.object({
  valid: z.boolean().optional(),
  code: z.number().nullish(),
  message: z.string().nullish(),
  identity: z.string().nullish(),
  worker_sid: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  expiration: z.string().nullish(),
});

/**
 * Checks a Flex user's token with Twilio, exactly as Twilio's `twilio-flex-token-validator` package does (POST
 * `{"token"}` as JSON to iam's Tokens/validate with the account's basic auth; `valid` decides, `message` says
 * why not). Not the package itself: it calls `https://iam.twilio.com:443` with node's https, which no setting
 * points elsewhere, so it could never reach the emulator; this goes through the one seam instead. Throws
 * FlexTokenRejected for a token Twilio refuses, any other error when Twilio could not say (an outage, our
 * credentials).
 */
export async function validateFlexToken(env: TwilioCredentials, token: string): Promise<FlexTokenResult> {
  const url = `https://iam.twilio.com/v1/Accounts/${env.ACCOUNT_SID}/Tokens/validate`;
  const response = await twilioFetch(env, url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' },
    body: JSON.stringify({ token }),
  });
  const text = await response.text();
  if (response.status === 401 || response.status >= 500) {
    throw Object.assign(new Error(`Twilio's token validation answered ${response.status}: ${text}`), {
      status: response.status,
    });
  }
  let answer: z.infer<typeof FlexTokenAnswer>;
  try {
    answer = FlexTokenAnswer.parse(JSON.parse(text));
  } catch {
    throw new Error(`Twilio's token validation answered ${response.status} with no readable result`);
  }
  if (!answer.valid || !answer.identity) {
    throw new FlexTokenRejected(answer.message || 'Invalid Flex token', answer.code ?? undefined);
  }
  return {
    identity: answer.identity,
    workerSid: answer.worker_sid ?? null,
    roles: answer.roles ?? [],
    expiration: answer.expiration ?? '',
  };
}
