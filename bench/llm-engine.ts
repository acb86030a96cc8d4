/**
 * What the LLM engine itself adds to a turn, the model's time apart: the embedded analysis, retrieval, the
 * prompt, the SDK and the local HTTP round trip, reading the answer and its tool calls. The fake server
 * answers at once; the little time it spends on a request is subtracted all the same.
 */
import '../scripts/runtime-assets';
import { performance } from 'node:perf_hooks';
import type { TranscriptEntry } from '../assets/session/model.private';
import { createOpenAiEngine } from '../assets/ai/openai.private';
import { startFakeOpenAi, type FakeReply, type FakeRequest } from '../tests/support/fake-openai';
import { generateKnowledgeBase, generateMessages } from './embedded-ai';

export interface LlmEngineMeasurement {
  /** Timed turns that asked the model (a request for a person, say, hands off without it). */
  turns: number;
  overheadMs: { p50: number; p95: number };
}

const MESSAGES = 300;
/** Untimed first turns: the SDK loading, the index building, the connection opening. */
const WARM_UP_TURNS = 5;
const HISTORY_TURNS = 3;

/** Mostly plain answers; every fourth one also notes an order number, as a model would. */
function modelReply(request: FakeRequest): FakeReply {
  const content = 'Our lightest tent weighs 900 grams. Anything else I can help with?';
  if (request.body.messages.length % 4 !== 0) return { content };
  return { content, toolCalls: [{ name: 'set_custom_data', arguments: { key: 'flex_order_number', value: '1234' } }] };
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export async function measureLlmEngine(): Promise<LlmEngineMeasurement> {
  const fake = await startFakeOpenAi({ fallback: modelReply });
  try {
    const engine = createOpenAiEngine({
      knowledgeBase: generateKnowledgeBase().markdown,
      forbiddenTopics: ['lawsuit', 'legal action'],
      agentName: 'Ava',
      companyName: 'Acme Outfitters',
      baseUrl: fake.url,
      apiKey: 'sk-bench-not-a-real-key',
      model: 'bench-model',
      timeoutMs: 8000,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    const history: TranscriptEntry[] = [];
    const overheads: number[] = [];
    for (const [index, body] of generateMessages(WARM_UP_TURNS + MESSAGES).entries()) {
      const requestsBefore = fake.requests.length;
      const startedAt = performance.now();
      const turn = await engine.respond({
        message: { body, media: [] },
        history: history.slice(-HISTORY_TURNS * 2),
        failedAnswers: 0,
        customData: {},
      });
      const elapsed = performance.now() - startedAt;
      const modelMs = fake.requests
        .slice(requestsBefore)
        .reduce((sum, request) => sum + (request.answeredAt ?? request.receivedAt) - request.receivedAt, 0);
      if (index >= WARM_UP_TURNS && fake.requests.length > requestsBefore) overheads.push(elapsed - modelMs);

      const at = new Date(Date.UTC(2025, 0, 6, 14, 0, index * 30)).toISOString();
      history.push(
        { id: `SM${index}`, author: 'contact', body, at },
        { id: `SM${index}:reply`, author: 'ai', body: turn.reply, at },
      );
    }
    const sorted = overheads.sort((a, b) => a - b);
    return {
      turns: sorted.length,
      overheadMs: { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)) },
    };
  } finally {
    await fake.close();
  }
}
