/**
 * `npm run bench`: the figures the issues ask for, measured on the local stack with 50 ms added to every
 * Twilio call (roughly a Twilio Functions container talking to Twilio's APIs).
 */
import { performance } from 'node:perf_hooks';
import { startStack, type RunningStack } from '../scripts/local-stack';
import { controlOk } from '../emulator/testing';
import { measureEmbeddedAi } from './embedded-ai';
import { measureHandoff } from './handoff';
import { measureLlmEngine } from './llm-engine';

const LATENCY_MS = 50;
const CONTACTS = 8;
const MESSAGES_PER_CONTACT = 5;
const QUESTIONS = [
  'What are your opening hours?',
  'How long does shipping take?',
  'Can I return a jacket I bought last week?',
  'Do you accept PayPal?',
  'Where is my order?',
  'Thanks!',
];

interface SmsResult {
  status: number;
  replies: string[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function text(stack: RunningStack, from: string, body: string): Promise<{ result: SmsResult; ms: number }> {
  const started = performance.now();
  const result = await controlOk<SmsResult>(stack.emulator, 'POST', '/sms', { from, body });
  if (result.status !== 200) throw new Error(`webhook answered ${result.status}`);
  return { result, ms: performance.now() - started };
}

async function measureSms(forkProcess: boolean) {
  const started = performance.now();
  const stack = await startStack({ latencyMs: LATENCY_MS, forkProcess });
  try {
    await text(stack, '+14155550000', 'Hello');
    const firstAnswerMs = performance.now() - started;

    const latencies: number[] = [];
    const callsPerSteadyMessage: number[] = [];
    for (let c = 1; c <= CONTACTS; c++) {
      const from = `+1415555${String(c).padStart(4, '0')}`;
      for (let m = 0; m < MESSAGES_PER_CONTACT; m++) {
        await controlOk(stack.emulator, 'DELETE', '/requests');
        const { ms: elapsed } = await text(stack, from, QUESTIONS[(c + m) % QUESTIONS.length]);
        latencies.push(elapsed);
        const calls = await controlOk<unknown[]>(stack.emulator, 'GET', '/requests');
        // The first message of a contact creates its map and record; later ones are the steady state.
        if (m > 0) callsPerSteadyMessage.push(calls.length);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      firstAnswerMs,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      maxCalls: Math.max(...callsPerSteadyMessage),
      meanCalls: callsPerSteadyMessage.reduce((sum, n) => sum + n, 0) / callsPerSteadyMessage.length,
    };
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  console.log(`flex-sms-handoff benchmark (emulator, +${LATENCY_MS} ms per Twilio call)\n`);

  const ai = await measureEmbeddedAi();
  console.log(`Embedded AI, ${ai.topics}-topic knowledge base, ${ai.messages} messages:`);
  console.log(`  per message p50 ${ms(ai.perMessageMs.p50)}, p95 ${ms(ai.perMessageMs.p95)} (target < 5 ms)`);
  console.log(`  first message, index build included: ${ms(ai.coldStartMs)}\n`);

  const llm = await measureLlmEngine();
  console.log(`LLM engine's own overhead per turn, the model's time excluded (${llm.turns} turns, local fake model):`);
  console.log(`  p50 ${ms(llm.overheadMs.p50)}, p95 ${ms(llm.overheadMs.p95)}\n`);

  for (const forkProcess of [true, false]) {
    const run = await measureSms(forkProcess);
    console.log(
      forkProcess
        ? '/sms/inbound, a fresh process per request (twilio-run default, like a cold container):'
        : '/sms/inbound, warm process (--no-fork-process, like a warm container):',
    );
    console.log(
      `  Twilio calls per message in steady state: max ${run.maxCalls}, mean ${run.meanCalls.toFixed(2)} (target <= 2)`,
    );
    console.log(`  handler latency p50 ${ms(run.p50)}, p95 ${ms(run.p95)}`);
    console.log(`  time to the first answer after start: ${ms(run.firstAnswerMs)}\n`);
  }

  console.log('Handoff through /flex/handoff (transcript entries incl. two MMS; Functions allow 10 s):');
  const stack = await startStack({ latencyMs: LATENCY_MS });
  try {
    for (const entries of [10, 50, 200]) {
      const run = await measureHandoff(stack, entries, LATENCY_MS);
      console.log(`  ${String(entries).padStart(3)} entries: ${run.twilioCalls} Twilio calls, ${ms(run.wallMs)}`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
