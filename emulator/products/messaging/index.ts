/**
 * Messaging on API v2010 (api.twilio.com/2010-04-01): the Account, Messages and their Media,
 * IncomingPhoneNumbers, and the control routes that play inbound texts and show what was sent.
 */
import { z } from 'zod';
import { ControlError, parseBody } from '../../control';
import { notFound, TwilioError } from '../../errors';
import type { Outbox } from '../../outbox';
import { v2010Page } from '../../paging';
import {
  type ApiRequest,
  type ApiResult,
  type ApiRoute,
  type ControlHandler,
  inputOf,
  type Product,
} from '../../product';
import type { Route } from '../../router';
import type { Store } from '../../store';
import { type InboundListener, playInboundSms } from './inbound';
import { mediaUrl, renderAccount, renderMedia, renderMessage, renderNumber } from './render';
import { Messaging } from './engine';
import { type Media, type Message, type NumberSetting, type OutgoingMessage, type PhoneNumber } from './model';

const MESSAGES = '/2010-04-01/Accounts/{AccountSid}/Messages';
const MEDIA = `${MESSAGES}/{MessageSid}/Media`;
const NUMBERS = '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers';
const ACCOUNT = '/2010-04-01/Accounts/{Sid}.json';

interface CreateMessageInput {
  To: string;
  From?: string;
  MessagingServiceSid?: string;
  Body?: string;
  MediaUrl?: string[];
}

interface ListMessagesInput {
  To?: string;
  From?: string;
  DateSent?: string;
  'DateSent<'?: string;
  'DateSent>'?: string;
}

export class MessagingProduct implements Product {
  readonly sub = 'api';
  readonly messaging: Messaging;

  readonly routes: ApiRoute[] = [
    { method: 'GET', path: ACCOUNT, handler: (req) => this.fetchAccount(req) },
    { method: 'POST', path: `${MESSAGES}.json`, handler: (req) => this.createMessage(req) },
    { method: 'GET', path: `${MESSAGES}.json`, handler: (req) => this.listMessages(req) },
    { method: 'GET', path: `${MESSAGES}/{Sid}.json`, handler: (req) => this.fetchMessage(req) },
    { method: 'GET', path: `${MEDIA}.json`, handler: (req) => this.listMedia(req) },
    { method: 'GET', path: `${MEDIA}/{Sid}.json`, handler: (req) => this.fetchMedia(req) },
    { method: 'GET', path: `${MEDIA}/{Sid}`, handler: (req) => this.downloadMedia(req), outsideSpec: true },
    { method: 'GET', path: `${NUMBERS}.json`, handler: (req) => this.listNumbers(req) },
    { method: 'GET', path: `${NUMBERS}/{Sid}.json`, handler: (req) => this.fetchNumber(req) },
    { method: 'POST', path: `${NUMBERS}/{Sid}.json`, handler: (req) => this.updateNumber(req) },
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    {
      method: 'POST',
      path: '/__emulator/sms',
      handler: ({ body }) =>
        playInboundSms(
          {
            messaging: this.messaging,
            outbox: this.outbox,
            accountSid: this.accountSid,
            listeners: this.inboundListeners,
          },
          body,
        ),
    },
    {
      method: 'GET',
      path: '/__emulator/outbound',
      handler: ({ query }) => ({ status: 200, json: this.outbound(query.get('to') ?? undefined) }),
    },
    {
      method: 'GET',
      path: '/__emulator/texts',
      handler: ({ query }) => {
        const number = query.get('with');
        if (!number) throw new ControlError(400, 'Say whose texts: ?with=+E164');
        return { status: 200, json: this.texts(number) };
      },
    },
    {
      method: 'POST',
      path: '/__emulator/phone-number',
      handler: ({ body }) => {
        const { smsUrl } = parseBody(z.object({ smsUrl: z.string() }), body);
        this.messaging.updateNumber(this.messaging.defaultNumber, { SmsUrl: smsUrl });
        return { status: 200, json: renderNumber(this.accountSid, this.messaging.defaultNumber) };
      },
    },
  ];

