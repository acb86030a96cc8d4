/**
 * `npm run bench`: the figures the issues ask for, measured on the local stack with 50 ms added to every
 * Twilio call (roughly a Twilio Functions container talking to Twilio's APIs).
 */
import { performance } from 'node:perf_hooks';
import { startStack, type RunningStack } from '../scripts/local-stack';
import { controlOk } from '../emulator/testing';
import type { RequestLogEntry } from '../emulator/store';
import { measureEmbeddedAi } from './embedded-ai';
import twilio from 'twilio';
import { twilioClient } from '../tests/support/e2e';
import { measureHandoff, type HandoffMeasurement } from './handoff';
import { measureLlmEngine } from './llm-engine';
import { DAYS, measureReporting, SESSIONS } from './insights-report';
import { measureBurst, measureEventCosts } from './recording';
import { measureColdStart } from './cold-start';
import { measureAssist, type AssistMeasurement } from './assist';

const LATENCY_MS = 50;
/** Handed-off tasks accepted, each suggested right after, on the warm handoff stack. */
const ASSIST_RUNS = 5;
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

    const firstMessages: number[] = [];
    const latencies: number[] = [];
    const callsPerSteadyMessage: number[] = [];
    const notSureCopies: number[] = [];
    for (let c = 1; c <= CONTACTS; c++) {
      const from = `+1415555${String(c).padStart(4, '0')}`;
      for (let m = 0; m < MESSAGES_PER_CONTACT; m++) {
        await controlOk(stack.emulator, 'DELETE', '/requests');
        const { ms: elapsed } = await text(stack, from, QUESTIONS[(c + m) % QUESTIONS.length]);
        const calls = await controlOk<RequestLogEntry[]>(stack.emulator, 'GET', '/requests');
        // The first message of a contact creates its map and record; later ones are the steady state.
        if (m === 0) {
          firstMessages.push(elapsed);
        } else {
          latencies.push(elapsed);
          // A not-sure turn also copies the session's outcome to the insights index (the recording row).
          const copies = calls.filter((call) => call.path.includes('/Maps/insights-')).length;
          callsPerSteadyMessage.push(calls.length - copies);
          if (copies > 0) notSureCopies.push(copies);
        }
      }
    }
    latencies.sort((a, b) => a - b);
    firstMessages.sort((a, b) => a - b);
    return {
      firstAnswerMs,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      firstMessageP50: percentile(firstMessages, 50),
      maxCalls: Math.max(...callsPerSteadyMessage),
      meanCalls: callsPerSteadyMessage.reduce((sum, n) => sum + n, 0) / callsPerSteadyMessage.length,
      steadyMessages: callsPerSteadyMessage.length,
      notSureCopies,
    };
  } finally {
    await stack.stop();
  }
}

/** A Conversations service-level delivery (Flex's service carries every conversation of the account). */
async function conversationEvent(stack: RunningStack, params: Record<string, string>): Promise<number> {
  const url = `${stack.env.FUNCTIONS_URL}/conversations/event`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(stack.env.AUTH_TOKEN, url, params),
    },
    body: new URLSearchParams(params),
  });
  return response.status;
}

/** Twilio calls /conversations/event makes for onMessageAdded of conversations not ours: one alive, one gone. */
async function measureForeignEvents(stack: RunningStack): Promise<{ calls: number; events: number }> {
  const foreign = await twilioClient(stack.env)
    .conversations.v1.services(stack.env.CONVERSATIONS_SERVICE_SID)
    .conversations.create({ friendlyName: 'web chat' });
  await controlOk(stack.emulator, 'DELETE', '/requests');
  const sids = [foreign.sid, 'CH' + 'e'.repeat(32)];
  for (const [n, sid] of sids.entries()) {
    const status = await conversationEvent(stack, {
      EventType: 'onMessageAdded',
      AccountSid: stack.env.ACCOUNT_SID,
      ChatServiceSid: stack.env.CONVERSATIONS_SERVICE_SID,
      ConversationSid: sid,
      MessageSid: 'IM' + String(n).repeat(32),
      Author: 'visitor',
      Body: 'Hello from the web chat',
      Source: 'SDK',
    });
    if (status >= 300) throw new Error(`/conversations/event answered ${status}`);
  }
  const calls = await controlOk<unknown[]>(stack.emulator, 'GET', '/requests');
  return { calls: calls.length, events: sids.length };
}

