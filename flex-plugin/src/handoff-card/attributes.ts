/**
 * What the card reads from a task's attributes, as written by the functions (assets/task-attributes.private.ts):
 * `handedOff`, the `handoff*` attributes and the workflow's `flex_*` custom data. Attributes come from outside
 * (the AI, a workflow, an outside system calling /flex/handoff), so every value is read defensively and turned
 * into plain text; nothing here trusts a type.
 */

export const REASON_CODES = ['contact_requested', 'frustrated', 'ai_unable', 'forbidden_topic', 'api'] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** A known sentiment; an own-property lookup would take "constructor" for one. */
export function isSentiment(value: string | undefined): value is Sentiment {
  return (SENTIMENTS as readonly string[]).includes(value ?? '');
}

export interface CustomEntry {
  key: string;
  label: string;
  value: string;
}

export interface HandoffView {
  /** The reason as the product wrote it (it may carry a detail, or an outside system's own words). */
  reason?: string;
  reasonCode?: ReasonCode;
  summary?: string;
  /** A known sentiment, or the raw text of an unknown one. */
  sentiment?: Sentiment | string;
  /** BCP-47 tag, e.g. `es` or `pt-BR`. */
  language?: string;
  /** The handoff time as written; `handoffAt` is its parsed instant when it parses. */
  timestamp?: string;
  handoffAt?: Date;
  custom: CustomEntry[];
}

const CUSTOM_PREFIX = 'flex_';
/** ISO 8601, as the functions write it: Date.parse alone would also take "12" for December 2001. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any attribute value as the text a rep should read; objects and arrays as their JSON. */
export function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? undefined;
  } catch {
    return undefined;
  }
}

function isReasonCode(value: string | undefined): value is ReasonCode {
  return (REASON_CODES as readonly string[]).includes(value ?? '');
}

/** `flex_order_id` -> "Order id", `flex_customerTier` -> "Customer tier". */
export function humaniseKey(key: string): string {
  const words = key
    .slice(key.startsWith(CUSTOM_PREFIX) ? CUSTOM_PREFIX.length : 0)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\-.\s]+/)
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Task attributes arrive as an object in Flex; a JSON string (TaskRouter's raw form) is accepted too. */
function attributesObject(attributes: unknown): Record<string, unknown> | undefined {
  if (typeof attributes === 'string') {
    try {
      const parsed: unknown = JSON.parse(attributes);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return isRecord(attributes) ? attributes : undefined;
}

export function isHandedOff(attributes: unknown): boolean {
  const handedOff = attributesObject(attributes)?.handedOff;
  return handedOff === true || handedOff === 'true';
}

/** The handoff in a task's attributes, or undefined for a task that was not handed off by the AI. */
export function readHandoff(attributes: unknown): HandoffView | undefined {
  const record = attributesObject(attributes);
  if (!record || !isHandedOff(record)) return undefined;
  const reason = asText(record.handoffReason);
  const code = asText(record.handoffReasonCode);
  // Before `handoffReasonCode` existed, `handoffReason` carried the code itself.
  const reasonCode = isReasonCode(code) ? code : isReasonCode(reason) ? reason : undefined;
  const timestamp = asText(record.handoffTimestamp);
  const parsed = timestamp !== undefined && ISO_8601.test(timestamp) ? Date.parse(timestamp) : NaN;
  const custom = Object.keys(record)
    .filter((key) => key.startsWith(CUSTOM_PREFIX) && key.length > CUSTOM_PREFIX.length)
    .sort((a, b) => a.localeCompare(b))
    .flatMap((key) => {
      const value = asText(record[key]);
      return value === undefined ? [] : [{ key, label: humaniseKey(key) || key, value }];
    });
  return {
    reason: reason === reasonCode ? undefined : reason,
    reasonCode,
    summary: asText(record.handoffSummary),
    sentiment: asText(record.handoffSentiment)?.toLowerCase(),
    language: asText(record.handoffLanguage),
    timestamp,
    handoffAt: Number.isNaN(parsed) ? undefined : new Date(parsed),
    custom,
  };
}
