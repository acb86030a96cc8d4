/**
 * The tools the LLM may call, and how its calls are read. The model's arguments are untrusted: each call is
 * validated with zod, repaired where that is safe (an unknown sentiment is neutral, a key without the `flex_`
 * prefix gets it) and otherwise ignored with the reason why, like calls to tools that do not exist.
 */
import type { ChatCompletionFunctionTool, ChatCompletionToolMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { HandoffDecision } from './engine.private';
import type { CustomData, HandoffReason, Sentiment } from '../session/model.private';
import type * as Text from './text.private';
import type * as SessionModel from '../session/model.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { truncate } = load<typeof Text>('/ai/text.js');
const { SENTIMENTS } = load<typeof SessionModel>('/session/model.js');

/** A tool call as an OpenAI-compatible server returns it; some servers send the arguments as an object. */
export interface ToolCall {
  id: string;
  function: { name: string; arguments: unknown };
}

export interface HandoffRequest {
  decision: HandoffDecision;
  /** For the team member who takes over; absent when the model gave none worth keeping. */
  summary?: string;
  sentiment: Sentiment;
  language: string;
}

export interface ToolCallsRead {
  /** The first valid handoff_to_human call. */
  handoff?: HandoffRequest;
  /** What the set_custom_data calls stored, keys all `flex_*`. */
  customData: CustomData;
  /** Calls left out, with why, for the log. */
  ignored: Array<{ tool: string; problem: string }>;
  /** One result per call, for the model when it needs another round to write its reply. */
  results: ChatCompletionToolMessageParam[];
}

/** The reasons the model may give, all of them the engine's own; `api` is for outside systems only. */
const MODEL_REASONS = [
  'contact_requested',
  'forbidden_topic',
  'frustrated',
  'ai_unable',
] as const satisfies readonly HandoffReason[];
const SUMMARY_MAX_LENGTH = 600;
/** The length the handoff API also allows a custom data string, and a bound on what one turn may store. */
const CUSTOM_VALUE_MAX_LENGTH = 1000;
const CUSTOM_DATA_PER_TURN = 10;
const CUSTOM_PREFIX = 'flex_';
/** A key the Flex workflow can filter on: lower-case letters, digits and underscores. */
const SAFE_IDENTIFIER = /^[a-z0-9_]{1,64}$/;

export const TOOLS: ChatCompletionFunctionTool[] = [
  {
    type: 'function',
    function: {
      name: 'handoff_to_human',
      description: 'Hand the conversation to a person from the team, with what they need to take over.',
      parameters: {
        type: 'object',
        properties: {
          reason: {
            type: 'string',
            description:
              "Why a person should take over, as a short phrase in your words, e.g. 'disputes a double charge'.",
          },
          reason_code: {
            type: 'string',
            enum: [...MODEL_REASONS],
            description:
              'The kind of reason: the contact asked for a person, a forbidden topic, frustration, or you cannot help.',
          },
          summary: { type: 'string', description: 'The conversation so far in two or three sentences, for the team.' },
          sentiment: { type: 'string', enum: [...SENTIMENTS], description: "The contact's mood." },
          language: { type: 'string', description: "The contact's language as a BCP-47 code, e.g. en or es." },
        },
        required: ['reason', 'summary', 'sentiment', 'language'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'set_custom_data',
      description: 'Note a detail the team will need, such as an order number or a department.',
      parameters: {
        type: 'object',
        properties: {
          key: {
            type: 'string',
            description: 'flex_ followed by lower-case letters, digits or _, e.g. flex_order_number.',
          },
          // A plain string type: some self-hosted servers cannot read type lists; numbers and booleans pass too.
          value: { type: 'string', description: 'The detail, as the contact gave it.' },
        },
        required: ['key', 'value'],
      },
    },
  },
];

/** The phrase a rep reads; longer is not a phrase (the summary is where details go). */
const REASON_PHRASE_MAX_LENGTH = 200;

/** "Contact requested" or "contact-requested" is `contact_requested`. */
function reasonCode(text: string): HandoffReason | undefined {
  const asName = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return MODEL_REASONS.find((name) => name === asName);
}

/**
 * The model's reason: its own words become the phrase, a code (in `reason_code`, or `reason` itself from a
 * model that sends one there) the reason; without a code, the model could not help.
 */
const reasonSchema = z
  .object({
    reason: z.string().trim().min(1).optional().catch(undefined),
    reason_code: z.string().optional().catch(undefined),
  })
  .transform(({ reason, reason_code: stated }): HandoffDecision => {
    const code = reasonCode(stated ?? '') ?? reasonCode(reason ?? '') ?? 'ai_unable';
    const phrase = reason && !reasonCode(reason) ? truncate(reason, REASON_PHRASE_MAX_LENGTH) : undefined;
    return phrase ? { reason: code, phrase } : { reason: code };
  });

/** `es-MX` is `es`: the rest of the project speaks in primary language codes, as the embedded engine does. */
const languageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i)
  .transform((tag) => tag.slice(0, tag.search(/[-_]|$/)).toLowerCase());

/** Every field falls back to a safe value: a handoff the model asked for is never lost to one bad argument. */
const HandoffArguments = z.object({
  summary: z
    .string()
    .trim()
    .min(1)
    .transform((summary) => truncate(summary, SUMMARY_MAX_LENGTH))
    .optional()
    .catch(undefined),
  sentiment: z.string().trim().toLowerCase().pipe(z.enum(SENTIMENTS)).catch('neutral'),
  language: languageSchema.optional().catch(undefined),
});

const CustomDataArguments = z.object({
  key: z
    .string()
    .trim()
    .transform((key) => (key.startsWith(CUSTOM_PREFIX) ? key.slice(CUSTOM_PREFIX.length) : key))
    .pipe(z.string().regex(SAFE_IDENTIFIER, 'must be flex_ then 1 to 64 of a-z, 0-9 and _'))
    .transform((name) => CUSTOM_PREFIX + name),
  value: z.union([z.string().trim().min(1).max(CUSTOM_VALUE_MAX_LENGTH), z.number().finite(), z.boolean()]),
});

/** Reads the model's tool calls. `language` is the detected one, for a handoff that names none. */
export function readToolCalls(calls: ToolCall[], language: string): ToolCallsRead {
  const read: ToolCallsRead = { customData: {}, ignored: [], results: [] };
  for (const call of calls) {
    const problem = applyCall(call, language, read);
    if (problem) read.ignored.push({ tool: call.function.name, problem });
    read.results.push({
      role: 'tool',
      tool_call_id: call.id,
      content: JSON.stringify(problem ? { ok: false, error: problem } : { ok: true }),
    });
  }
  return read;
}

/** Applies one call to what was read so far; returns why it was ignored, if it was. */
function applyCall(call: ToolCall, language: string, read: ToolCallsRead): string | undefined {
  const args = parseArguments(call.function.arguments);
  if (args === undefined) return 'arguments are not a JSON object';
  switch (call.function.name) {
    case 'handoff_to_human': {
      if (read.handoff) return 'the conversation is already being handed off';
      const { summary, sentiment, language: stated } = HandoffArguments.parse(args);
      read.handoff = {
        decision: reasonSchema.parse(args),
        ...(summary && { summary }),
        sentiment,
        language: stated ?? language,
      };
      return undefined;
    }
    case 'set_custom_data': {
      if (Object.keys(read.customData).length >= CUSTOM_DATA_PER_TURN) return 'too many custom data entries';
      const parsed = CustomDataArguments.safeParse(args);
      if (!parsed.success) {
        return parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
      }
      read.customData[parsed.data.key] = parsed.data.value;
      return undefined;
    }
    default:
      return 'no such tool';
  }
}

function parseArguments(raw: unknown): Record<string, unknown> | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw || '{}');
    } catch {
      return undefined;
    }
  }
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return isObject ? (value as Record<string, unknown>) : undefined;
}