  private readonly inboundListeners: InboundListener[] = [];
  private readonly accountCreatedAt: number;

  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
    phoneNumber: string,
    smsUrl: string | undefined,
  ) {
    this.messaging = new Messaging(store.clock, phoneNumber, smsUrl);
    this.accountCreatedAt = store.clock.now();
  }

  reset(): void {
    this.messaging.reset();
  }

  /** Tells `listener` of each new inbound text before the number's webhook is sent (a Conversation captures it). */
  onInbound(listener: InboundListener): void {
    this.inboundListeners.push(listener);
  }

  /** The account itself: how a script checks its credentials. Only the emulator's own account exists. */
  private fetchAccount(req: ApiRequest): ApiResult {
    if (req.params.Sid !== this.accountSid) throw notFound(req.path);
    return { status: 200, json: renderAccount(this.store.account, this.accountCreatedAt) };
  }

  // Messages

  private createMessage(req: ApiRequest): ApiResult {
    const { To, From, MessagingServiceSid, Body = '', MediaUrl = [] } = inputOf<CreateMessageInput>(req);
    if (From === undefined && MessagingServiceSid === undefined) {
      throw new TwilioError(400, 21603, "A 'From' phone number is required");
    }
    // Without Messaging Services emulated, a service sends from the account's number.
    const from = From ?? this.messaging.defaultNumber.phoneNumber;
    if (!this.messaging.numberByPhone(from)) {
      throw new TwilioError(
        400,
        21606,
        `The From phone number ${from} is not a valid, SMS-capable phone number for your account`,
      );
    }
    const outgoing: OutgoingMessage = {
      direction: 'outbound-api',
      source: 'api',
      from,
      to: To,
      body: Body,
      mediaUrls: MediaUrl,
      messagingServiceSid: MessagingServiceSid,
    };
    const refusal = this.messaging.refusal(outgoing);
    if (refusal) throw refusal;
    const message = this.messaging.send(outgoing);
    // Twilio answers the create before handing the message to the carrier.
    return { status: 201, json: renderMessage(this.accountSid, { ...message, status: 'queued' }) };
  }

  private listMessages(req: ApiRequest): ApiResult {
    const input = inputOf<ListMessagesInput>(req);
    const day = (date: string | number) => new Date(date).toISOString().slice(0, 10);
    const messages = [...this.messaging.messages.values()]
      .filter(
        (m) =>
          (input.To === undefined || m.to === input.To) &&
          (input.From === undefined || m.from === input.From) &&
          (input.DateSent === undefined || day(m.sentAt) === day(input.DateSent)) &&
          (input['DateSent<'] === undefined || m.sentAt <= Date.parse(input['DateSent<'])) &&
          (input['DateSent>'] === undefined || m.sentAt >= Date.parse(input['DateSent>'])),
      )
      .reverse(); // newest first, as Twilio lists them
    return { status: 200, json: v2010Page(req, 'messages', messages, (m) => renderMessage(this.accountSid, m)) };
  }

  private fetchMessage(req: ApiRequest): ApiResult {
    return { status: 200, json: renderMessage(this.accountSid, this.message(req, req.params.Sid)) };
  }

  private message(req: ApiRequest, sid: string): Message {
    const message = this.messaging.messages.get(sid);
    if (!message) throw notFound(req.path);
    return message;
  }

  // Media

  private listMedia(req: ApiRequest): ApiResult {
    const { media } = this.message(req, req.params.MessageSid);
    return { status: 200, json: v2010Page(req, 'media_list', media, (m) => renderMedia(this.accountSid, m)) };
  }

  private fetchMedia(req: ApiRequest): ApiResult {
    return { status: 200, json: renderMedia(this.accountSid, this.media(req)) };
  }

  /** The bytes, as a contact's MMS is downloaded from `MediaUrl{N}`. */
  private downloadMedia(req: ApiRequest): ApiResult {
    const media = this.media(req);
    return { status: 200, body: media.bytes, headers: { 'Content-Type': media.contentType } };
  }

  private media(req: ApiRequest): Media {
    const media = this.message(req, req.params.MessageSid).media.find((m) => m.sid === req.params.Sid);
    if (!media) throw notFound(req.path);
    return media;
  }

  // IncomingPhoneNumbers

  private listNumbers(req: ApiRequest): ApiResult {
    const { PhoneNumber, FriendlyName } = inputOf<{ PhoneNumber?: string; FriendlyName?: string }>(req);
    const numbers = [...this.messaging.numbers.values()].filter(
      (n) =>
        (PhoneNumber === undefined || n.phoneNumber.includes(PhoneNumber)) &&
        (FriendlyName === undefined || n.settings.FriendlyName === FriendlyName),
    );
    return {
      status: 200,
      json: v2010Page(req, 'incoming_phone_numbers', numbers, (n) => renderNumber(this.accountSid, n)),
    };
  }

  private fetchNumber(req: ApiRequest): ApiResult {
    return { status: 200, json: renderNumber(this.accountSid, this.number(req)) };
  }

  /** Keeps the settings the emulator models; the spec's other parameters are accepted and ignored. */
  private updateNumber(req: ApiRequest): ApiResult {
    const number = this.number(req);
    this.messaging.updateNumber(number, inputOf<Partial<Record<NumberSetting, string>>>(req));
    return { status: 200, json: renderNumber(this.accountSid, number) };
  }

  private number(req: ApiRequest): PhoneNumber {
    const number = this.messaging.numbers.get(req.params.Sid);
    if (!number) throw notFound(req.path);
    return number;
  }

  // Control

  /** What was sent to `to` (everyone without it), oldest first. */
  /** A phone's view: every text to or from a number, both ways, oldest first. */
  private texts(number: string) {
    return [...this.messaging.messages.values()]
      .filter((m) => m.to === number || m.from === number)
      .map((m) => ({
        sid: m.sid,
        direction: m.direction,
        from: m.from,
        to: m.to,
        body: m.body,
        media: m.direction === 'inbound' ? m.media.map((media) => mediaUrl(this.accountSid, media)) : m.mediaUrls,
        status: m.status,
        dateCreated: new Date(m.createdAt).toISOString(),
      }));
  }

  private outbound(to: string | undefined) {
    return [...this.messaging.messages.values()]
      .filter((m) => m.direction !== 'inbound' && (to === undefined || m.to === to))
      .map((m) => ({
        sid: m.sid,
        from: m.from,
        to: m.to,
        body: m.body,
        media: m.mediaUrls,
        status: m.status,
        errorCode: m.errorCode,
        source: m.source,
      }));
  }

  private get accountSid(): string {
    return this.store.account.sid;
  }
}
