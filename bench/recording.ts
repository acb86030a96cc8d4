/**
 * What recording insights costs: the Twilio calls of each event of a session through the real functions (an
 * ordinary AI turn must cost none beyond its read and write), and how the writes of 1,000 contacts texting at
 * once spread over Sync objects (each a first message and one more turn, through the same domain code
 * /sms/inbound runs: handleInboundSms with the project's store), from the emulator's request log.
 */
import { performance } from 'node:perf_hooks';
import type { RunningStack } from '../scripts/local-stack';
import type { RequestLogEntry } from '../emulator/store';
import { controlOk } from '../emulator/testing';
import '../scripts/runtime-assets';
import { createDeps } from '../assets/runtime/deps.private';
import { handleInboundSms } from '../assets/session/inbound-sms.private';
import { createEngine } from '../assets/ai/provider.private';
import { createSyncMap, createTwilioClient } from '../assets/twilio/gateway.private';
import { indexMapNames } from '../assets/insights/outcome.private';
import { eachLimited } from '../assets/insights/sessions-index.private';
import { functionsConfigFor } from '../scripts/local-stack';
import { twilioClient } from '../tests/support/e2e';

const BURST_CONTACTS = 1000;
/** Texts in flight at once during the burst. */
const BURST_CONCURRENCY = 100;
const INDEX_MAP = /\/Maps\/insights-/;

export interface EventCost {
  event: string;
  calls: number;
  /** Of those, the calls on insights' index maps. */
  indexCalls: number;
}

export interface BurstMeasurement {
  contacts: number;
  texts: number;
  /** Successful Sync writes (item creates and updates, map updates; map creates apart). */
  writes: number;
  busiest: { object: string; writes: number; share: number; peakPerSecond: number };
  index: { writes: number; busiestMap: string; busiestWrites: number; shareOfIndexWrites: number; maps: number };
  /** Requests Sync turned away for its per-object rate (the SDK retries them). */
  throttled: number;
  ms: number;
}

async function requests(stack: RunningStack): Promise<RequestLogEntry[]> {
  return controlOk<RequestLogEntry[]>(stack.emulator, 'GET', '/requests');
}

/** Runs `act`, waits for what it set off (webhooks, events), and counts the Twilio calls made meanwhile. */
async function cost(stack: RunningStack, event: string, act: () => Promise<unknown>): Promise<EventCost> {
  await controlOk(stack.emulator, 'GET', '/idle');
  await controlOk(stack.emulator, 'DELETE', '/requests');
  await act();
  await controlOk(stack.emulator, 'GET', '/idle');
  const calls = await requests(stack);
  return { event, calls: calls.length, indexCalls: calls.filter((call) => INDEX_MAP.test(call.path)).length };
}

/** One session through the real functions: each event's calls. */
export async function measureEventCosts(stack: RunningStack): Promise<EventCost[]> {
  const text = (from: string, body: string) => controlOk(stack.emulator, 'POST', '/sms', { from, body });
  for (const warmup of ['+12065550001', '+12065550002']) await text(warmup, 'Hello');
  // The index maps exist, as they do once the first sessions wrote them (a map's first write costs two calls
  // more, once per shard and deployment).
  const client = twilioClient(stack.env);
  for (const uniqueName of indexMapNames()) await createSyncMap(client, stack.env.SYNC_SERVICE_SID, uniqueName);
  const contact = '+12065550003';
  const costs = [
    await cost(stack, "a session's first message", () => text(contact, 'What are your opening hours?')),
    await cost(stack, 'an ordinary AI turn (answered)', () => text(contact, 'Do you accept PayPal?')),
    await cost(stack, 'another ordinary AI turn', () => text(contact, 'How long does shipping take?')),
    await cost(stack, 'a not-sure AI turn', () => text(contact, 'Do you sell pizza?')),
    await cost(stack, 'the handoff (turn, conversation, task, its events)', () =>
      text(contact, 'I need a human please'),
    ),
  ];
  const taskSid = await findTask(stack, contact);
  costs.push(
    await cost(stack, 'the rep accepts', () => controlOk(stack.emulator, 'POST', '/flex/accept', { taskSid })),
    await cost(stack, "the rep's first reply", () =>
      controlOk(stack.emulator, 'POST', '/flex/reply', { taskSid, body: 'Hi, this is Alice.' }),
    ),
    await cost(stack, "the rep's next reply", () =>
      controlOk(stack.emulator, 'POST', '/flex/reply', { taskSid, body: 'Anything else?' }),
    ),
    await cost(stack, 'the task completes (the session ends)', () =>
      controlOk(stack.emulator, 'POST', '/flex/complete', { taskSid }),
    ),
  );
  return costs;
}

