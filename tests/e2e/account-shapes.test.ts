/**
 * Installing into real contact centers, end to end: on each account shape (`POST /__emulator/shapes/{name}`),
 * `npm run setup -- --yes` against the deployment's domain, then a contact's text and a handoff through the
 * built functions under the real twilio-run. The emulator serves the domain from that twilio-run
 * (`/__emulator/hosts`), so every webhook goes where setup pointed it, by whichever route setup chose. One
 * emulator and one twilio-run of its own (the shared stack's account stays as other files expect it), reset and
 * re-seeded per shape; one warm function process, as a deployed function mostly is, to keep the file cheap.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { OTHER_INTEGRATION, type ShapeResult } from '../../emulator/shapes';
import { controlOk, sdkClient, twilioRequest } from '../../emulator/testing';
import { contactMapName } from '../../assets/session/store.private';
import type { ContactRecord } from '../../assets/session/model.private';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { freePort, functionsConfigFor, startFunctions } from '../../scripts/local-stack';
import { DOMAIN, emulatorEnv, expectNoViolations, runCli } from '../cli/cli';
import { newContactNumber } from '../support/e2e';

// Per shape: setup and doctor (a few seconds each as child processes) and about ten function invocations.
jest.setTimeout(120_000);

let emulator: RunningEmulator;
let client: TwilioClient;
let functions: ChildProcess;
let cliEnv: Record<string, string>;
/** What the functions logged, line by line. */
const logs: string[] = [];

const OURS = {
  sms: `https://${DOMAIN}/sms/inbound`,
  taskrouter: `https://${DOMAIN}/taskrouter/event`,
  conversations: `https://${DOMAIN}/conversations/event`,
};

beforeAll(async () => {
  emulator = await startEmulator(); // a new Flex account: nothing points at the deployment until setup does
  client = sdkClient(emulator);
  const port = await freePort();
  functions = await startFunctions(functionsConfigFor(emulator, randomBytes(24).toString('hex')), port, false);
  let partial = '';
  functions.stdout?.on('data', (data: Buffer) => {
    const lines = (partial + data.toString()).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines);
  });
  await controlOk(emulator, 'POST', '/hosts', { host: DOMAIN, url: `http://localhost:${port}` });
  cliEnv = emulatorEnv(emulator, { SYNC_SERVICE_SID: emulator.syncServiceSid });
});

afterAll(async () => {
  functions?.kill();
  await emulator?.close();
});

afterEach(async () => {
  await expectNoViolations(emulator);
});

async function shape(name: string): Promise<ShapeResult> {
  return controlOk<ShapeResult>(emulator, 'POST', `/shapes/${name}`);
}

const numberFlags = (numbers: string[]) => numbers.flatMap((number) => ['--number', number]);

async function setup(numbers: string[]): Promise<string> {
  const run = await runCli('setup', ['--yes', '--domain', DOMAIN, ...numberFlags(numbers)], cliEnv);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return run.stdout;
}

async function doctor(numbers: string[]): Promise<{ code: number | null; stdout: string }> {
  const run = await runCli('doctor', ['--domain', DOMAIN, ...numberFlags(numbers)], cliEnv);
  return { code: run.code, stdout: run.stdout };
}

/** A resource as Twilio's API answers it, byte for byte. */
async function raw(path: string): Promise<string> {
  const response = await twilioRequest(emulator, 'GET', path);
  expect(response.status).toBe(200);
  return response.text();
}

const idle = () => controlOk(emulator, 'GET', '/idle');

async function text(from: string, to: string, body: string): Promise<void> {
  const result = await controlOk<{ status: number; body: string }>(emulator, 'POST', '/sms', { from, to, body });
  expect(result.status).toBe(200);
  await idle();
}

/** What the contact's phone received, oldest first. */
async function phone(contact: string): Promise<{ from: string; body: string }[]> {
  return controlOk(emulator, 'GET', `/outbound?to=${encodeURIComponent(contact)}`);
}

