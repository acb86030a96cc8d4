/**
 * The Flex task's attributes: what the rep and the workflow see at handoff, and the custom data that flows
 * back from the task into the session (`order_id` → `flex_order_id`, `customer.tier` → `flex_customer_tier`).
 */
import type { CustomData, HandoffReason, HandoffState } from '../session/model.private';

const CUSTOM_PREFIX = 'flex_';

/** Attributes that we or Flex set on the task: they are the handoff, not custom data. */
const OWN_ATTRIBUTES = new Set([
  'from',
  'customerAddress',
  'customerName',
  'conversationSid',
  'channelType',
  'channelSid',
  'direction',
  'initiatedBy',
  'flexInteractionSid',
  'flexInteractionChannelSid',
  'flexChannelInviteSid',
  'conversations',
  'customers',
  'name',
  'handedOff',
  'handoffReason',
  'handoffReasonCode',
  'handoffSummary',
  'handoffSentiment',
  'handoffLanguage',
  'handoffTimestamp',
]);

/** The phrase for a reason when nothing more specific was said. */
const REASON_PHRASES: Record<HandoffReason, string> = {
  contact_requested: 'Asked for a person',
  frustrated: 'The contact seems frustrated',
  ai_unable: 'The AI could not answer',
  forbidden_topic: 'A topic the AI must not handle came up',
  api: 'Requested by an outside system',
};

function isHandoffReason(value: string): value is HandoffReason {
  return Object.hasOwn(REASON_PHRASES, value);
}

/**
 * A handoff's reason as the task and the note show it: a stable code for workflow filters and a phrase for the
 * rep. A session from before the codes may hold an outside system's words as its reason: an `api` handoff.
 */
export function handoffReasonOf(handoff: Pick<HandoffState, 'reason' | 'phrase'>): {
  code: HandoffReason;
  phrase: string;
} {
  const code = isHandoffReason(handoff.reason) ? handoff.reason : 'api';
  return { code, phrase: handoff.phrase || (code === handoff.reason ? REASON_PHRASES[code] : handoff.reason) };
}

export function isCustomDataKey(key: string): boolean {
  return key.startsWith(CUSTOM_PREFIX) && key.length > CUSTOM_PREFIX.length;
}

export interface HandoffTaskInput {
  contact: string;
  conversationSid: string;
  handoff: HandoffState;
  customData: CustomData;
  /** When the session started: the AI had the contact from then until the handoff. */
  sessionStartedAt: string;
}

/**
 * What Flex Insights (Flex's historical reporting) reads of the handoff from the task's `conversations` object,
 * as Twilio's "Add Additional TaskRouter Data" lists it
 * (https://www.twilio.com/docs/flex/developer/insights/enhance-integration): the AI had the conversation before
 * the rep (`preceded_by`), its language, why it reached a person and how the contact felt then (custom
 * conversation attributes 8 and 9) and how long the AI had it, in seconds (custom conversation measure 8). The
 * Interactions API adds its own keys to this object (initiated_by, communication_channel, media, direction), none
 * of them ours; the slots 8 and 9 leave 1 to 7 to an account's own reporting.
 */
export function flexInsightsAttributes(handoff: HandoffState, sessionStartedAt: string) {
  const aiSeconds = Math.max(0, Math.round((Date.parse(handoff.requestedAt) - Date.parse(sessionStartedAt)) / 1000));
  return {
    preceded_by: 'Bot',
    language: handoff.language,
    conversation_attribute_8: handoffReasonOf(handoff).code,
    conversation_attribute_9: handoff.sentiment,
    conversation_measure_8: aiSeconds,
  };
}

export function handoffTaskAttributes({
  contact,
  conversationSid,
  handoff,
  customData,
  sessionStartedAt,
}: HandoffTaskInput) {
  const customerName = customData.flex_customer_name;
  const { code, phrase } = handoffReasonOf(handoff);
  return {
    from: contact,
    customerAddress: contact,
    ...(customerName === undefined ? {} : { customerName: String(customerName) }),
    conversationSid,
    handedOff: true,
    handoffReason: phrase,
    handoffReasonCode: code,
    handoffSummary: handoff.summary,
    handoffSentiment: handoff.sentiment,
    handoffLanguage: handoff.language,
    handoffTimestamp: handoff.requestedAt,
    conversations: flexInsightsAttributes(handoff, sessionStartedAt),
    ...customData,
  };
}

function flatten(value: unknown, path: string[], into: CustomData): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, [...path, key], into);
    return;
  }
  const key = path.join('_');
  const name = isCustomDataKey(key) ? key : CUSTOM_PREFIX + key;
  into[name] =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? value
      : JSON.stringify(value);
}

/** The custom data in a task's attributes: everything the workflow or the rep added, flattened. */
export function customDataFromTask(attributes: Record<string, unknown>): CustomData {
  const data: CustomData = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!OWN_ATTRIBUTES.has(key)) flatten(value, [key], data);
  }
  return data;
}
