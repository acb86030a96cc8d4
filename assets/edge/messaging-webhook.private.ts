/**
 * The Messaging webhook at the edge: Twilio's form parameters in, a validated inbound SMS out; and the TwiML
 * answer back. Twilio adds parameters without notice, so unknown ones pass through untouched.
 */
import { z } from 'zod';
import type { MediaItem } from '../session/model.private';
import type * as Http from './http.private';
import type * as Phone from './phone.private';
import type * as Client from '../twilio/gateway.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { HttpError } = load<typeof Http>('/edge/http.js');
const { phoneNumberParam: phoneNumber } = load<typeof Phone>('/edge/phone.js');
const { isTwilioUrl } = load<typeof Client>('/twilio/gateway.js');

/** Twilio's cap on one message body, inbound and outbound. */
export const MAX_BODY_LENGTH = 1600;
const MAX_MEDIA = 10;

export interface InboundSms {
  messageSid: string;
  /** The contact, E.164. */
  from: string;
  /** The Twilio number texted, E.164. */
  to: string;
  body: string;
  media: MediaItem[];
  optOutType?: string;
}

const InboundSmsParams = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/, 'must be an SM… or MM… SID'),
  From: phoneNumber,
  To: phoneNumber,
  Body: z.string().max(MAX_BODY_LENGTH, `is longer than ${MAX_BODY_LENGTH} characters`).default(''),
  NumMedia: z.coerce.number().int().min(0).max(MAX_MEDIA).default(0),
  OptOutType: z.string().optional(),
});

const MediaParams = z.object({
  url: z.url({ protocol: /^https$/ }).refine(isTwilioUrl, 'must be a Twilio media URL'),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+/, 'must be a MIME type'),
});

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'request'} ${issue.message}`);
}

/** Parses the webhook's parameters; throws 400 naming every problem. */
export function parseInboundSms(params: Record<string, string>): InboundSms {
  const parsed = InboundSmsParams.safeParse(params);
  if (!parsed.success) throw new HttpError(400, 'Invalid Messaging webhook', describe(parsed.error));
  const { MessageSid, From, To, Body, NumMedia, OptOutType } = parsed.data;
  const media: MediaItem[] = [];
  const problems: string[] = [];
  for (let n = 0; n < NumMedia; n++) {
    const item = MediaParams.safeParse({ url: params[`MediaUrl${n}`], contentType: params[`MediaContentType${n}`] });
    if (item.success) media.push(item.data);
    else problems.push(...describe(item.error).map((problem) => `MediaUrl${n}/MediaContentType${n}: ${problem}`));
  }
  if (problems.length > 0) throw new HttpError(400, 'Invalid media in Messaging webhook', problems);
  return { messageSid: MessageSid, from: From, to: To, body: Body, media, optOutType: OptOutType };
}

/** TwiML with one plain-text `<Message>`, or an empty `<Response/>` when there is nothing to say. */
export function messagingResponse(reply: string | undefined) {
  const twiml = new Twilio.twiml.MessagingResponse();
  if (reply) twiml.message(reply.slice(0, MAX_BODY_LENGTH));
  return twiml;
}
