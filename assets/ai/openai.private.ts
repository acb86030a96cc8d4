/**
 * The LLM engine (AI_PROVIDER=openai): any OpenAI-compatible chat completions endpoint (OpenAI, Azure OpenAI,
 * Ollama, vLLM) answers from the knowledge-base topics closest to the message, and hands off or notes custom
 * data through tools. The embedded engine reads every message too, which is what makes the model safe to use:
 * - its analysis gives every turn its sentiment, language and summary (a handoff by the model overrides them);
 * - a request for a person or a forbidden topic it recognizes hands off before the model is even asked: always,
 *   whatever the model would say, and leaving the handoff its seconds of the 10 s Functions limit;
 * - its answer stands in whenever the model fails, is late, says nothing usable or gives its instructions away.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { Fields, Logger } from '../runtime/logger.private';
import type * as LoggerModule from '../runtime/logger.private';
import type { AiEngine, EngineOptions, EngineTurn, EngineTurnInput } from './engine.private';
import type { CustomData, HandoffReason } from '../session/model.private';
import type * as Embedded from './embedded.private';
import type * as Markdown from './knowledge/markdown.private';
import type * as Language from './language.private';
import type * as LlmPrompt from './llm-prompt.private';
import type * as LlmTools from './llm-tools.private';
import type * as Replies from './replies.private';
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { createLogger } = load<typeof LoggerModule>('/runtime/logger.js');
const { createEmbeddedEngine } = load<typeof Embedded>('/ai/embedded.js');
const { markdownToPlainText } = load<typeof Markdown>('/ai/knowledge/markdown.js');
const { createPrompt, NO_DRAFT } = load<typeof LlmPrompt>('/ai/llm-prompt.js');
const { detectLanguage } = load<typeof Language>('/ai/language.js');
const { TOOLS, readToolCalls } = load<typeof LlmTools>('/ai/llm-tools.js');
const { repliesIn } = load<typeof Replies>('/ai/replies.js');
const { truncate } = load<typeof Text>('/ai/text.js');

export interface OpenAiEngineOptions extends EngineOptions {
  /** The API's base URL, e.g. http://localhost:11434/v1; OpenAI's own when absent. */
  baseUrl?: string;
  /** Sent as a header only, never in a prompt. Any non-empty string for a server that checks none. */
  apiKey: string;
  /** The model name; on Azure OpenAI, the deployment name. */
  model: string;
  /** The whole turn, model calls included. */
  timeoutMs: number;
  logger?: Logger;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** The Azure OpenAI API version for deployment URLs that do not name one (`?api-version=`). */
const AZURE_API_VERSION = '2024-10-21';
/** Twilio's limit for one message body. */
const SMS_MAX_LENGTH = 1600;
/** A second call, only when the model called tools without writing its reply. */
const MAX_MODEL_CALLS = 2;
/** Kept out of the model's time to read its answer and build the turn. */
const TURN_ASSEMBLY_MS = 25;
/** Shorter keys are placeholders for servers that check none ("ollama"), not secrets a reply could leak. */
const SECRET_MIN_LENGTH = 8;
/** The handoffs the embedded engine decides alone, before the model is asked. */
const GUARDED_REASONS = new Set<HandoffReason>(['contact_requested', 'forbidden_topic']);

/** What the engine reads of a completion; anything else a server sends is left alone. */
const CompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          // A call of another kind (OpenAI's "custom" tools) is dropped, not a reason to drop the whole answer.
          tool_calls: z
            .array(
              z
                .object({
                  id: z.string().catch(''),
                  function: z.object({ name: z.string(), arguments: z.unknown() }),
                })
                .nullable()
                .catch(null),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
});

interface ModelMessage {
  /** The text for the contact, trimmed; empty when the model wrote none. */
  text: string;
  toolCalls: LlmTools.ToolCall[];
}

/** What the model decided this turn. */
interface ModelAnswer {
  reply?: string;
  handoff?: LlmTools.HandoffRequest;
  customData: CustomData;
}

class UnusableCompletionError extends Error {}

