/**
 * Messaging's state and rules, shared by the REST API, inbound SMS and Conversations texting their SMS participants:
 * the account's numbers, messages sent and received, and the opt-out state Twilio keeps per sender.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { TwilioError } from '../../errors';
import { newSid } from '../../sid';
import {
  type InboundTarget,
  type IncomingMessage,
  type Message,
  NUMBER_SETTINGS,
  type NumberSetting,
  type OutgoingMessage,
  type PhoneNumber,
  provisionedNumber,
} from './model';

const MAX_BODY_LENGTH = 1600;
const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'];

export class Messaging {
  readonly numbers = new Map<string, PhoneNumber>();
  readonly messages = new Map<string, Message>();
  readonly defaultNumber: PhoneNumber;
  /** `<Twilio number> <contact>` pairs where the contact texted an opt-out keyword. */
  private readonly optedOut = new Set<string>();
  /** Where a text goes; Messaging Services replace this with their precedence rules. */
  private inboundRule: (number: PhoneNumber) => InboundTarget = (number) => ({
    url: number.settings.SmsUrl,
    via: 'the number',
  });

  constructor(
    private readonly clock: Clock,
    phoneNumber: string,
    smsUrl: string | undefined,
  ) {
    this.defaultNumber = provisionedNumber(phoneNumber, smsUrl, clock.now());
    this.numbers.set(this.defaultNumber.sid, this.defaultNumber);
  }

  reset(): void {
    this.messages.clear();
    this.optedOut.clear();
    for (const sid of this.numbers.keys()) if (sid !== this.defaultNumber.sid) this.numbers.delete(sid);
  }

  /** Another number of the account, as a real account has several (the control API adds them). */
  addNumber(phoneNumber: string, smsUrl: string | undefined): PhoneNumber {
    const number = provisionedNumber(phoneNumber, smsUrl, this.clock.now());
    this.numbers.set(number.sid, number);
    return number;
  }

  routeInboundWith(rule: (number: PhoneNumber) => InboundTarget): void {
    this.inboundRule = rule;
  }

  inboundTarget(number: PhoneNumber): InboundTarget {
    return this.inboundRule(number);
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
