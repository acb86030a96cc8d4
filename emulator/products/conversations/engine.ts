/**
 * Conversations' state and rules, shared by the REST API, inbound SMS capture and the Flex rep playback:
 * unique names, one non-closed conversation per SMS binding (50416), delivery of messages to the SMS
 * participants present when they are posted, timers, closing, and the post-event webhooks.
 */
import { TwilioError } from '../../errors';
import type { Outbox } from '../../outbox';
import { newSid } from '../../sid';
import type { Store } from '../../store';
import { mediaContentUrl, type McsMedia, type MediaLibrary } from '../mcs';
import type { Messaging } from '../messaging/engine';
import type { Message } from '../messaging/model';
import { ConversationEvents, type PostEvent, type StateReason } from './events';
import {
  BINDING_IN_USE,
  type ChatService,
  closedError,
  type Conversation,
  type ConversationMessage,
  type ConversationState,
  type MessageSource,
  type MessagingBinding,
  type Participant,
  type Timers,
  UNIQUE_NAME_TAKEN,
} from './model';

const MAX_BODY_LENGTH = 1600;
const POST_EVENTS: PostEvent[] = ['onMessageAdded', 'onConversationStateUpdated', 'onParticipantAdded'];

export interface NewConversation {
  friendlyName?: string;
  uniqueName?: string;
  attributes: string;
  messagingServiceSid?: string;
  state?: 'active' | 'inactive';
  timers: Partial<Timers>;
  createdAt?: number;
  updatedAt?: number;
}

export interface ConversationChanges {
  friendlyName?: string;
  uniqueName?: string;
  attributes?: string;
  messagingServiceSid?: string;
  state?: ConversationState;
  timers: Partial<Timers>;
  createdAt?: number;
  updatedAt?: number;
}

export interface NewMessage {
  author?: string;
  body?: string;
  attributes: string;
  media: McsMedia[];
  source: MessageSource;
  createdAt?: number;
  updatedAt?: number;
}

export type NewParticipant = { attributes: string } & (
  { identity: string; binding?: undefined } | { identity?: undefined; binding: MessagingBinding }
);

/** Whether a change fires post-event webhooks: REST calls only with `X-Twilio-Webhook-Enabled: true`. */
export type Notify = boolean;

export class Conversations {
  readonly services = new Map<string, ChatService>();
  /** The account's default service (Flex's "Flex Chat Service"), behind the `/v1/Conversations` routes. */
  readonly defaultServiceSid = newSid('IS');
  private readonly events: ConversationEvents;

  constructor(
    private readonly store: Store,
    outbox: Outbox,
    private readonly messaging: Messaging,
    private readonly media: MediaLibrary,
    private readonly postWebhookUrl: string | undefined,
  ) {
    this.events = new ConversationEvents(store, outbox);
    this.seed();
  }

  reset(): void {
    this.services.clear();
    this.seed();
  }

  // Services

  createService(friendlyName: string, sid = newSid('IS')): ChatService {
    const now = this.now();
    const service: ChatService = {
      sid,
      friendlyName,
      createdAt: now,
      updatedAt: now,
      webhooks: { preWebhookUrl: null, postWebhookUrl: null, filters: [], method: 'POST' },
      webhookSid: newSid('WH'),
      participantRoleSid: newSid('RL'),
      conversations: new Map(),
    };
    this.services.set(service.sid, service);
    return service;
  }

  // Conversations

  createConversation(service: ChatService, input: NewConversation): Conversation {
    if (input.uniqueName !== undefined) this.checkUniqueName(service, input.uniqueName);
    const now = this.now();
    const conversation: Conversation = {
      sid: newSid('CH'),
      serviceSid: service.sid,
      uniqueName: input.uniqueName ?? null,
      friendlyName: input.friendlyName ?? null,
      attributes: input.attributes,
      messagingServiceSid: input.messagingServiceSid ?? null,
      state: input.state ?? 'active',
      timers: { inactiveMs: null, closedMs: null, ...input.timers },
      createdAt: input.createdAt ?? now,
      updatedAt: input.updatedAt ?? input.createdAt ?? now,
      lastActivityAt: now,
      messages: [],
      nextIndex: 0,
      participants: new Map(),
      webhooks: new Map(),
    };
    service.conversations.set(conversation.sid, conversation);
    return conversation;
  }

  /** The service's conversation by SID or unique name, its timers applied. */
  conversation(service: ChatService, sidOrName: string): Conversation | undefined {
    const conversation =
      service.conversations.get(sidOrName) ??
      [...service.conversations.values()].find((c) => c.uniqueName === sidOrName);
    if (conversation) this.applyTimers(conversation);
    return conversation;
  }

  /** A conversation of any service, by SID. */
  findConversation(sid: string): Conversation | undefined {
    for (const service of this.services.values()) {
      const conversation = service.conversations.get(sid);
      if (conversation) return this.conversation(service, sid);
    }
    return undefined;
  }

