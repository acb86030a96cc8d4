/**
 * Plays an inbound SMS/MMS as Twilio would: records the Message, lets a Conversation holding the sender's
 * binding capture it, posts the signed webhook to the number's SmsUrl (Twilio fires it too), and sends the
 * TwiML answer's `<Message>`s back as outbound replies.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { ControlError, parseBody } from '../../control';
import type { Outbox } from '../../outbox';
import type { ControlResult } from '../../product';
import { parseMessagingTwiml, type TwimlMessage, TwimlError } from '../../twiml';
import type { WebhookResult } from '../../webhooks';
import { API_VERSION, mediaUrl } from './render';
import { segmentCount } from './segments';
import type { Messaging } from './engine';
import type { Message, PhoneNumber } from './model';

const InboundSmsBody = z.object({
  from: z.string().min(1),
  to: z.string().optional(),
  body: z.string().default(''),
  media: z.array(z.object({ contentType: z.string(), base64: z.string() })).default([]),
  messageSid: z.string().optional(),
  optOutType: z.enum(['STOP', 'START', 'HELP']).optional(),
  extraParams: z.record(z.string(), z.string()).default({}),
  omitParams: z.array(z.string()).default([]),
  signature: z.enum(['valid', 'invalid', 'none']).default('valid'),
  accountSid: z.string().optional(),
});
type InboundSms = z.infer<typeof InboundSmsBody>;

/** Told of each new inbound message before the number's webhook is sent. */
export type InboundListener = (message: Message) => void | Promise<void>;

export interface InboundDeps {
  messaging: Messaging;
  outbox: Outbox;
  accountSid: string;
  listeners: readonly InboundListener[];
}

export async function playInboundSms(
  { messaging, outbox, accountSid, listeners }: InboundDeps,
  body: unknown,
): Promise<ControlResult> {
  const sms = parseBody(InboundSmsBody, body);
  const number = messaging.numberByPhone(sms.to ?? messaging.defaultNumber.phoneNumber);
  if (!number) throw new ControlError(404, `${sms.to} is not a phone number of this account`);
  // A Messaging Service's inbound settings win over the number's own SmsUrl (see MessagingServices).
  const { url, via } = messaging.inboundTarget(number);
  if (!url) throw new ControlError(409, `${number.phoneNumber} has nowhere to deliver to: ${via} has no URL`);

  // A known messageSid re-delivers that message, as Twilio's retry would (a Conversation captured it already).
  const known = sms.messageSid ? messaging.messages.get(sms.messageSid) : undefined;
  const message =
    known ??
    messaging.receive({
      sid: sms.messageSid,
      from: sms.from,
      to: number.phoneNumber,
      body: sms.body,
      media: sms.media.map((m) => ({ contentType: m.contentType, bytes: Buffer.from(m.base64, 'base64') })),
    });
  if (!known) for (const listener of listeners) await listener(message);

  let webhook: WebhookResult;
  try {
    webhook = await outbox.deliver({
      product: 'messaging',
      url,
      params: webhookParams(message, accountSid, sms),
      signature: sms.signature,
      headers: { 'I-Twilio-Idempotency-Token': message.idempotencyToken },
    });
  } catch (error) {
    throw new ControlError(502, `Webhook ${url} failed: ${(error as Error).message}`);
  }

  const { replies, twimlError } = readReplies(webhook);
  for (const reply of replies) sendReply(messaging, number, message, reply);
  return {
    status: 200,
    json: {
      messageSid: message.sid,
      status: webhook.status,
      contentType: webhook.headers['content-type'] ?? null,
      body: webhook.body,
      replies: replies.map((reply) => reply.body),
      ...(twimlError && { twimlError }),
    },
  };
}

/** The webhook's parameters, as Twilio sends them for an incoming message. */
function webhookParams(message: Message, accountSid: string, sms: InboundSms): Record<string, string> {
  const params: Record<string, string> = {
    ToCountry: country(message.to),
    ToState: '',
    SmsMessageSid: message.sid,
    NumMedia: String(message.media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: message.sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: message.body,
    FromCountry: country(message.from),
    To: message.to,
    ToZip: '',
    NumSegments: String(segmentCount(message.body)),
    MessageSid: message.sid,
    AccountSid: sms.accountSid ?? accountSid,
    From: message.from,
    ApiVersion: API_VERSION,
  };
  message.media.forEach((media, i) => {
    params[`MediaContentType${i}`] = media.contentType;
    params[`MediaUrl${i}`] = mediaUrl(accountSid, media);
  });
  if (sms.optOutType) params.OptOutType = sms.optOutType;
  Object.assign(params, sms.extraParams);
  for (const name of sms.omitParams) delete params[name];
  return params;
}

function country(phoneNumber: string): string {
  return parsePhoneNumberFromString(phoneNumber)?.country ?? '';
}

/** Twilio reads TwiML only from a successful answer; an empty body means no reply. */
function readReplies(webhook: WebhookResult): { replies: TwimlMessage[]; twimlError?: string } {
  if (webhook.status < 200 || webhook.status >= 300 || webhook.body.trim() === '') return { replies: [] };
  try {
    return { replies: parseMessagingTwiml(webhook.body) };
  } catch (error) {
    if (error instanceof TwimlError) return { replies: [], twimlError: error.message };
    throw error;
  }
}

function sendReply(messaging: Messaging, number: PhoneNumber, inbound: Message, reply: TwimlMessage): void {
  messaging.send({
    direction: 'outbound-reply',
    source: 'twiml',
    from: reply.from ?? number.phoneNumber,
    to: reply.to ?? inbound.from,
    body: reply.body,
    mediaUrls: reply.media,
  });
}
