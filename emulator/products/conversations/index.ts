/**
 * Conversations (conversations.twilio.com/v1): Services and their webhook configuration, Conversations (by SID
 * or unique name), Messages and Participants, on the service-scoped routes and on the default service's.
 */
import { ControlError } from '../../control';
import { notFound, TwilioError } from '../../errors';
import type { Outbox } from '../../outbox';
import { v1Page } from '../../paging';
import {
  type ApiRequest,
  type ApiResult,
  type ApiRoute,
  type ControlHandler,
  inputOf,
  type Product,
} from '../../product';
import { isoDate } from '../../resources';
import { newSid } from '../../sid';
import type { Route } from '../../router';
import type { Store } from '../../store';
import type { MediaLibrary } from '../mcs';
import type { Messaging } from '../messaging/engine';
import type { Message } from '../messaging/model';
import { ADDRESSES, AddressConfigurations } from './addresses';
import { Conversations, type NewParticipant, type Notify } from './engine';
import {
  type ChatService,
  checkAttributes,
  type Conversation,
  type ConversationState,
  type ScopedWebhook,
  timersFrom,
} from './model';
import {
  renderConfiguration,
  renderConversation,
  renderMessage,
  renderParticipant,
  renderService,
  renderScopedWebhook,
  renderWebhookConfiguration,
  type Scope,
  SUB,
} from './render';

const SERVICES = '/v1/Services';
/** Each conversation route exists under a service and under the default service. */
const CONVERSATIONS = [`${SERVICES}/{ChatServiceSid}/Conversations`, '/v1/Conversations'];

interface ConversationInput {
  FriendlyName?: string;
  UniqueName?: string;
  Attributes?: string;
  MessagingServiceSid?: string;
  DateCreated?: string;
  DateUpdated?: string;
  State?: ConversationState;
  'Timers.Inactive'?: string;
  'Timers.Closed'?: string;
}

interface MessageInput {
  Author?: string;
  Body?: string;
  Attributes?: string;
  MediaSid?: string;
  DateCreated?: string;
  DateUpdated?: string;
}

interface ParticipantInput {
  Identity?: string;
  'MessagingBinding.Address'?: string;
  'MessagingBinding.ProxyAddress'?: string;
  Attributes?: string;
}

interface ScopedWebhookInput {
  Target: string;
  'Configuration.Url'?: string;
  'Configuration.Method'?: string;
  'Configuration.Filters'?: string[];
}

interface WebhookInput {
  PreWebhookUrl?: string;
  PostWebhookUrl?: string;
  Filters?: string[];
  Method?: string;
}

export class ConversationsProduct implements Product {
  readonly sub = SUB;
  readonly conversations: Conversations;
  /** Flex messaging addresses: autocreation of a conversation for a text no conversation binds. */
  readonly addresses: AddressConfigurations;

  readonly routes: ApiRoute[] = [
    { method: 'POST', path: SERVICES, handler: (req) => this.createService(req) },
    { method: 'GET', path: SERVICES, handler: (req) => this.listServices(req) },
    { method: 'GET', path: `${SERVICES}/{Sid}`, handler: (req) => this.fetchService(req) },
    { method: 'GET', path: '/v1/Configuration', handler: () => this.fetchConfiguration() },
    {
      method: 'GET',
      path: `${SERVICES}/{ChatServiceSid}/Configuration/Webhooks`,
      handler: (req) => this.webhookConfiguration(req),
    },
    {
      method: 'POST',
      path: `${SERVICES}/{ChatServiceSid}/Configuration/Webhooks`,
      handler: (req) => this.updateWebhookConfiguration(req),
    },
    { method: 'POST', path: ADDRESSES, handler: (req) => this.addresses.create(req) },
    { method: 'GET', path: ADDRESSES, handler: (req) => this.addresses.list(req) },
    { method: 'GET', path: `${ADDRESSES}/{Sid}`, handler: (req) => this.addresses.fetch(req) },
    { method: 'POST', path: `${ADDRESSES}/{Sid}`, handler: (req) => this.addresses.update(req) },
    { method: 'DELETE', path: `${ADDRESSES}/{Sid}`, handler: (req) => this.addresses.delete(req) },
    ...CONVERSATIONS.flatMap((base): ApiRoute[] => {
      const messages = `${base}/{ConversationSid}/Messages`;
      const participants = `${base}/{ConversationSid}/Participants`;
      const webhooks = `${base}/{ConversationSid}/Webhooks`;
      return [
        { method: 'POST', path: base, handler: (req) => this.createConversation(req) },
        { method: 'GET', path: base, handler: (req) => this.listConversations(req) },
        { method: 'GET', path: `${base}/{Sid}`, handler: (req) => this.fetchConversation(req) },
        { method: 'POST', path: `${base}/{Sid}`, handler: (req) => this.updateConversation(req) },
        { method: 'DELETE', path: `${base}/{Sid}`, handler: (req) => this.deleteConversation(req) },
        { method: 'POST', path: messages, handler: (req) => this.createMessage(req) },
        { method: 'GET', path: messages, handler: (req) => this.listMessages(req) },
        { method: 'GET', path: `${messages}/{Sid}`, handler: (req) => this.fetchMessage(req) },
        { method: 'DELETE', path: `${messages}/{Sid}`, handler: (req) => this.deleteMessage(req) },
        { method: 'POST', path: participants, handler: (req) => this.createParticipant(req) },
        { method: 'GET', path: participants, handler: (req) => this.listParticipants(req) },
        { method: 'GET', path: `${participants}/{Sid}`, handler: (req) => this.fetchParticipant(req) },
        { method: 'DELETE', path: `${participants}/{Sid}`, handler: (req) => this.deleteParticipant(req) },
        { method: 'POST', path: webhooks, handler: (req) => this.createScopedWebhook(req) },
        { method: 'GET', path: webhooks, handler: (req) => this.listScopedWebhooks(req) },
        { method: 'GET', path: `${webhooks}/{Sid}`, handler: (req) => this.fetchScopedWebhook(req) },
        { method: 'DELETE', path: `${webhooks}/{Sid}`, handler: (req) => this.deleteScopedWebhook(req) },
      ];
    }),
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    {
      method: 'GET',
      path: '/__emulator/conversations/{Sid}/messages',
      handler: ({ params }) => ({ status: 200, json: this.transcript(params.Sid) }),
    },
  ];

