/**
 * The Flex task's attributes: what the rep and the workflow see at handoff, and the custom data that flows
 * back from the task into the session (`order_id` → `flex_order_id`, `customer.tier` → `flex_customer_tier`).
 */
import type { CustomData, HandoffState } from '../session/model.private';

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
  'handoffSummary',
  'handoffSentiment',
  'handoffLanguage',
  'handoffTimestamp',
]);

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
  return {
    from: contact,
    customerAddress: contact,
    ...(customerName === undefined ? {} : { customerName: String(customerName) }),
    conversationSid,
    handedOff: true,
    handoffReason: handoff.reason,
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
