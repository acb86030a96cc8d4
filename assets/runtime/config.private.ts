/**
 * The configuration every function reads from `context` (Twilio Functions' environment variables), validated
 * once per invocation so that a missing or malformed setting fails with a message that names it.
 */
import { z } from 'zod';

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix}… SID`);
/** An ISO 8601 duration such as PT1H or P1D, as Conversations timers take them. */
const duration = z
  .string()
  .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'must be an ISO 8601 duration like PT1H');
const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );

/** The LLM engine cannot run without a key and a model; the embedded engine needs neither. */
function requireLlmSettings(
  config: { AI_PROVIDER: string; OPENAI_API_KEY?: string; OPENAI_MODEL?: string },
  context: z.RefinementCtx,
): void {
  if (config.AI_PROVIDER !== 'openai') return;
  for (const name of ['OPENAI_API_KEY', 'OPENAI_MODEL'] as const) {
    if (config[name]) continue;
    context.addIssue({ code: 'custom', path: [name], message: 'is required when AI_PROVIDER is openai' });
  }
}

const ConfigSchema = z
  .object({
    ACCOUNT_SID: sid('AC'),
    AUTH_TOKEN: z.string().min(1, 'is required'),
    TWILIO_API_BASE_URL: z.url().optional(),
    SYNC_SERVICE_SID: sid('IS'),
    SESSION_IDLE_MINUTES: z.coerce.number().positive().default(180),
    DATA_RETENTION_DAYS: z.coerce.number().positive().default(30),
    AI_PROVIDER: z.enum(['embedded', 'openai']).default('embedded'),
    /** The LLM engine's credentials: any non-empty string for a self-hosted server that checks none. */
    OPENAI_API_KEY: z.string().min(1).optional(),
    /** A model name, or the deployment name on Azure OpenAI. */
    OPENAI_MODEL: z.string().min(1).optional(),
    /** Any OpenAI-compatible chat completions endpoint; unset: OpenAI's own. */
    OPENAI_BASE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:11434/v1' })
      .optional(),
    /** The whole AI turn, model call included; a handoff needs the rest of the 10 s a function may run. */
    LLM_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(500, 'must be at least 500')
      .max(8000, 'must be at most 8000 (a handoff needs the rest of the 10 s Functions limit)')
      .default(5000),
    AI_AGENT_NAME: z.string().min(1).default('AI Assistant'),
    COMPANY_NAME: z.string().min(1).default('Acme Outfitters'),
    FORBIDDEN_TOPICS: list,
    CONVERSATIONS_SERVICE_SID: sid('IS'),
    FLEX_WORKSPACE_SID: sid('WS'),
    FLEX_WORKFLOW_SID: sid('WW'),
    FLEX_TASK_CHANNEL: z.string().min(1).default('sms'),
    /** Twilio Functions (and twilio-run) set it: where Twilio reaches these functions, for the webhooks we attach. */
    DOMAIN_NAME: z.string().min(1).optional(),
    /**
     * Handle the Conversations service's own post-event webhook for handoffs made before each got its
     * conversation-scoped webhook (costs a conversation fetch per event of the service); off by default.
     */
    LEGACY_HANDOFF_EVENTS: z.stringbool().default(false),
    CONVERSATION_INACTIVE_TIMER: duration.default('PT4H'),
    CONVERSATION_CLOSED_TIMER: duration.default('P1D'),
    /** Outside systems call /flex/handoff with `Authorization: Bearer <HANDOFF_API_KEY>`; unset: Twilio only. */
    HANDOFF_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
    NO_AGENT_TEXT: z
      .string()
      .min(1)
      .default('Sorry, no one from our team is available right now. I am here to help in the meantime.'),
    HELP_TEXT: z
      .string()
      .min(1)
      .default('You are texting our AI assistant. Ask a question, text AGENT for a person, or STOP to opt out.'),
  })
  .superRefine(requireLlmSettings);

export type Config = z.infer<typeof ConfigSchema>;

/** Every variable the functions read: what a deploy uploads as the service's environment (less credentials). */
export const CONFIG_VARIABLES = Object.keys(ConfigSchema.shape) as (keyof Config)[];

/** Where session data lives in Sync, and how long it is kept (DATA_RETENTION_DAYS). */
export function syncStorage(config: Config): { syncServiceSid: string; retentionSeconds: number } {
  return { syncServiceSid: config.SYNC_SERVICE_SID, retentionSeconds: config.DATA_RETENTION_DAYS * 86_400 };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as they do in a `.env` file with `NAME=`. */
function withoutEmpty(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

export function loadConfig(env: Record<string, unknown>): Config {
  const parsed = ConfigSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  return parsed.data;
}