  listConversations(service: ChatService): Conversation[] {
    const conversations = [...service.conversations.values()];
    conversations.forEach((c) => this.applyTimers(c));
    return conversations;
  }

  updateConversation(conversation: Conversation, changes: ConversationChanges, notify: Notify): void {
    if (conversation.state === 'closed') throw closedError(conversation);
    const service = this.serviceOf(conversation);
    if (changes.uniqueName !== undefined && changes.uniqueName !== conversation.uniqueName) {
      this.checkUniqueName(service, changes.uniqueName);
      conversation.uniqueName = changes.uniqueName;
    }
    if (changes.friendlyName !== undefined) conversation.friendlyName = changes.friendlyName;
    if (changes.attributes !== undefined) conversation.attributes = changes.attributes;
    if (changes.messagingServiceSid !== undefined) conversation.messagingServiceSid = changes.messagingServiceSid;
    if (changes.createdAt !== undefined) conversation.createdAt = changes.createdAt;
    if (Object.keys(changes.timers).length) {
      conversation.timers = { ...conversation.timers, ...changes.timers };
      conversation.lastActivityAt = this.now();
    }
    conversation.updatedAt = changes.updatedAt ?? this.now();
    if (changes.state !== undefined) this.changeState(conversation, changes.state, 'API', notify);
  }

  /** Closing is final: the conversation keeps its history but frees its participants' SMS bindings. */
  changeState(conversation: Conversation, state: ConversationState, reason: StateReason, notify: Notify): void {
    const from = conversation.state;
    if (from === state) return;
    if (from === 'closed') throw closedError(conversation);
    conversation.state = state;
    conversation.updatedAt = this.now();
    if (notify) this.events.stateUpdated(this.serviceOf(conversation), conversation, from, state, reason);
  }

  deleteConversation(conversation: Conversation): void {
    this.serviceOf(conversation).conversations.delete(conversation.sid);
  }

  // Messages

  /** Adds the message and texts it to every SMS participant but its author. */
  addMessage(conversation: Conversation, input: NewMessage, notify: Notify): ConversationMessage {
    if (conversation.state === 'closed') throw closedError(conversation);
    if (input.body !== undefined && input.body.length > MAX_BODY_LENGTH) {
      throw new TwilioError(400, 50504, `The message body exceeds the ${MAX_BODY_LENGTH} character limit`);
    }
    if (!input.body && input.media.length === 0) {
      throw new TwilioError(400, 20001, 'A message needs a Body or a MediaSid');
    }
    const author = input.author ?? 'system';
    const now = this.now();
    const message: ConversationMessage = {
      sid: newSid('IM'),
      conversationSid: conversation.sid,
      index: conversation.nextIndex++,
      author,
      body: input.body ?? null,
      attributes: input.attributes,
      media: input.media,
      participantSid: this.participantOf(conversation, author)?.sid ?? null,
      source: input.source,
      createdAt: input.createdAt ?? now,
      updatedAt: input.updatedAt ?? input.createdAt ?? now,
      delivery: { total: 0, failed: 0 },
    };
    for (const media of input.media) media.messageSid = message.sid;
    conversation.messages.push(message);
    conversation.lastActivityAt = now;
    // A message wakes an inactive conversation up (no state webhook for it: not emulated).
    if (conversation.state === 'inactive') conversation.state = 'active';
    this.deliver(conversation, message);
    if (notify) this.events.messageAdded(this.serviceOf(conversation), conversation, message);
    return message;
  }

  /** An MCS media of the conversation's service not yet attached to a message (Twilio's 50510, 50508). */
  attachableMedia(conversation: Conversation, mediaSid: string): McsMedia {
    const media = this.media.get(conversation.serviceSid, mediaSid);
    if (!media) throw new TwilioError(400, 50510, `Invalid media SID ${mediaSid} for this service`);
    if (media.messageSid) {
      throw new TwilioError(400, 50508, `Media ${mediaSid} is already sent with message ${media.messageSid}`);
    }
    return media;
  }

  /** Uploads media to the conversation's service on behalf of `author` (an SMS sender, a rep). */
  uploadMedia(
    conversation: Conversation,
    author: string,
    file: { contentType: string; bytes: Buffer; filename?: string },
  ): McsMedia {
    return this.media.upload({ serviceSid: conversation.serviceSid, author, ...file });
  }

  deleteMessage(conversation: Conversation, message: ConversationMessage): void {
    conversation.messages = conversation.messages.filter((m) => m !== message);
  }