async function tasksOf(contact: string): Promise<{ sid: string; assignmentStatus: string }[]> {
  const tasks = await controlOk<{ sid: string; assignmentStatus: string; attributes: { from?: string } }[]>(
    emulator,
    'GET',
    '/flex/tasks',
  );
  return tasks.filter((task) => task.attributes.from === contact);
}

async function session(contact: string): Promise<ContactRecord['session']> {
  const item = await client.sync.v1
    .services(emulator.syncServiceSid)
    .syncMaps(contactMapName(contact))
    .syncMapItems('contact')
    .fetch();
  return (item.data as ContactRecord).session;
}

/** How /taskrouter/event handled each event of the task, from the functions' own log lines. */
function handled(taskSid: string): string[] {
  const line = /\[taskrouter\/event\] (\S+) (applied|ignored) \{"taskSid":"(WT\w+)"\}/;
  return logs.flatMap((entry) => {
    const match = line.exec(entry);
    return match && match[3] === taskSid ? [`${match[1]} ${match[2]}`] : [];
  });
}

/** How the emulator delivered this task's events to /taskrouter/event (the webhook log), as `product → url status`. */
async function taskEventRoutes(taskSid: string): Promise<string[]> {
  type Entry = { product: string; url: string; status: number; params: Record<string, string>; json?: unknown };
  const log = await controlOk<Entry[]>(emulator, 'GET', '/webhooks');
  const carries = (entry: Entry) =>
    entry.params.TaskSid === taskSid || JSON.stringify(entry.json ?? null).includes(taskSid);
  const toUs = log.filter((entry) => entry.url === OURS.taskrouter && carries(entry));
  return [...new Set(toUs.map((entry) => `${entry.product} → ${entry.url} ${entry.status}`))];
}

/**
 * A contact texts `number`: the AI answers on the phone; asks for a person: exactly one task; the rep accepts
 * and replies: the reply reaches the phone; the rep ends the chat: the number is the AI's again. The task's
 * events reach /taskrouter/event by `route` only, each handled once.
 */
async function textAndHandoff(number: string, route: 'taskrouter' | 'events'): Promise<void> {
  const contact = newContactNumber();
  await text(contact, number, 'What are your opening hours?');
  const [answer] = await phone(contact);
  expect(answer.from).toBe(number);
  expect(answer.body).toMatch(/\S/);
  expect((await session(contact))?.status).toBe('ai');

  await text(contact, number, 'I want to talk to a person');
  const tasks = await tasksOf(contact);
  expect(tasks).toHaveLength(1);
  const taskSid = tasks[0].sid;
  expect((await session(contact))?.status).toBe('handed_off');

  await controlOk(emulator, 'POST', '/flex/accept', { taskSid });
  await controlOk(emulator, 'POST', '/flex/reply', { taskSid, body: 'Hi, Alice here. Let me look at that.' });
  await idle();
  expect((await phone(contact)).map((sms) => [sms.from, sms.body])).toContainEqual([
    number,
    'Hi, Alice here. Let me look at that.',
  ]);

  await controlOk(emulator, 'POST', '/flex/complete', { taskSid });
  await idle();
  expect((await session(contact))?.status).toBe('closed');

  const before = (await phone(contact)).length;
  await text(contact, number, 'What are your opening hours?');
  expect((await phone(contact)).length).toBe(before + 1); // the AI answers again
  expect((await session(contact))?.status).toBe('ai');
  expect(await tasksOf(contact)).toHaveLength(1);

  expect(await taskEventRoutes(taskSid)).toEqual([`${route} → ${OURS.taskrouter} 204`]);
  // Each event once; the end may already have been applied from the conversation closing first.
  const events = handled(taskSid);
  expect(events.map((entry) => entry.split(' ')[0])).toEqual([
    'task.created',
    'reservation.accepted',
    'task.wrapup',
    'task.completed',
  ]);
  expect(events.slice(0, 2)).toEqual(['task.created applied', 'reservation.accepted applied']);
}

