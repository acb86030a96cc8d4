/** Picks the AI engine the configuration names, grounded in the deployed knowledge base. */
import type { Config } from '../runtime/config.private';
import type * as ConfigModule from '../runtime/config.private';
import type { AiEngine, EngineOptions } from './engine.private';
import type * as Embedded from './embedded.private';
import type * as OpenAi from './openai.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { ConfigError } = load<typeof ConfigModule>('/runtime/config.js');
const { createEmbeddedEngine } = load<typeof Embedded>('/ai/embedded.js');

function engineOptions(config: Config): EngineOptions {
  return {
    knowledgeBase: Runtime.getAssets()['/knowledge.md'].open(),
    forbiddenTopics: config.FORBIDDEN_TOPICS,
    agentName: config.AI_AGENT_NAME,
    companyName: config.COMPANY_NAME,
  };
}

export function createEngine(config: Config): AiEngine {
  const options = engineOptions(config);
  if (config.AI_PROVIDER === 'openai') return llm().createOpenAiEngine(llmOptions(config, options));
  return createEmbeddedEngine(options);
}

/** Rep assist's drafted replies: only with an LLM; the embedded engine's answers are the topics themselves. */
export function createReplyDrafter(config: Config): OpenAi.ReplyDrafter | undefined {
  if (config.AI_PROVIDER !== 'openai') return undefined;
  return llm().createOpenAiDrafter(llmOptions(config, engineOptions(config)));
}

/** Loaded only with an LLM configured, so the embedded engine's cold start does not pay for the OpenAI SDK. */
function llm(): typeof OpenAi {
  return load<typeof OpenAi>('/ai/openai.js');
}

function llmOptions(config: Config, options: EngineOptions): OpenAi.OpenAiEngineOptions {
  const { OPENAI_API_KEY: apiKey, OPENAI_MODEL: model } = config;
  // loadConfig already insists on both; this tells the type checker.
  if (!apiKey || !model) {
    throw new ConfigError(['OPENAI_API_KEY and OPENAI_MODEL are required when AI_PROVIDER is openai']);
  }
  return { ...options, baseUrl: config.OPENAI_BASE_URL, apiKey, model, timeoutMs: config.LLM_TIMEOUT_MS };
}