  /** Only the SMS participants present now get the text: the sender never gets their own back. */
  private deliver(conversation: Conversation, message: ConversationMessage): void {
    for (const participant of conversation.participants.values()) {
      const binding = participant.binding;
      if (!binding || binding.address === message.author) continue;
      const sent = this.messaging.send({
        direction: 'outbound-api',
        source: 'conversations',
        from: binding.proxyAddress,
        to: binding.address,
        body: message.body ?? '',
        mediaUrls: message.media.map(mediaContentUrl),
        messagingServiceSid: conversation.messagingServiceSid ?? undefined,
      });
      message.delivery.total += 1;
      if (sent.status === 'failed') message.delivery.failed += 1;
    }
  }

  // Participants

  addParticipant(conversation: Conversation, input: NewParticipant, notify: Notify): Participant {
    if (conversation.state === 'closed') throw closedError(conversation);
    if (
      input.identity !== undefined &&
      [...conversation.participants.values()].some((p) => p.identity === input.identity)
    ) {
      throw new TwilioError(409, 50433, `Participant ${input.identity} is already in conversation ${conversation.sid}`);
    }
    if (input.binding) {
      const holder = this.bindingHolder(input.binding);
      if (holder) {
        throw new TwilioError(
          409,
          BINDING_IN_USE,
          `A binding for this participant and proxy address already exists in Conversation ${holder.sid}`,
        );
      }
    }
    const now = this.now();
    const participant: Participant = {
      sid: newSid('MB'),
      conversationSid: conversation.sid,
      identity: input.identity ?? null,
      binding: input.binding ?? null,
      attributes: input.attributes,
      roleSid: this.serviceOf(conversation).participantRoleSid,
      createdAt: now,
      updatedAt: now,
    };
    conversation.participants.set(participant.sid, participant);
    conversation.lastActivityAt = now;
    if (notify) this.events.participantAdded(this.serviceOf(conversation), conversation, participant);
    return participant;
  }

  /** By SID or identity, as Twilio accepts either. */
  participant(conversation: Conversation, sidOrIdentity: string): Participant | undefined {
    return (
      conversation.participants.get(sidOrIdentity) ??
      [...conversation.participants.values()].find((p) => p.identity === sidOrIdentity)
    );
  }

  removeParticipant(conversation: Conversation, participant: Participant): void {
    conversation.participants.delete(participant.sid);
  }

  /** The non-closed conversation (of any service) with an SMS participant of this address and proxy address. */
  bindingHolder({ address, proxyAddress }: MessagingBinding): Conversation | undefined {
    const holds = (participant: Participant) =>
      participant.binding?.address === address && participant.binding.proxyAddress === proxyAddress;
    return [...this.services.values()]
      .flatMap((service) => this.listConversations(service))
      .find((c) => c.state !== 'closed' && [...c.participants.values()].some(holds));
  }

  /**
   * A contact's text to a number that a conversation binds them to becomes a message of that conversation,
   * its media copied to MCS; the webhook fires whatever the REST header, as for any SMS.
   */
  captureInbound(text: Message): void {
    const conversation = this.bindingHolder({ address: text.from, proxyAddress: text.to });
    if (!conversation) return;
    this.addMessage(
      conversation,
      {
        author: text.from,
        body: text.body || undefined,
        attributes: '{}',
        media: text.media.map(({ contentType, bytes }) =>
          this.uploadMedia(conversation, text.from, { contentType, bytes }),
        ),
        source: 'SMS',
      },
      true,
    );
  }

  // Internals

  private serviceOf(conversation: Conversation): ChatService {
    return this.services.get(conversation.serviceSid)!;
  }

  private participantOf(conversation: Conversation, author: string): Participant | undefined {
    return [...conversation.participants.values()].find((p) => p.identity === author || p.binding?.address === author);
  }

  private checkUniqueName(service: ChatService, uniqueName: string): void {
    if ([...service.conversations.values()].some((c) => c.uniqueName === uniqueName)) {
      throw new TwilioError(409, UNIQUE_NAME_TAKEN, `Conversation with provided unique name already exists`);
    }
  }

  /** Twilio moves a conversation on by its timers; the emulator does it when the conversation is next read. */
  private applyTimers(conversation: Conversation): void {
    const { inactiveMs, closedMs } = conversation.timers;
    const idleMs = this.now() - conversation.lastActivityAt;
    if (conversation.state === 'active' && inactiveMs !== null && idleMs >= inactiveMs) {
      this.changeState(conversation, 'inactive', 'TIMER', true);
    }
    if (conversation.state !== 'closed' && closedMs !== null && idleMs >= closedMs) {
      this.changeState(conversation, 'closed', 'TIMER', true);
    }
  }

  /** The default service Flex provisions, with the post-event webhook the application registers. */
  private seed(): void {
    const service = this.createService('Flex Chat Service', this.defaultServiceSid);
    service.webhooks = {
      preWebhookUrl: null,
      postWebhookUrl: this.postWebhookUrl ?? null,
      filters: [...POST_EVENTS],
      method: 'POST',
    };
  }

  private now(): number {
    return this.store.clock.now();
  }
}