  constructor(
    private readonly store: Store,
    outbox: Outbox,
    private readonly messaging: Messaging,
    media: MediaLibrary,
    postWebhookUrl: string | undefined,
  ) {
    this.conversations = new Conversations(store, outbox, messaging, media, postWebhookUrl);
    this.addresses = new AddressConfigurations(store);
  }

  reset(): void {
    this.conversations.reset();
    this.addresses.reset();
  }

  /** A text no open conversation captured: an address configuration with autocreation makes one for it. */
  autocreate(text: Message): void {
    this.addresses.autocreate(text, this.conversations);
  }

  // Services and configuration

  private createService(req: ApiRequest): ApiResult {
    const { FriendlyName } = inputOf<{ FriendlyName: string }>(req);
    return { status: 201, json: renderService(this.accountSid, this.conversations.createService(FriendlyName)) };
  }

  private listServices(req: ApiRequest): ApiResult {
    const services = [...this.conversations.services.values()];
    return { status: 200, json: v1Page(SUB, req, 'services', services, (s) => renderService(this.accountSid, s)) };
  }

  private fetchService(req: ApiRequest): ApiResult {
    return { status: 200, json: renderService(this.accountSid, this.service(req, req.params.Sid)) };
  }

  private fetchConfiguration(): ApiResult {
    return { status: 200, json: renderConfiguration(this.accountSid, this.conversations.defaultServiceSid) };
  }