/** A warm process's handoffs: one to warm it up, then 10, 50 and 200 entries. */
async function measureHandoffs() {
  const stack = await startStack({ latencyMs: LATENCY_MS, forkProcess: false });
  try {
    // The task's events cost /taskrouter/event its own calls, racing the handoff's: kept out of its count.
    await twilioClient(stack.env)
      .taskrouter.v1.workspaces(stack.env.FLEX_WORKSPACE_SID)
      .update({ eventsFilter: 'worker.activity.update' });
    await measureHandoff(stack, '+12065559999', 4, LATENCY_MS);
    const runs: HandoffMeasurement[] = [];
    for (const entries of [10, 10, 10, 50, 200]) {
      runs.push(await measureHandoff(stack, `+1206555${String(runs.length).padStart(4, '0')}`, entries, LATENCY_MS));
    }
    const foreign = await measureForeignEvents(stack);
    const assist = await measureAssist(stack, ASSIST_RUNS);
    return { runs, foreign, assist };
  } finally {
    await stack.stop();
  }
}

/** Insights recording: each event's calls through the real functions, and a burst's writes per Sync object. */
async function measureRecording() {
  // Counts of calls and writes do not depend on latency: none is added, so the 2,000-text burst runs quickly.
  const stack = await startStack({ latencyMs: 0, forkProcess: false });
  try {
    return { events: await measureEventCosts(stack), burst: await measureBurst(stack) };
  } finally {
    await stack.stop();
  }
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function slowest(assist: AssistMeasurement): number {
  return assist.acceptToSuggestionMs[assist.acceptToSuggestionMs.length - 1];
}

function calls(run: HandoffMeasurement): string {
  return `${run.twilioCalls} (${run.twilioCalls - run.webhookCalls} without the webhook)`;
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

  const cold = await measureColdStart();
  console.log(
    `/sms/inbound cold start: a fresh process per text, median of ${cold.runs} ("${cold.text}", a new contact):`,
  );
  console.log(
    `  require ${ms(cold.requireMs)} + the handler's own time ${ms(cold.handlerMs)} = ${ms(cold.totalMs)} ` +
      `(target <= 300 ms); RSS ${cold.rssMb.toFixed(0)} MB (target <= 90 MB)`,
  );
  console.log(
    `  CPU time of the require and the handler: ${ms(cold.cpuMs)} (what waiting for a busy machine's cores does not inflate)`,
  );
  console.log(`  not counted: its ${cold.twilioCalls} Twilio calls' ${ms(cold.twilioMs)} (emulator, no added latency)`);
  console.log(
    `  and the runtime's own set-up before it, the Twilio SDK for its \`Twilio\` global: ${ms(cold.runtimeMs)}`,
  );
  console.log(`  dependencies loaded: ${cold.loaded.join(', ')}; not loaded: ${cold.notLoaded.join(', ') || 'none'}\n`);

  let warm!: Awaited<ReturnType<typeof measureSms>>;
  for (const forkProcess of [true, false]) {
    const run = await measureSms(forkProcess);
    if (!forkProcess) warm = run;
    console.log(
      forkProcess
        ? '/sms/inbound, a fresh process per request (twilio-run default, like a cold container):'
        : '/sms/inbound, warm process (--no-fork-process, like a warm container):',
    );
    console.log(
      `  Twilio calls per message in steady state: max ${run.maxCalls}, mean ${run.meanCalls.toFixed(2)} (target <= 2)` +
        `; besides, ${run.notSureCopies.length} of ${run.steadyMessages} were not-sure turns, each copied to the ` +
        'insights index (+1)',
    );
    console.log(`  handler latency in steady state p50 ${ms(run.p50)}, p95 ${ms(run.p95)}`);
    console.log(`  a contact's first message (creates its Sync map) p50 ${ms(run.firstMessageP50)}`);
    console.log(`  time to the first answer after start: ${ms(run.firstAnswerMs)}\n`);
  }

  const handoffs = await measureHandoffs();
  console.log('Handoff through /flex/handoff, warm process (transcript entries incl. two MMS; Functions allow 10 s):');
  for (const run of handoffs.runs) {
    console.log(
      `  ${String(run.entries).padStart(3)} entries: ${run.twilioCalls} Twilio calls ` +
        `(${run.webhookCalls} of them the conversation's webhook), ${ms(run.wallMs)}`,
    );
    const parts = Object.entries(run.breakdown).map(([kind, count]) => `${kind} ${count}`);
    console.log(`       ${parts.join(', ')}`);
  }
  const { foreign } = handoffs;
  console.log(
    `\n/conversations/event, onMessageAdded of ${foreign.events} conversations not ours: ${foreign.calls} Twilio calls\n`,
  );

  const recording = await measureRecording();
  console.log(
    'Insights recording, per event of a session through the real functions (Twilio calls, of them on the index):',
  );
  for (const event of recording.events) {
    console.log(`  ${event.event}: ${event.calls} (${event.indexCalls})`);
  }
  const { burst } = recording;
  console.log(
    `  ${burst.contacts} contacts texting at once, twice each (${burst.texts} texts through /sms/inbound's domain ` +
      `code, ${(burst.ms / 1000).toFixed(1)} s): ${burst.writes} Sync writes; the busiest object ${burst.busiest.object} ` +
      `took ${burst.busiest.writes} (${percent(burst.busiest.share)}, at most ${burst.busiest.peakPerSecond} in a ` +
      `second); the index: ${burst.index.writes} writes over ${burst.index.maps} maps, the busiest ` +
      `${burst.index.busiestWrites} (${percent(burst.index.shareOfIndexWrites)} of them); ${burst.throttled} ` +
      'throttled by Sync\n',
  );
  const ordinary = recording.events.filter((event) => event.event.includes('ordinary'));
  const onceEach = recording.events.filter((event) => !event.event.includes('ordinary') && event.indexCalls > 0);

  const { assist } = handoffs;
  console.log(
    `/flex/assist suggest right after the rep accepts, warm, embedded engine (${ASSIST_RUNS} tasks): ` +
      `${assist.twilioCalls} Twilio calls (token check, task and its reservations side by side, the session read), ` +
      `${assist.acceptToSuggestionMs.map((value) => ms(value)).join(', ')}\n`,
  );

  const [ten, , , fifty, twoHundred] = handoffs.runs;
  const tenWall = handoffs.runs
    .filter((run) => run.entries === 10)
    .map((run) => run.wallMs)
    .sort((a, b) => a - b);
  const table: [string, string, string][] = [
    ['Twilio calls, handoff of a 10-entry transcript (2 MMS)', '<= 18', calls(ten)],
    ['Twilio calls, 50 / 200 entries', '<= 40 / <= 60', `${calls(fifty)} / ${calls(twoHundred)}`],
    [
      'handoff wall time, 10 entries, warm (median of 3)',
      '< 1.0 s',
      `${(percentile(tenWall, 50) / 1000).toFixed(2)} s`,
    ],
    ['/sms/inbound p95, warm, steady state', '<= 150 ms', ms(warm.p95)],
    [
      '/sms/inbound cold start: require + the first text answered (embedded AI), Twilio calls apart, median of 5',
      '<= 300 ms, <= 90 MB RSS',
      `${ms(cold.totalMs)}, ${cold.rssMb.toFixed(0)} MB`,
    ],
    ['Twilio calls per onMessageAdded of a conversation that is not ours', '0', String(foreign.calls / foreign.events)],
    [
      'Recording: Twilio calls an ordinary AI turn adds',
      '0',
      `${Math.max(...ordinary.map((event) => event.indexCalls))} (${ordinary[0].calls} calls a turn)`,
    ],
    [
      'Recording: calls added at a first message, not-sure turn, handoff, accept, first rep reply, end',
      '<= 1 each',
      onceEach.map((event) => event.indexCalls).join(' / '),
    ],
    [
      "Recording: busiest Sync object's share of the writes, 1,000 contacts texting at once",
      '<= 5 %',
      `${percent(burst.busiest.share)} (${burst.busiest.writes} of ${burst.writes}; ` +
        `${percent(burst.index.shareOfIndexWrites)} of the index's)`,
    ],
    ['rep assist: accept to suggestion (the suggest call), warm, embedded, max of 5', '< 500 ms', ms(slowest(assist))],
  ];
  const reporting = await measureReporting(LATENCY_MS);
  console.log(
    `npm run insights on ${SESSIONS.toLocaleString('en-US')} sessions over ${DAYS} days (seeded through the index ` +
      `writer in ${(reporting.seedMs / 1000).toFixed(1)} s, then read with +${LATENCY_MS} ms per call):`,
  );
  console.log(
    `  ${reporting.reads} reads in ${(reporting.readMs / 1000).toFixed(2)} s; report, text and HTML page in ` +
      `${(reporting.reportMs / 1000).toFixed(2)} s\n`,
  );
  table.push(
    [
      `Reporting: ${SESSIONS.toLocaleString('en-US')} sessions over ${DAYS} days read and reported`,
      '< 20 s',
      `${(reporting.totalMs / 1000).toFixed(2)} s`,
    ],
    [
      'Reporting: Twilio reads for those sessions (paged)',
      `~1 per 100 sessions (${SESSIONS / 100})`,
      `${reporting.reads} (${((100 * reporting.reads) / reporting.sessions).toFixed(2)} per 100 sessions)`,
    ],
  );
  console.log(`| measure | target | measured (+${LATENCY_MS} ms per Twilio call) |`);
  console.log('| --- | --- | --- |');
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
  // One conversation, its webhook, the note, a post per entry, a download and an upload per MMS, the participant,
  // the interaction, and the session's read and write.
  const floor = 1 + 1 + 1 + ten.entries + 2 * 2 + 1 + 1 + 2;
  console.log(
    `\nThe floor of this design for 10 entries with 2 MMS is ${floor} calls, above the target of 18; the handoff adds ` +
      `${ten.twilioCalls - floor}: the session write when the contact joins (it records the conversation for the ` +
      "task's events and learns of an opt-out before the task exists), the one that records the task, and insights' " +
      "copy of the session's outcome to its index (run alongside the handoff's first calls, not after them).",
  );
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
