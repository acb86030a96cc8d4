/**
 * Conversations' JSON. The same resources answer on service-scoped routes (`/v1/Services/IS…/Conversations`)
 * and on the default service's (`/v1/Conversations`), with that route's URLs and the spec's schema for it.
 */
import { isoDate, shape, twilioUrl } from '../../resources';
import type { ChatService, Conversation, ConversationMessage, Participant, ScopedWebhook } from './model';

export const SUB = 'conversations';

/** How the request reached the conversation: through its service's routes or the default ones. */
export type Scope = 'service' | 'default';

const url = (path: string) => twilioUrl(SUB, path);

function conversationPath(conversation: Conversation, scope: Scope): string {
  const base = scope === 'service' ? `/v1/Services/${conversation.serviceSid}/Conversations` : '/v1/Conversations';
  return `${base}/${conversation.sid}`;
}

const dates = (resource: { createdAt: number; updatedAt: number }) => ({
  date_created: isoDate(resource.createdAt),
  date_updated: isoDate(resource.updatedAt),
});

export function renderService(accountSid: string, service: ChatService) {
  const self = url(`/v1/Services/${service.sid}`);
  return shape('conversations.v1.service', {
    account_sid: accountSid,
    sid: service.sid,
    friendly_name: service.friendlyName,
    ...dates(service),
    url: self,
    links: {
      conversations: `${self}/Conversations`,
      users: `${self}/Users`,
      roles: `${self}/Roles`,
      bindings: `${self}/Bindings`,
      configuration: `${self}/Configuration`,
      participant_conversations: `${self}/ParticipantConversations`,
    },
  });
}

export function renderWebhookConfiguration(accountSid: string, service: ChatService) {
  const { preWebhookUrl, postWebhookUrl, filters, method } = service.webhooks;
  return shape('conversations.v1.service.service_configuration.service_webhook_configuration', {
    account_sid: accountSid,
    chat_service_sid: service.sid,
    pre_webhook_url: preWebhookUrl,
    post_webhook_url: postWebhookUrl,
    filters,
    method,
    url: url(`/v1/Services/${service.sid}/Configuration/Webhooks`),
  });
}

export function renderConfiguration(accountSid: string, defaultServiceSid: string) {
  return shape('conversations.v1.configuration', {
    account_sid: accountSid,
    default_chat_service_sid: defaultServiceSid,
    url: url('/v1/Configuration'),
    links: { addresses: url('/v1/Configuration/Addresses'), webhooks: url('/v1/Configuration/Webhooks') },
  });
}

export function renderConversation(accountSid: string, conversation: Conversation, scope: Scope) {
  const self = url(conversationPath(conversation, scope));
  const { inactiveMs, closedMs } = conversation.timers;
  const due = (ms: number | null) => (ms === null ? undefined : isoDate(conversation.lastActivityAt + ms));
  return shape(
    scope === 'service' ? 'conversations.v1.service.service_conversation' : 'conversations.v1.conversation',
    {
      account_sid: accountSid,
      chat_service_sid: conversation.serviceSid,
      messaging_service_sid: conversation.messagingServiceSid,
      sid: conversation.sid,
      friendly_name: conversation.friendlyName,
      unique_name: conversation.uniqueName,
      attributes: conversation.attributes,
      state: conversation.state,
      ...dates(conversation),
      // Only the timers still ahead of the conversation, as Twilio shows them.
      timers: {
        ...(conversation.state === 'active' && { date_inactive: due(inactiveMs) }),
        ...(conversation.state !== 'closed' && { date_closed: due(closedMs) }),
      },
      url: self,
      links: { participants: `${self}/Participants`, messages: `${self}/Messages`, webhooks: `${self}/Webhooks` },
    },
  );
}

export function renderMessage(
  accountSid: string,
  conversation: Conversation,
  message: ConversationMessage,
  scope: Scope,
) {
  const self = url(`${conversationPath(conversation, scope)}/Messages/${message.sid}`);
  const component =
    scope === 'service'
      ? 'conversations.v1.service.service_conversation.service_conversation_message'
      : 'conversations.v1.conversation.conversation_message';
  return shape(component, {
    account_sid: accountSid,
    ...(scope === 'service' && { chat_service_sid: conversation.serviceSid }),
    conversation_sid: conversation.sid,
    sid: message.sid,
    index: message.index,
    author: message.author,
    body: message.body,
    media: message.media.length
      ? message.media.map((m) => ({
          sid: m.sid,
          size: m.bytes.length,
          content_type: m.contentType,
          filename: m.filename,
          category: 'media',
        }))
      : null,
    attributes: message.attributes,
    participant_sid: message.participantSid,
    ...dates(message),
    delivery: message.delivery.total ? renderDelivery(message.delivery) : null,
    url: self,
    links: { delivery_receipts: `${self}/Receipts`, channel_metadata: `${self}/ChannelMetadata` },
  });
}

/** Twilio summarises delivery to non-chat participants as `all`, `some` or `none` per status. */
function renderDelivery({ total, failed }: ConversationMessage['delivery']) {
  const portion = (count: number) => (count === 0 ? 'none' : count === total ? 'all' : 'some');
  return {
    total,
    sent: portion(total - failed),
    delivered: portion(total - failed),
    read: 'none',
    undelivered: 'none',
    failed: portion(failed),
  };
}

export function renderParticipant(
  accountSid: string,
  conversation: Conversation,
  participant: Participant,
  scope: Scope,
) {
  const component =
    scope === 'service'
      ? 'conversations.v1.service.service_conversation.service_conversation_participant'
      : 'conversations.v1.conversation.conversation_participant';
  const binding = participant.binding;
  return shape(component, {
    account_sid: accountSid,
    ...(scope === 'service' && { chat_service_sid: conversation.serviceSid }),
    conversation_sid: conversation.sid,
    sid: participant.sid,
    identity: participant.identity,
    attributes: participant.attributes,
    messaging_binding: binding && { type: 'sms', address: binding.address, proxy_address: binding.proxyAddress },
    role_sid: participant.roleSid,
    ...dates(participant),
    url: url(`${conversationPath(conversation, scope)}/Participants/${participant.sid}`),
  });
}

export function renderScopedWebhook(
  accountSid: string,
  conversation: Conversation,
  webhook: ScopedWebhook,
  scope: Scope,
) {
  const component =
    scope === 'service'
      ? 'conversations.v1.service.service_conversation.service_conversation_scoped_webhook'
      : 'conversations.v1.conversation.conversation_scoped_webhook';
  return shape(component, {
    account_sid: accountSid,
    ...(scope === 'service' && { chat_service_sid: conversation.serviceSid }),
    conversation_sid: conversation.sid,
    sid: webhook.sid,
    target: webhook.target,
    configuration: { url: webhook.url, method: webhook.method, filters: webhook.filters },
    ...dates(webhook),
    url: url(`${conversationPath(conversation, scope)}/Webhooks/${webhook.sid}`),
  });
}
