/**
 * Event Streams in the emulator: webhook sinks and subscriptions, validated against Twilio's spec, and
 * TaskRouter's events delivered to the subscribed sinks as Twilio does: a JSON array of CloudEvents, POSTed to
 * the sink's destination with `bodySHA256` in the URL and signed over that URL (twilio-node's
 * validateRequestWithBody), whatever the workspace's own callback.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { control, controlOk, sdkClient } from '../../emulator/testing';
import { WebhookReceiver } from './webhook-receiver';

let emulator: RunningEmulator;
let client: TwilioClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  emulator = await startEmulator({ taskrouterEventsUrl: `${receiver.url}/taskrouter` });
  receiver.authToken = emulator.account.authToken;
  client = sdkClient(emulator);
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

beforeEach(async () => {
  await controlOk(emulator, 'POST', '/reset');
  await client.taskrouter.v1
    .workspaces(emulator.workspaceSid)
    .update({ eventCallbackUrl: `${receiver.url}/taskrouter` });
  receiver.clear();
});

const events = () => client.events.v1;

async function sinkTo(path: string, extra: Record<string, unknown> = {}) {
  return events().sinks.create({
    description: 'handoff',
    sinkType: 'webhook',
    sinkConfiguration: { destination: `${receiver.url}${path}`, method: 'POST', ...extra },
  });
}

async function createTask(): Promise<string> {
  const task = await client.taskrouter.v1.workspaces(emulator.workspaceSid).tasks.create({
    workflowSid: emulator.workflowSid,
    taskChannel: 'sms',
    attributes: JSON.stringify({ from: '+14155550123' }),
  });
  await control(emulator, 'GET', '/idle');
  return task.sid;
}

interface Delivered {
  type: string;
  specversion: string;
  data: { account_sid: string; payload: Record<string, string> };
}

it('delivers the subscribed TaskRouter events to a webhook sink as signed CloudEvents, beside the callback', async () => {
  const sink = await sinkTo('/stream');
  expect(sink).toMatchObject({ sinkType: 'webhook', status: 'active' });
  const subscription = await events().subscriptions.create({
    description: 'task events',
    sinkSid: sink.sid,
    types: [{ type: 'com.twilio.taskrouter.task.created', schema_version: 1 }],
  });
  const taskSid = await createTask();

  const streamed = receiver.at('/stream');
  expect(streamed).toHaveLength(1);
  expect(streamed[0].signatureValid).toBe(true);
  expect(streamed[0].headers['content-type']).toBe('application/json');
  const [event] = streamed[0].json as Delivered[];
  expect(event).toMatchObject({ specversion: '1.0', type: 'com.twilio.taskrouter.task.created' });
  expect(event.data.account_sid).toBe(emulator.account.sid);
  expect(event.data.payload).toMatchObject({
    eventtype: 'task.created',
    task_sid: taskSid,
    workspace_sid: emulator.workspaceSid,
    account_sid: emulator.account.sid,
  });
  // The workspace's own callback still gets every event.
  expect(receiver.eventTypes('/taskrouter')).toContain('task.created');

  // More types on the same subscription; the sink then gets those too, nothing else.
  await events()
    .subscriptions(subscription.sid)
    .subscribedEvents.create({ type: 'com.twilio.taskrouter.task.canceled' });
  const listed = await events().subscriptions(subscription.sid).subscribedEvents.list();
  expect(listed.map((t) => t.type).sort()).toEqual([
    'com.twilio.taskrouter.task.canceled',
    'com.twilio.taskrouter.task.created',
  ]);
  expect(await events().subscriptions.list({ sinkSid: sink.sid })).toHaveLength(1);
});

it('sends one event alone (not in an array) to a sink with batch_events false', async () => {
  const sink = await sinkTo('/single', { batch_events: false });
  await events().subscriptions.create({
    description: 'one',
    sinkSid: sink.sid,
    types: [{ type: 'com.twilio.taskrouter.task.created' }],
  });
  await createTask();
  const [delivery] = receiver.at('/single');
  expect(delivery.signatureValid).toBe(true);
  expect(delivery.json).toMatchObject({ type: 'com.twilio.taskrouter.task.created' });
});

it('refuses what Twilio refuses, and a sink in use cannot be deleted', async () => {
  await expect(
    events().sinks.create({ description: 'x', sinkType: 'webhook', sinkConfiguration: { method: 'POST' } }),
  ).rejects.toMatchObject({ status: 400 });
  const sink = await sinkTo('/stream');
  await expect(
    events().subscriptions.create({ description: 'x', sinkSid: sink.sid, types: [{ type: 'not an event' }] }),
  ).rejects.toMatchObject({ status: 400 });
  const subscription = await events().subscriptions.create({
    description: 'x',
    sinkSid: sink.sid,
    types: [{ type: 'com.twilio.taskrouter.task.created' }],
  });
  await expect(events().sinks(sink.sid).remove()).rejects.toMatchObject({ status: 400 });
  await events().subscriptions(subscription.sid).remove();
  await events().sinks(sink.sid).remove();
  expect(await events().sinks.list()).toEqual([]);
  const { json } = await control<unknown[]>(emulator, 'GET', '/violations');
  expect(json).toEqual([]);
});
