/** Messaging's resources as the emulator keeps them (phone numbers, messages, media), and the number it provisions. */
import { newSid } from '../../sid';

/** The number's settings the emulator keeps, named as the IncomingPhoneNumbers parameters that set them. */
export const NUMBER_SETTINGS = [
  'FriendlyName',
  'SmsUrl',
  'SmsMethod',
  'SmsFallbackUrl',
  'SmsFallbackMethod',
  'StatusCallback',
  'StatusCallbackMethod',
  'VoiceUrl',
  'VoiceMethod',
  'VoiceFallbackUrl',
  'VoiceFallbackMethod',
] as const;
export type NumberSetting = (typeof NUMBER_SETTINGS)[number];

export interface PhoneNumber {
  sid: string;
  phoneNumber: string;
  /** Null where unset (URLs), as Twilio's spec shapes them. */
  settings: Record<NumberSetting, string | null>;
  createdAt: number;
  updatedAt: number;
}

/** Where a text to a number is delivered, and what decided it (the number itself, or its Messaging Service). */
export interface InboundTarget {
  /** Null: nowhere (no SmsUrl, or a service that drops inbound texts). */
  url: string | null;
  via: string;
}

export interface Media {
  sid: string;
  messageSid: string;
  contentType: string;
  bytes: Buffer;
  createdAt: number;
}

/** What sent an outbound message: the REST API, a TwiML reply, or a Conversation texting its SMS participants. */
export type OutboundSource = 'api' | 'twiml' | 'conversations';

export interface Message {
  sid: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-reply';
  /** Null for inbound messages. */
  source: OutboundSource | null;
  from: string;
  to: string;
  body: string;
  status: 'received' | 'queued' | 'sent' | 'failed';
  errorCode: number | null;
  errorMessage: string | null;
  messagingServiceSid: string | null;
  /** Media received with an inbound message, bytes kept. */
  media: Media[];
  /** Media URLs of an outbound message. */
  mediaUrls: string[];
  createdAt: number;
  sentAt: number;
  /** Sent with every delivery of the message's webhook, so a retry carries the same token. */
  idempotencyToken: string;
}

export interface OutgoingMessage {
  direction: 'outbound-api' | 'outbound-reply';
  source: OutboundSource;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  messagingServiceSid?: string;
}

export interface IncomingMessage {
  /** Reuse this SID (a re-played delivery) instead of a new one. */
  sid?: string;
  from: string;
  to: string;
  body: string;
  media: { contentType: string; bytes: Buffer }[];
}

/** The account's Twilio number as provisioned: its webhook, if given, and Twilio's defaults for the rest. */
export function provisionedNumber(phoneNumber: string, smsUrl: string | undefined, now: number): PhoneNumber {
  return {
    sid: newSid('PN'),
    phoneNumber,
    settings: {
      FriendlyName: friendlyNumber(phoneNumber),
      SmsUrl: smsUrl ?? null,
      SmsMethod: 'POST',
      SmsFallbackUrl: null,
      SmsFallbackMethod: 'POST',
      StatusCallback: null,
      StatusCallbackMethod: 'POST',
      VoiceUrl: null,
      VoiceMethod: 'POST',
      VoiceFallbackUrl: null,
      VoiceFallbackMethod: 'POST',
    },
    createdAt: now,
    updatedAt: now,
  };
}

/** `(500) 555-0006` for North American numbers, as Twilio names them; others as they are. */
function friendlyNumber(phoneNumber: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phoneNumber);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : phoneNumber;
}