export function createOpenAiEngine(options: OpenAiEngineOptions): AiEngine {
  const client = createClient(options);
  const embedded = createEmbeddedEngine(options);
  const prompt = createPrompt(options);
  const logger = options.logger ?? createLogger('ai/openai');
  const secret = secretOf(options);

  // The SMS webhook asks again for the same message when its write conflicts: an unchanged input gets the same
  // turn, not a second model call out of the 10 s the function has.
  let latest: { input: string; turn: Promise<EngineTurn> } | undefined;
  return {
    respond(input: EngineTurnInput): Promise<EngineTurn> {
      const key = JSON.stringify(input);
      if (latest?.input !== key) latest = { input: key, turn: takeTurn(input) };
      return latest.turn;
    },
  };

  async function takeTurn(input: EngineTurnInput): Promise<EngineTurn> {
    const deadline = Date.now() + options.timeoutMs;
    const analysis = await embedded.respond(input);
    if (analysis.handoff && GUARDED_REASONS.has(analysis.handoff.reason)) return analysis;

    const answer = await askModel(input, analysis.language, deadline);
    if (givesAway(answer)) {
      logger.warn('The model quoted its instructions or key: the embedded engine answered instead');
      return analysis;
    }
    return combine(analysis, answer);
  }

  /** The model's answer, over at most two calls and within the deadline. Failures are logged, never thrown. */
  async function askModel(input: EngineTurnInput, language: string, deadline: number): Promise<ModelAnswer> {
    const answer: ModelAnswer = { customData: {} };
    const messages = prompt.messagesFor(input, language);
    const startedAt = Date.now();
    try {
      for (let call = 1; call <= MAX_MODEL_CALLS; call++) {
        const message = await complete(messages, deadline);
        const tools = readToolCalls(message.toolCalls, language);
        if (tools.ignored.length > 0) logger.warn('Ignored tool calls of the model', { ignored: tools.ignored });
        answer.handoff ??= tools.handoff;
        Object.assign(answer.customData, tools.customData);
        answer.reply = message.text || undefined;
        if (answer.reply || answer.handoff || message.toolCalls.length === 0) break;
        // The model called tools without a word for the contact: it gets their results and writes the reply.
        messages.push(assistantMessage(message), ...tools.results);
      }
    } catch (error) {
      const ms = Date.now() - startedAt;
      logger.warn('The model failed: the embedded engine answered', { ...describeFailure(error, secret), ms });
      return answer;
    }
    if (!answer.reply && !answer.handoff) logger.warn('The model wrote no reply: the embedded engine answered');
    return answer;
  }

  function complete(messages: ChatCompletionMessageParam[], deadline: number): Promise<ModelMessage> {
    return completeChat(client, options.model, messages, deadline, TOOLS);
  }

  /** Whether anything the answer would send out quotes the instructions or contains the API key. */
  function givesAway(answer: ModelAnswer): boolean {
    const outgoing = [
      answer.reply,
      answer.handoff?.summary,
      answer.handoff?.decision.phrase,
      ...Object.values(answer.customData).map(String),
    ];
    const reveals = (text: string) =>
      (secret !== undefined && text.includes(secret)) || prompt.echoesInstructions(text);
    return outgoing.some((text) => text !== undefined && reveals(text));
  }
}

/** One chat completion within the deadline: the model's text and tool calls. */
async function completeChat(
  client: OpenAI,
  model: string,
  messages: ChatCompletionMessageParam[],
  deadline: number,
  tools?: typeof TOOLS,
): Promise<ModelMessage> {
  const timeout = deadline - Date.now() - TURN_ASSEMBLY_MS;
  if (timeout <= 0) throw new Error('no time left in the turn for the model');
  // The SDK's timeout ends the wait for the response; the signal also ends reading a body that trickles in.
  const completion: unknown = await client.chat.completions.create(
    { model, messages, ...(tools && { tools }) },
    { timeout, signal: AbortSignal.timeout(timeout) },
  );
  const parsed = CompletionSchema.safeParse(completion);
  if (!parsed.success) throw new UnusableCompletionError('the response is not a chat completion');
  const { content, refusal, tool_calls: calls } = parsed.data.choices[0].message;
  const toolCalls = (calls ?? []).flatMap((call, index) => (call ? [{ ...call, id: call.id || `call_${index}` }] : []));
  return { text: (content || refusal || '').trim(), toolCalls };
}

/** The API key, when it is long enough to be a secret a reply could leak (not a placeholder like "ollama"). */
function secretOf(options: OpenAiEngineOptions): string | undefined {
  return options.apiKey.length >= SECRET_MIN_LENGTH ? options.apiKey : undefined;
}

/** A failure for the log, with the API key masked should a server echo it. */
function describeFailure(error: unknown, secret: string | undefined): Fields {
  // Not `instanceof Error`: an aborted body read rejects with a DOMException, from another realm under jest.
  const { constructor, message, status } = Object(error) as {
    constructor: { name: string };
    message?: unknown;
    status?: unknown;
  };
  const text = String(message ?? error);
  return {
    failure: constructor.name,
    ...(typeof status === 'number' && { status }),
    message: secret ? text.replaceAll(secret, '***') : text,
  };
}

