/** Messaging's resources (phone numbers, messages, media) and the opt-out state Twilio keeps per sender. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { TwilioError } from '../../errors';
import { newSid } from '../../sid';

const MAX_BODY_LENGTH = 1600;
const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'];

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

export class MessagingState {
  readonly numbers = new Map<string, PhoneNumber>();
  readonly messages = new Map<string, Message>();
  readonly defaultNumber: PhoneNumber;
  /** `<Twilio number> <contact>` pairs where the contact texted an opt-out keyword. */
  private readonly optedOut = new Set<string>();

  constructor(
    private readonly clock: Clock,
    phoneNumber: string,
    smsUrl: string | undefined,
  ) {
    const now = clock.now();
    this.defaultNumber = {
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
    this.numbers.set(this.defaultNumber.sid, this.defaultNumber);
  }

  reset(): void {
    this.messages.clear();
    this.optedOut.clear();
  }

  numberByPhone(phoneNumber: string): PhoneNumber | undefined {
    return [...this.numbers.values()].find((number) => number.phoneNumber === phoneNumber);
  }

  updateNumber(number: PhoneNumber, settings: Partial<Record<NumberSetting, string>>): void {
    for (const name of NUMBER_SETTINGS) {
      const value = settings[name];
      if (value !== undefined) number.settings[name] = value;
    }
    number.updatedAt = this.clock.now();
  }

  /** Why Twilio would not send this message, or undefined when it would. */
  refusal({ from, to, body, mediaUrls }: OutgoingMessage): TwilioError | undefined {
    if (this.optedOut.has(consentKey(from, to))) {
      return new TwilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    }
    if (body.length > MAX_BODY_LENGTH) {
      return new TwilioError(
        400,
        21617,
        `The concatenated message body exceeds the ${MAX_BODY_LENGTH} character limit`,
      );
    }
    if (!body && mediaUrls.length === 0) return new TwilioError(400, 21602, 'Message body is required');
    return undefined;
  }

  /** Records an outbound message: sent, or failed with the error Twilio would log. */
  send(outgoing: OutgoingMessage): Message {
    const refusal = this.refusal(outgoing);
    return this.add({
      ...outgoing,
      sid: newSid(outgoing.mediaUrls.length ? 'MM' : 'SM'),
      status: refusal ? 'failed' : 'sent',
      errorCode: refusal?.code ?? null,
      errorMessage: refusal?.message ?? null,
      messagingServiceSid: outgoing.messagingServiceSid ?? null,
      media: [],
    });
  }

  /** Records an inbound message and applies Twilio's default opt-out keywords to the sender. */
  receive({ sid, from, to, body, media }: IncomingMessage): Message {
    const messageSid = sid ?? newSid(media.length ? 'MM' : 'SM');
    const message = this.add({
      sid: messageSid,
      direction: 'inbound',
      source: null,
      from,
      to,
      body,
      status: 'received',
      errorCode: null,
      errorMessage: null,
      messagingServiceSid: null,
      media: media.map(({ contentType, bytes }) => ({
        sid: newSid('ME'),
        messageSid,
        contentType,
        bytes,
        createdAt: this.clock.now(),
      })),
      mediaUrls: [],
    });
    const keyword = body.trim().toUpperCase();
    if (OPT_OUT_KEYWORDS.includes(keyword)) this.optedOut.add(consentKey(to, from));
    if (OPT_IN_KEYWORDS.includes(keyword)) this.optedOut.delete(consentKey(to, from));
    return message;
  }

  private add(fields: Omit<Message, 'createdAt' | 'sentAt' | 'idempotencyToken'>): Message {
    const now = this.clock.now();
    const message: Message = { ...fields, createdAt: now, sentAt: now, idempotencyToken: randomUUID() };
    this.messages.set(message.sid, message);
    return message;
  }
}

function consentKey(twilioNumber: string, contact: string): string {
  return `${twilioNumber} ${contact}`;
}

/** `(500) 555-0006` for North American numbers, as Twilio names them; others as they are. */
function friendlyNumber(phoneNumber: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phoneNumber);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : phoneNumber;
}
