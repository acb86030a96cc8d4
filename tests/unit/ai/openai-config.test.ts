import { createEngine } from '../../../assets/ai/provider.private';
import { loadConfig } from '../../../assets/runtime/config.private';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai';

const twilio = {
  ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  AUTH_TOKEN: 'token',
  SYNC_SERVICE_SID: `IS${'b'.repeat(32)}`,
  CONVERSATIONS_SERVICE_SID: `IS${'c'.repeat(32)}`,
  FLEX_WORKSPACE_SID: `WS${'d'.repeat(32)}`,
  FLEX_WORKFLOW_SID: `WW${'e'.repeat(32)}`,
};

describe('configuring the LLM engine', () => {
  it('needs a key and a model with AI_PROVIDER=openai, and says so', () => {
    expect(() => loadConfig({ ...twilio, AI_PROVIDER: 'openai', OPENAI_API_KEY: '' })).toThrow(
      'OPENAI_API_KEY is required when AI_PROVIDER is openai; OPENAI_MODEL is required when AI_PROVIDER is openai',
    );
    expect(loadConfig({ ...twilio }).AI_PROVIDER).toBe('embedded');
  });

  it('gives the turn 5 s by default, and at most 8 s', () => {
    const llm = { ...twilio, AI_PROVIDER: 'openai', OPENAI_API_KEY: 'ollama', OPENAI_MODEL: 'llama3.1' };
    expect(loadConfig(llm).LLM_TIMEOUT_MS).toBe(5000);
    expect(loadConfig({ ...llm, LLM_TIMEOUT_MS: '8000' }).LLM_TIMEOUT_MS).toBe(8000);
    expect(() => loadConfig({ ...llm, LLM_TIMEOUT_MS: '9000' })).toThrow('LLM_TIMEOUT_MS must be at most 8000');
    expect(() => loadConfig({ ...llm, OPENAI_BASE_URL: 'localhost:11434' })).toThrow(
      'OPENAI_BASE_URL must be an http(s) URL such as http://localhost:11434/v1',
    );
  });
});

describe('the engine the configuration picks', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi({ fallback: { content: 'The model answers.' } });
  });
  afterAll(() => fake.close());

  const respond = (env: Record<string, string>) =>
    createEngine(loadConfig({ ...twilio, ...env })).respond({
      message: { body: 'when are you open?', media: [] },
      history: [],
      failedAnswers: 0,
      customData: {},
    });

  it('is the LLM at OPENAI_BASE_URL with AI_PROVIDER=openai', async () => {
    const env = { AI_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-local', OPENAI_MODEL: 'qwen2.5' };
    expect((await respond({ ...env, OPENAI_BASE_URL: fake.url })).reply).toBe('The model answers.');
    expect(fake.requests.at(-1)?.body.model).toBe('qwen2.5');
  });

  it('is the embedded engine by default', async () => {
    fake.reset();
    expect((await respond({})).reply).toMatch(/Monday to Friday/);
    expect(fake.requests).toHaveLength(0);
  });
});