export interface ReplyDrafter {
  /** A reply to the contact's message for a rep to edit and send; undefined when the model has none to offer. */
  draft(input: EngineTurnInput): Promise<string | undefined>;
}

/**
 * Rep assist's drafts: the model writes a reply to the contact's message from the knowledge-base topics that bear
 * on it and the conversation, for a rep who reviews it. No tools (the rep decides and sends), and a failure, a
 * late answer, no answer or one that gives the instructions away is no draft: the panel still has the topics.
 */
export function createOpenAiDrafter(options: OpenAiEngineOptions): ReplyDrafter {
  const client = createClient(options);
  const prompt = createPrompt(options, 'rep');
  const logger = options.logger ?? createLogger('ai/openai');
  const secret = secretOf(options);
  return {
    async draft(input) {
      const deadline = Date.now() + options.timeoutMs;
      const language = detectLanguage(
        [...input.history.filter((e) => e.author === 'contact'), input.message].map((m) => m.body),
      );
      try {
        const { text } = await completeChat(client, options.model, prompt.messagesFor(input, language), deadline);
        const reveals = (secret !== undefined && text.includes(secret)) || prompt.echoesInstructions(text);
        if (!text || text.trim() === NO_DRAFT || reveals) return undefined;
        return toSms(text);
      } catch (error) {
        logger.warn('The model failed to draft a reply for the rep', describeFailure(error, secret));
        return undefined;
      }
    },
  };
}

/**
 * The turn: the model's reply or handoff on the embedded engine's analysis. Without either, the embedded
 * engine's own answer (and handoff, if it decided one), with whatever custom data the model noted.
 */
function combine(analysis: EngineTurn, answer: ModelAnswer): EngineTurn {
  const customData = Object.keys(answer.customData).length > 0 ? { customData: answer.customData } : {};
  const { handoff } = answer;
  if (handoff) {
    const { reason } = handoff.decision;
    // The model could not answer: the topic the embedded engine's search of the same message found nearest (the
    // retrieval that grounds the model ranks the same index).
    const unanswered = reason === 'ai_unable' ? { nearestTopic: analysis.nearestTopic ?? null } : {};
    return {
      reply: answer.reply ? toSms(answer.reply) : repliesIn(handoff.language).handoff[reason],
      answered: reason !== 'ai_unable',
      ...unanswered,
      handoff: handoff.decision,
      sentiment: handoff.sentiment,
      language: handoff.language,
      summary: handoff.summary ?? analysis.summary,
      ...customData,
    };
  }
  if (answer.reply) {
    const { sentiment, language, summary } = analysis;
    return { reply: toSms(answer.reply), answered: true, sentiment, language, summary, ...customData };
  }
  return { ...analysis, ...customData };
}

/** SMS is plain text: the model's Markdown unwrapped, its lines kept, its length capped. */
function toSms(text: string): string {
  return truncate(markdownToPlainText(text, '\n'), SMS_MAX_LENGTH);
}

function assistantMessage(message: ModelMessage): ChatCompletionAssistantMessageParam {
  return {
    role: 'assistant',
    content: message.text || null,
    tool_calls: message.toolCalls.map(({ id, function: { name, arguments: args } }) => ({
      id,
      type: 'function',
      function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
    })),
  };
}

/**
 * The SDK client. Retries are off: the turn's time budget is ours to spend. An Azure OpenAI deployment URL
 * (`…/openai/deployments/<name>`) needs an API version and the key in an `api-key` header, which AzureOpenAI
 * sends; Azure's v1 endpoint (`…/openai/v1`) and every other server take the plain client.
 */
function createClient({ baseUrl = OPENAI_BASE_URL, apiKey, timeoutMs }: OpenAiEngineOptions): OpenAI {
  const url = new URL(baseUrl);
  const settings = { apiKey, maxRetries: 0, timeout: timeoutMs };
  if (!/\/openai\/deployments\/[^/]+\/?$/.test(url.pathname)) return new OpenAI({ ...settings, baseURL: baseUrl });
  const apiVersion = url.searchParams.get('api-version') ?? AZURE_API_VERSION;
  url.search = '';
  return new AzureOpenAI({ ...settings, baseURL: url.href.replace(/\/$/, ''), apiVersion });
}
