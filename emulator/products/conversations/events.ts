/**
 * Conversations' post-event webhooks: signed, form-encoded, to the service's PostWebhookUrl for the events its
 * Filters name and to each conversation-scoped webhook for the events its filters name, one at a time per URL. Pre-event webhooks (which can reject an action) are not emulated.
 */
import type { Outbox } from '../../outbox';
import { isoDate } from '../../resources';
import type { Store } from '../../store';
import type { ChatService, Conversation, ConversationMessage, ConversationState, Participant } from './model';

export type PostEvent = 'onMessageAdded' | 'onConversationStateUpdated' | 'onParticipantAdded';

/** Why a state changed: a REST call (also Flex's own) or a timer. */
export type StateReason = 'API' | 'TIMER';

const TIMEOUT_MS = 5_000; // Conversations gives a webhook 5 s to answer

export class ConversationEvents {
  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
  ) {}

  messageAdded(service: ChatService, conversation: Conversation, message: ConversationMessage): void {
    const params: Record<string, string> = {
      MessageSid: message.sid,
      Index: String(message.index),
      Author: message.author,
      Body: message.body ?? '',
      Attributes: message.attributes,
      Source: message.source,
      DateCreated: isoDate(message.createdAt),
    };
    if (message.participantSid) params.ParticipantSid = message.participantSid;
    if (message.source === 'SDK') params.ClientIdentity = message.author;
    if (message.media.length) {
      params.Media = JSON.stringify(
        message.media.map((m) => ({
          Sid: m.sid,
          ContentType: m.contentType,
          Filename: m.filename,
          Size: m.bytes.length,
        })),
      );
    }
    this.send(service, conversation, 'onMessageAdded', params);
  }

  stateUpdated(
    service: ChatService,
    conversation: Conversation,
    from: ConversationState,
    to: ConversationState,
    reason: StateReason,
  ): void {
    this.send(service, conversation, 'onConversationStateUpdated', {
      StateFrom: from,
      StateTo: to,
      Reason: reason,
      StateUpdated: isoDate(this.store.clock.now()),
      Source: 'API',
    });
  }

  participantAdded(service: ChatService, conversation: Conversation, participant: Participant): void {
    const params: Record<string, string> = {
      ParticipantSid: participant.sid,
      DateCreated: isoDate(participant.createdAt),
      Attributes: participant.attributes,
      RoleSid: participant.roleSid,
      Source: 'API',
    };
    if (participant.identity !== null) params.Identity = participant.identity;
    if (participant.binding) {
      params['MessagingBinding.Type'] = 'sms';
      params['MessagingBinding.Address'] = participant.binding.address;
      params['MessagingBinding.ProxyAddress'] = participant.binding.proxyAddress;
    }
    this.send(service, conversation, 'onParticipantAdded', params);
  }

  private send(
    service: ChatService,
    conversation: Conversation,
    eventType: PostEvent,
    fields: Record<string, string>,
  ): void {
    const { postWebhookUrl, filters } = service.webhooks;
    const targets = [
      ...(postWebhookUrl && filters.includes(eventType) ? [{ url: postWebhookUrl, sid: service.webhookSid }] : []),
      // The conversation's own webhooks get its events as well, each signed for its own URL.
      ...[...conversation.webhooks.values()]
        .filter((webhook) => webhook.filters.includes(eventType))
        .map((webhook) => ({ url: webhook.url, sid: webhook.sid })),
    ];
    for (const { url, sid } of targets) {
      void this.outbox.enqueue({
        product: 'conversations',
        url,
        eventType,
        timeoutMs: TIMEOUT_MS,
        params: {
          AccountSid: this.store.account.sid,
          EventType: eventType,
          ChatServiceSid: service.sid,
          ConversationSid: conversation.sid,
          ...(conversation.messagingServiceSid && { MessagingServiceSid: conversation.messagingServiceSid }),
          ...fields,
          RetryCount: '0',
          WebhookSid: sid,
          WebhookType: 'webhook',
        },
      });
    }
  }
}