it('a number in a Messaging Service that does not defer to it', async () => {
  const { numbers, sids } = await shape('messaging-service');
  const service = `/messaging/v1/Services/${sids.messagingService}`;
  const inboundSettings = async () => {
    const json = JSON.parse(await raw(service)) as Record<string, unknown>;
    return [json.inbound_request_url, json.inbound_method, json.fallback_url, json.status_callback];
  };
  const theirs = await inboundSettings();
  expect(await doctor(numbers)).toMatchObject({
    code: 1,
    stdout: expect.stringContaining(`✖ Messaging Service "Support line" (${sids.messagingService})`),
  });

  expect(await setup(numbers)).toContain(`Messaging Service "Support line" (${sids.messagingService})`);
  await textAndHandoff(numbers[0], 'taskrouter');
  expect(await inboundSettings()).toEqual(theirs);
  expect((await doctor(numbers)).code).toBe(0);
});

it('a number that is a Flex messaging address', async () => {
  const { numbers, sids } = await shape('flex-address');
  expect(await doctor(numbers)).toMatchObject({
    code: 1,
    stdout: expect.stringContaining(`✖ Flex messaging address ${numbers[0]}`),
  });

  const stdout = await setup(numbers);
  expect(stdout).toContain(`removed ${sids.addressConfiguration}`);
  expect(stdout).toContain(`to restore it: POST https://conversations.twilio.com/v1/Configuration/Addresses`);
  await textAndHandoff(numbers[0], 'taskrouter');
  // Only the handoff's own conversation: no text was turned into a Flex conversation of its own.
  expect(await client.conversations.v1.conversations.list()).toHaveLength(1);
  expect((await doctor(numbers)).code).toBe(0);
});

it('a workspace callback and a Conversations webhook owned by another integration', async () => {
  const { numbers } = await shape('other-integrations');
  const workspace = `/taskrouter/v1/Workspaces/${emulator.workspaceSid}`;
  const serviceWebhook = `/conversations/v1/Services/${emulator.conversationsServiceSid}/Configuration/Webhooks`;
  const theirs = [await raw(workspace), await raw(serviceWebhook)];
  expect(await doctor(numbers)).toMatchObject({
    code: 1,
    stdout: expect.stringContaining(
      `the workspace callback is another integration's (${OTHER_INTEGRATION.taskrouter})`,
    ),
  });

  expect(await setup(numbers)).toContain('through Event Streams');
  await textAndHandoff(numbers[0], 'events');
  expect([await raw(workspace), await raw(serviceWebhook)]).toEqual(theirs);
  // The other integration still gets the events it asked for.
  const log = await controlOk<{ url: string; eventType?: string }[]>(emulator, 'GET', '/webhooks');
  const toThem = log.filter((entry) => entry.url === OTHER_INTEGRATION.taskrouter).map((entry) => entry.eventType);
  expect(toThem).toEqual(['task.created', 'task.completed']);
  expect((await doctor(numbers)).code).toBe(0);
});

it('a US long code without an A2P 10DLC campaign: warned about, never blocked', async () => {
  const { numbers } = await shape('us-long-code');
  await setup(numbers);
  await textAndHandoff(numbers[0], 'taskrouter');
  const { code, stdout } = await doctor(numbers);
  expect(code).toBe(0);
  expect(stdout).toContain(`⚠ A2P 10DLC registration of ${numbers[0]}`);
});

it('two numbers on one deployment', async () => {
  const { numbers } = await shape('two-numbers');
  expect(await doctor(numbers)).toMatchObject({
    code: 1,
    stdout: expect.stringContaining(`✖ Twilio number ${numbers[1]}: not set`),
  });
  await setup(numbers);
  const [first, second] = numbers;
  const contact = newContactNumber();
  await text(contact, first, 'What are your opening hours?');
  expect((await phone(contact)).map((sms) => sms.from)).toEqual([first]);
  await textAndHandoff(second, 'taskrouter');
  expect((await doctor(numbers)).code).toBe(0);
});