  private webhookConfiguration(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ChatServiceSid);
    return { status: 200, json: renderWebhookConfiguration(this.accountSid, service) };
  }

  private updateWebhookConfiguration(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ChatServiceSid);
    const { PreWebhookUrl, PostWebhookUrl, Filters, Method } = inputOf<WebhookInput>(req);
    const webhooks = service.webhooks;
    if (PreWebhookUrl !== undefined) webhooks.preWebhookUrl = PreWebhookUrl || null;
    if (PostWebhookUrl !== undefined) webhooks.postWebhookUrl = PostWebhookUrl || null;
    if (Filters !== undefined) webhooks.filters = Filters;
    if (Method !== undefined) webhooks.method = Method.toUpperCase() === 'GET' ? 'GET' : 'POST';
    return { status: 200, json: renderWebhookConfiguration(this.accountSid, service) };
  }

  private service(req: ApiRequest, sid: string): ChatService {
    const service = this.conversations.services.get(sid);
    if (!service) throw notFound(req.path);
    return service;
  }

  // Conversations

  private createConversation(req: ApiRequest): ApiResult {
    const { service, scope } = this.scope(req);
    const input = inputOf<ConversationInput>(req);
    if (input.State === 'closed') throw new TwilioError(400, 50384, "A conversation cannot be created 'closed'");
    const conversation = this.conversations.createConversation(service, {
      friendlyName: input.FriendlyName,
      uniqueName: input.UniqueName,
      attributes: checkAttributes(input.Attributes),
      messagingServiceSid: input.MessagingServiceSid,
      state: input.State,
      timers: timersFrom(input),
      createdAt: date(input.DateCreated),
      updatedAt: date(input.DateUpdated),
    });
    return { status: 201, json: renderConversation(this.accountSid, conversation, scope) };
  }

  private listConversations(req: ApiRequest): ApiResult {
    const { service, scope } = this.scope(req);
    const { State, StartDate, EndDate } = inputOf<{ State?: string; StartDate?: string; EndDate?: string }>(req);
    const day = (ms: number) => isoDate(ms).slice(0, 10);
    const conversations = this.conversations
      .listConversations(service)
      .filter(
        (c) =>
          (State === undefined || c.state === State) &&
          (StartDate === undefined || day(c.createdAt) >= StartDate.slice(0, 10)) &&
          (EndDate === undefined || day(c.createdAt) <= EndDate.slice(0, 10)),
      );
    return {
      status: 200,
      json: v1Page(SUB, req, 'conversations', conversations, (c) => renderConversation(this.accountSid, c, scope)),
    };
  }

  private fetchConversation(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    return { status: 200, json: renderConversation(this.accountSid, this.conversation(req, req.params.Sid), scope) };
  }

  private updateConversation(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.Sid);
    const input = inputOf<ConversationInput>(req);
    this.conversations.updateConversation(
      conversation,
      {
        friendlyName: input.FriendlyName,
        uniqueName: input.UniqueName,
        attributes: input.Attributes === undefined ? undefined : checkAttributes(input.Attributes),
        messagingServiceSid: input.MessagingServiceSid,
        state: input.State,
        timers: timersFrom(input),
        createdAt: date(input.DateCreated),
        updatedAt: date(input.DateUpdated),
      },
      notify(req),
    );
    return { status: 200, json: renderConversation(this.accountSid, conversation, scope) };
  }

  private deleteConversation(req: ApiRequest): ApiResult {
    this.conversations.deleteConversation(this.conversation(req, req.params.Sid));
    return { status: 204 };
  }

  /** The request's conversation, by SID or unique name. */
  private conversation(req: ApiRequest, sidOrName: string): Conversation {
    const conversation = this.conversations.conversation(this.scope(req).service, sidOrName);
    if (!conversation) throw notFound(req.path);
    return conversation;
  }

  private scope(req: ApiRequest): { service: ChatService; scope: Scope } {
    const sid = req.params.ChatServiceSid;
    return sid === undefined
      ? { service: this.service(req, this.conversations.defaultServiceSid), scope: 'default' }
      : { service: this.service(req, sid), scope: 'service' };
  }

  // Messages

  private createMessage(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const input = inputOf<MessageInput>(req);
    const message = this.conversations.addMessage(
      conversation,
      {
        author: input.Author,
        body: input.Body,
        attributes: checkAttributes(input.Attributes),
        media: input.MediaSid === undefined ? [] : [this.conversations.attachableMedia(conversation, input.MediaSid)],
        source: 'API',
        createdAt: date(input.DateCreated),
        updatedAt: date(input.DateUpdated),
      },
      notify(req),
    );
    return { status: 201, json: renderMessage(this.accountSid, conversation, message, scope) };
  }

  private listMessages(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const { Order } = inputOf<{ Order?: 'asc' | 'desc' }>(req);
    const messages = Order === 'desc' ? [...conversation.messages].reverse() : conversation.messages;
    return {
      status: 200,
      json: v1Page(SUB, req, 'messages', messages, (m) => renderMessage(this.accountSid, conversation, m, scope)),
    };
  }

  private fetchMessage(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    return { status: 200, json: renderMessage(this.accountSid, conversation, this.message(req, conversation), scope) };
  }

  private deleteMessage(req: ApiRequest): ApiResult {
    const conversation = this.conversation(req, req.params.ConversationSid);
    this.conversations.deleteMessage(conversation, this.message(req, conversation));
    return { status: 204 };
  }

  private message(req: ApiRequest, conversation: Conversation) {
    const message = conversation.messages.find((m) => m.sid === req.params.Sid);
    if (!message) throw notFound(req.path);
    return message;
  }

  // Participants

  private createParticipant(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const participant = this.conversations.addParticipant(
      conversation,
      this.participantInput(inputOf<ParticipantInput>(req)),
      notify(req),
    );
    return { status: 201, json: renderParticipant(this.accountSid, conversation, participant, scope) };
  }

  // Conversation-scoped webhooks

  private createScopedWebhook(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const input = inputOf<ScopedWebhookInput>(req);
    if (input.Target !== 'webhook') {
      throw new TwilioError(400, 50310, `Target '${input.Target}' is not emulated: only 'webhook' is`);
    }
    const webhookUrl = input['Configuration.Url'];
    if (!webhookUrl || !URL.canParse(webhookUrl)) {
      throw new TwilioError(400, 50310, 'Configuration.Url must be an absolute URL for a webhook target');
    }
    const now = this.store.clock.now();
    const webhook: ScopedWebhook = {
      sid: newSid('WH'),
      target: 'webhook',
      url: webhookUrl,
      method: input['Configuration.Method']?.toUpperCase() === 'GET' ? 'GET' : 'POST',
      filters: input['Configuration.Filters'] ?? [],
      createdAt: now,
      updatedAt: now,
    };
    conversation.webhooks.set(webhook.sid, webhook);
    return { status: 201, json: renderScopedWebhook(this.accountSid, conversation, webhook, scope) };
  }

  private listScopedWebhooks(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const webhooks = [...conversation.webhooks.values()];
    return {
      status: 200,
      json: v1Page(SUB, req, 'webhooks', webhooks, (w) => renderScopedWebhook(this.accountSid, conversation, w, scope)),
    };
  }

  private fetchScopedWebhook(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const webhook = conversation.webhooks.get(req.params.Sid);
    if (!webhook) throw notFound(req.path);
    return { status: 200, json: renderScopedWebhook(this.accountSid, conversation, webhook, scope) };
  }

  private deleteScopedWebhook(req: ApiRequest): ApiResult {
    const conversation = this.conversation(req, req.params.ConversationSid);
    if (!conversation.webhooks.delete(req.params.Sid)) throw notFound(req.path);
    return { status: 204 };
  }

  /** A chat participant (Identity) or an SMS one (address and the account number that proxies it). */
  private participantInput(input: ParticipantInput): NewParticipant {
    const attributes = checkAttributes(input.Attributes);
    const address = input['MessagingBinding.Address'];
    const proxyAddress = input['MessagingBinding.ProxyAddress'];
    if (address === undefined) {
      if (input.Identity === undefined) {
        throw new TwilioError(400, 20001, 'A participant needs an Identity or a MessagingBinding.Address');
      }
      return { identity: input.Identity, attributes };
    }
    if (proxyAddress === undefined || !this.messaging.numberByPhone(proxyAddress)) {
      throw new TwilioError(400, 50408, `Invalid participant proxy address ${proxyAddress ?? '(none)'}`);
    }
    if (proxyAddress === address) {
      throw new TwilioError(400, 50409, 'The participant address must not equal its proxy address');
    }
    return { binding: { address, proxyAddress }, attributes };
  }

  private listParticipants(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const participants = [...conversation.participants.values()];
    return {
      status: 200,
      json: v1Page(SUB, req, 'participants', participants, (p) =>
        renderParticipant(this.accountSid, conversation, p, scope),
      ),
    };
  }

  private fetchParticipant(req: ApiRequest): ApiResult {
    const { scope } = this.scope(req);
    const conversation = this.conversation(req, req.params.ConversationSid);
    const participant = this.participant(req, conversation);
    return { status: 200, json: renderParticipant(this.accountSid, conversation, participant, scope) };
  }

  private deleteParticipant(req: ApiRequest): ApiResult {
    const conversation = this.conversation(req, req.params.ConversationSid);
    this.conversations.removeParticipant(conversation, this.participant(req, conversation));
    return { status: 204 };
  }

  private participant(req: ApiRequest, conversation: Conversation) {
    const participant = this.conversations.participant(conversation, req.params.Sid);
    if (!participant) throw notFound(req.path);
    return participant;
  }

  // Control

  /** What the rep sees in the conversation, oldest first. */
  private transcript(sid: string) {
    const conversation = this.conversations.findConversation(sid);
    if (!conversation) throw new ControlError(404, `No conversation ${sid}`);
    return conversation.messages.map((m) => ({
      sid: m.sid,
      index: m.index,
      author: m.author,
      body: m.body,
      attributes: m.attributes,
      media: m.media.map((media) => ({
        sid: media.sid,
        content_type: media.contentType,
        filename: media.filename,
        size: media.bytes.length,
      })),
      date_created: isoDate(m.createdAt),
      source: m.source,
      participant_sid: m.participantSid,
    }));
  }

  private get accountSid(): string {
    return this.store.account.sid;
  }
}

/** Webhooks fire for REST-made changes only when the request asks for them. */
function notify(req: ApiRequest): Notify {
  return req.headers['x-twilio-webhook-enabled'] === 'true';
}

function date(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}
