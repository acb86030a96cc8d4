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
}

export function handoffTaskAttributes({ contact, conversationSid, handoff, customData }: HandoffTaskInput) {
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
