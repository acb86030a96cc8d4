/**
 * What a handoff costs: a session of N transcript entries (two of them MMS) handed off through /flex/handoff,
 * counting the Twilio calls it makes (those attaching its conversation-scoped webhook apart) and its wall time,
 * with the stack's added latency per Twilio call.
 */
import { performance } from 'node:perf_hooks';
import type { RunningStack } from '../scripts/local-stack';
import type { RequestLogEntry } from '../emulator/store';
import { controlOk } from '../emulator/testing';
import { appendTurns } from '../tests/support/seed';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
const SCOPED_WEBHOOK = /^\/v1\/Services\/IS\w+\/Conversations\/CH\w+\/Webhooks/;

export interface HandoffMeasurement {
  entries: number;
  twilioCalls: number;
  /** Of those, the calls attaching the conversation's own webhook. */
  webhookCalls: number;
  /** The calls by what they do, e.g. `{ 'transcript posts': 11, 'Sync write': 2 }`. */
  breakdown: Record<string, number>;
  wallMs: number;
}

/** What a Twilio request of the handoff does. */
function kindOf({ method, sub, path }: RequestLogEntry): string {
  if (sub === 'sync')
    return /\/Items\/contact$/.test(path) ? `Sync ${method === 'GET' ? 'read' : 'write'}` : 'Sync other';
  if (sub.startsWith('mcs')) return 'media upload';
  if (sub === 'api' && path.includes('/Media/')) return 'media download';
  if (sub === 'conversations') {
    if (SCOPED_WEBHOOK.test(path)) return 'scoped webhook';
    if (/\/Messages$/.test(path)) return method === 'POST' ? 'posts (note + transcript)' : 'message list';
    if (/\/Participants$/.test(path)) return method === 'POST' ? 'participant' : 'participant list';
    if (/\/Conversations$/.test(path)) return 'conversation';
  }
  if (sub === 'flex-api') return 'interaction';
  return `${method} ${sub}${path.replace(/[A-Z]{2}[0-9a-f]{32}/g, '{sid}')}`;
}

function breakdownOf(calls: RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[kindOf(call)] = (counts[kindOf(call)] ?? 0) + 1;
  return counts;
}

/** Two real MMS through the webhook (so their media exist), then plain turns written straight to Sync. */
async function seedSession(stack: RunningStack, contact: string, entries: number): Promise<void> {
  for (const body of ['Photo of the damaged box', 'And the receipt']) {
    await controlOk(stack.emulator, 'POST', '/sms', {
      from: contact,
      body,
      media: [{ contentType: 'image/png', base64: PNG }],
    });
  }
  await appendTurns(stack.env, contact, entries - 4);
}

export async function measureHandoff(
  stack: RunningStack,
  contact: string,
  entries: number,
  latencyMs: number,
): Promise<HandoffMeasurement> {
  await controlOk(stack.emulator, 'POST', '/latency', { ms: 0 });
  await seedSession(stack, contact, entries);
  await controlOk(stack.emulator, 'POST', '/latency', { ms: latencyMs });
  await controlOk(stack.emulator, 'DELETE', '/requests');

  const started = performance.now();
  const response = await fetch(`${stack.env.FUNCTIONS_URL}/flex/handoff`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${stack.env.HANDOFF_API_KEY}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ From: contact, reason: 'benchmark' }),
  });
  const wallMs = performance.now() - started;
  if (response.status !== 200) throw new Error(`handoff answered ${response.status}: ${await response.text()}`);
  const calls = await controlOk<RequestLogEntry[]>(stack.emulator, 'GET', '/requests');
  const webhookCalls = calls.filter((call) => call.sub === 'conversations' && SCOPED_WEBHOOK.test(call.path)).length;
  return { entries, twilioCalls: calls.length, webhookCalls, breakdown: breakdownOf(calls), wallMs };
}
