/**
 * Rep assist's speed: a contact asks how to return an item, then for a person; the moment the rep accepts the
 * task, the panel asks /flex/assist for suggestions. Measured: from the accept to the suggest answer (the panel
 * asks at once, so this is the suggest call's latency right after the accept), on a warm function with the
 * embedded engine and the stack's added latency per Twilio call; and the Twilio calls one suggest costs.
 */
import { performance } from 'node:perf_hooks';
import type { RunningStack } from '../scripts/local-stack';
import type { RequestLogEntry } from '../emulator/store';
import { controlOk } from '../emulator/testing';

export interface AssistMeasurement {
  /** Accept to suggest answer, each run, in ms. */
  acceptToSuggestionMs: number[];
  /** Twilio calls of one suggest call. */
  twilioCalls: number;
}

async function handedOffTask(stack: RunningStack, contact: string): Promise<string> {
  for (const body of ['how do I return an item', 'I want to talk to a person']) {
    await controlOk(stack.emulator, 'POST', '/sms', { from: contact, body });
  }
  await controlOk(stack.emulator, 'GET', '/idle');
  const tasks = await controlOk<{ sid: string; attributes: { from?: string } }[]>(stack.emulator, 'GET', '/flex/tasks');
  const task = tasks.find((candidate) => candidate.attributes.from === contact);
  if (!task) throw new Error(`No task for ${contact}`);
  return task.sid;
}

async function suggest(stack: RunningStack, token: string, taskSid: string): Promise<void> {
  const response = await fetch(`${stack.env.FUNCTIONS_URL}/flex/assist`, {
    method: 'POST',
    body: new URLSearchParams({ Token: token, action: 'suggest', taskSid }),
  });
  const answer = (await response.json()) as { suggestions?: { topic: string }[] };
  if (response.status !== 200 || answer.suggestions?.[0]?.topic !== 'Returns') {
    throw new Error(`suggest answered ${response.status}: ${JSON.stringify(answer)}`);
  }
}

export async function measureAssist(stack: RunningStack, runs: number): Promise<AssistMeasurement> {
  const { token } = await controlOk<{ token: string }>(stack.emulator, 'POST', '/flex/tokens', {});
  const acceptToSuggestionMs: number[] = [];
  let taskSid = '';
  // The first run warms the function (its modules, the knowledge base's index) and is not counted.
  for (let run = 0; run <= runs; run++) {
    taskSid = await handedOffTask(stack, `+1303555${String(run).padStart(4, '0')}`);
    await controlOk(stack.emulator, 'POST', '/flex/accept', { taskSid });
    const started = performance.now();
    await suggest(stack, token, taskSid);
    if (run > 0) acceptToSuggestionMs.push(performance.now() - started);
  }
  // Its calls counted alone, once the accept's events are handled (they write the session meanwhile).
  await controlOk(stack.emulator, 'GET', '/idle');
  await controlOk(stack.emulator, 'DELETE', '/requests');
  await suggest(stack, token, taskSid);
  const twilioCalls = (await controlOk<RequestLogEntry[]>(stack.emulator, 'GET', '/requests')).length;
  return { acceptToSuggestionMs: acceptToSuggestionMs.sort((a, b) => a - b), twilioCalls };
}