/** The contact's task, from the session the handoff recorded. */
async function findTask(stack: RunningStack, contact: string): Promise<string> {
  const client = twilioClient(stack.env);
  const item = await client.sync.v1
    .services(stack.env.SYNC_SERVICE_SID)
    .syncMaps(`contact-${contact.replace(/\D/g, '')}`)
    .syncMapItems('contact')
    .fetch();
  const taskSid = (item.data as { session?: { handoff?: { taskSid?: string } } }).session?.handoff?.taskSid;
  if (!taskSid) throw new Error(`${contact} has no task`);
  return taskSid;
}

/** The Sync object a write is on: its map (a Map's items count against the Map), or undefined for a map create. */
function syncObjectOf(call: RequestLogEntry): string | undefined {
  return /\/Maps\/([^/]+)/.exec(call.path)?.[1];
}

function busiestOf(counts: Map<string, number>): [string, number] {
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best), ['', 0]);
}

/** 1,000 contacts texting at once, twice each: the writes per Sync object, from the emulator's request log. */
export async function measureBurst(stack: RunningStack): Promise<BurstMeasurement> {
  // A Function's context: its environment, and Twilio's client for it.
  const env = functionsConfigFor(stack.emulator, stack.env.HANDOFF_API_KEY);
  const context = { ...env, getTwilioClient: () => createTwilioClient(env) };
  const deps = createDeps(context as unknown as Parameters<typeof createDeps>[0], 'bench/recording');
  const engine = createEngine(deps.config);
  const contacts = Array.from({ length: BURST_CONTACTS }, (_, i) => `+1312555${String(i).padStart(4, '0')}`);
  let sid = 0;
  const text = async (from: string, body: string) => {
    const messageSid = `SM${(++sid).toString(16).padStart(32, '0')}`;
    await handleInboundSms(
      { ...deps, engine },
      { messageSid, from, to: stack.env.TWILIO_PHONE_NUMBER, body, media: [] },
    );
  };
  await controlOk(stack.emulator, 'DELETE', '/requests');
  const started = performance.now();
  await eachLimited(contacts, BURST_CONCURRENCY, (from) => text(from, 'What are your opening hours?'));
  await eachLimited(contacts, BURST_CONCURRENCY, (from) => text(from, 'Do you accept PayPal?'));
  await deps.store.settle();
  const ms = performance.now() - started;

  const calls = await requests(stack);
  const writes = calls.filter((call) => call.sub === 'sync' && call.method === 'POST' && call.status < 300);
  const perObject = new Map<string, number>();
  const perSecond = new Map<string, number>();
  for (const call of writes) {
    const object = syncObjectOf(call);
    if (!object) continue;
    perObject.set(object, (perObject.get(object) ?? 0) + 1);
    const second = `${object}@${call.at.slice(0, 19)}`;
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const counted = [...perObject.values()].reduce((sum, n) => sum + n, 0);
  const [object, busiestWrites] = busiestOf(perObject);
  const peakPerSecond = Math.max(...[...perSecond].filter(([key]) => key.startsWith(`${object}@`)).map(([, n]) => n));
  const indexCounts = new Map([...perObject].filter(([name]) => name.startsWith('insights-')));
  const indexWrites = [...indexCounts.values()].reduce((sum, n) => sum + n, 0);
  const [busiestMap, busiestIndexWrites] = busiestOf(indexCounts);
  return {
    contacts: BURST_CONTACTS,
    texts: 2 * BURST_CONTACTS,
    writes: counted,
    busiest: { object, writes: busiestWrites, share: busiestWrites / counted, peakPerSecond },
    index: {
      writes: indexWrites,
      busiestMap,
      busiestWrites: busiestIndexWrites,
      shareOfIndexWrites: busiestIndexWrites / indexWrites,
      maps: indexCounts.size,
    },
    throttled: calls.filter((call) => call.sub === 'sync' && call.status === 429).length,
    ms,
  };
}
