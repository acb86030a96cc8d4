/**
 * setup and doctor on the shapes real contact centers have: a number whose Messaging Service does not defer to
 * it (alone in the service, or beside other senders), a US long code without a verified A2P campaign, and two
 * numbers on one deployment. Each shape: doctor names what is wrong, setup fixes it leaving the other
 * integration's settings as they were, a text then reaches /sms/inbound, and doctor exits 0. What the real
 * functions then do on each shape (a text, a handoff, its events handled once) is tests/e2e/account-shapes.test.ts.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import type { RunningEmulator } from '../../emulator';
import { control, controlOk } from '../../emulator/testing';
import {
  byId,
  DOMAIN,
  type DoctorJson,
  OURS,
  resetEmulator,
  runCli,
  type SetupJson,
  stopCliEmulator,
  startCliEmulator,
} from './cli';

// Each test runs setup and doctor several times, a few seconds each on a busy machine.
jest.setTimeout(120_000);

let emulator: RunningEmulator;
let client: TwilioClient;
let env: Record<string, string>;

const CRM = 'https://crm.example.com/twilio/sms';
const US_LONG_CODE = '+12025550142';
const SECOND = '+15005550009';

beforeAll(async () => {
  ({ emulator, client, env } = await startCliEmulator());
});

afterAll(() => stopCliEmulator(emulator));

/** A Flex account whose webhooks setup has already set: only the shape under test is left to fix. */
async function wiredAccount(): Promise<void> {
  await resetEmulator(emulator);
  const run = await runCli('setup', ['--yes', '--json', '--domain', DOMAIN], env);
  expect((JSON.parse(run.stdout) as SetupJson).ok).toBe(true);
}

/** doctor's exit code and lines; with `json`, its JSON report instead. */
async function doctor(
  args: string[] = [],
  json = false,
): Promise<{ code: number | null; stdout: string; report: DoctorJson }> {
  const run = await runCli('doctor', ['--domain', DOMAIN, ...(json ? ['--json'] : []), ...args], env);
  return { code: run.code, stdout: run.stdout, report: (json ? JSON.parse(run.stdout) : { checks: [] }) as DoctorJson };
}

/** Where the emulator delivered a text to `to` (the deployment is not reachable from tests: status 0). */
async function textGoesTo(to: string): Promise<string[]> {
  await control(emulator, 'DELETE', '/webhooks');
  await control(emulator, 'POST', '/sms', { from: '+14155550123', to, body: 'hello' });
  const { json } = await control<{ product: string; url: string }[]>(emulator, 'GET', '/webhooks');
  return json.filter((w) => w.product === 'messaging').map((w) => w.url);
}

const service = (sid: string) => client.messaging.v1.services(sid);
const smsUrlOf = async (phoneNumber: string) => (await client.incomingPhoneNumbers.list({ phoneNumber }))[0].smsUrl;

describe('a number in a Messaging Service that does not defer to it', () => {
  let sid: string;

  beforeAll(async () => {
    await wiredAccount();
    ({ sid } = await controlOk<{ sid: string }>(emulator, 'POST', '/messaging-services', {
      friendlyName: 'Support line',
      inboundRequestUrl: CRM,
      numbers: [emulator.phoneNumber],
    }));
  });

  it('doctor names the service and where its texts go', async () => {
    expect(await textGoesTo(emulator.phoneNumber)).toEqual([CRM]);
    const { code, stdout } = await doctor();
    const { report } = await doctor([], true);
    expect(code).toBe(1);
    const check = byId(report.checks)['messaging-service'];
    expect(check).toMatchObject({
      ok: false,
      subject: `Messaging Service "Support line" (${sid}) of ${emulator.phoneNumber}`,
      numbers: [emulator.phoneNumber],
    });
    expect(check.detail).toBe(`its incoming-message setting sends texts to ${CRM}, not to the numbers' own SMS URLs`);
    expect(stdout).toContain(`No Flex task will be created: texts to ${emulator.phoneNumber} go to ${CRM}`);
    expect(check.fix).toBe('npm run setup');
    expect(byId(report.checks).number.ok).toBe(true); // the number's own URL is ours, and not used
  });

  it('setup makes it defer, leaving its URL as it was; a text then reaches /sms/inbound and doctor passes', async () => {
    const run = await runCli('setup', ['--yes', '--domain', DOMAIN], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `✔ Messaging Service "Support line" (${sid}) of ${emulator.phoneNumber}: defers to its numbers' own SMS URLs\n    UseInboundWebhookOnNumber: false → true`,
    );
    const after = await service(sid).fetch();
    expect([after.useInboundWebhookOnNumber, after.inboundRequestUrl]).toEqual([true, CRM]);
    expect(await textGoesTo(emulator.phoneNumber)).toEqual([OURS]);
    expect((await doctor()).code).toBe(0);
  });
});

describe('a Messaging Service that also serves another integration’s number', () => {
  let sid: string;

  beforeAll(async () => {
    await wiredAccount();
    await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: SECOND });
    ({ sid } = await controlOk<{ sid: string }>(emulator, 'POST', '/messaging-services', {
      friendlyName: 'Everything',
      inboundRequestUrl: CRM,
      numbers: [emulator.phoneNumber, SECOND],
    }));
  });

  it('setup refuses without --force, naming the other number', async () => {
    const run = await runCli('setup', ['--yes', '--domain', DOMAIN], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`it also serves ${SECOND}; not replaced without --force`);
    expect(run.stdout).toContain(`first setting ${SECOND} to ${CRM} so their texts still go to crm.example.com`);
    expect((await service(sid).fetch()).useInboundWebhookOnNumber).toBe(false);
  });

  it('with --force, the other number keeps sending its texts to the same place, ours reach /sms/inbound', async () => {
    const run = await runCli('setup', ['--yes', '--force', '--domain', DOMAIN], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`    ${SECOND} SmsUrl: (not set) → ${CRM}`);
    expect(await smsUrlOf(SECOND)).toBe(CRM);
    expect(await textGoesTo(SECOND)).toEqual([CRM]);
    expect(await textGoesTo(emulator.phoneNumber)).toEqual([OURS]);
    expect((await doctor()).code).toBe(0);
  });
});

describe('a US long code', () => {
  beforeAll(async () => {
    await wiredAccount();
    await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: US_LONG_CODE, smsUrl: OURS });
  });

  it('outside every Messaging Service: doctor warns (30034) and still exits 0', async () => {
    const { code, stdout } = await doctor(['--number', US_LONG_CODE]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `⚠ A2P 10DLC registration of ${US_LONG_CODE}: the number is in no Messaging Service, so no A2P campaign covers it`,
    );
    expect(stdout).toContain('(error 30034)');
    expect(stdout).toContain('https://www.twilio.com/docs/messaging/compliance/a2p-10dlc');
    expect(stdout).toMatch(/All \d+ checks passed \(1 warning: ⚠ above\)\./);
  });

  it('in a service whose campaign is in progress: a warning; once verified: a pass', async () => {
    const { sid } = await controlOk<{ sid: string }>(emulator, 'POST', '/messaging-services', {
      useInboundWebhookOnNumber: true,
      numbers: [US_LONG_CODE],
      campaign: 'IN_PROGRESS',
    });
    const pending = await doctor(['--number', US_LONG_CODE], true);
    expect(pending.code).toBe(0);
    expect(byId(pending.report.checks).compliance).toMatchObject({
      ok: true,
      warning: true,
      detail: `the campaign of Messaging Service ${sid} is IN_PROGRESS, not VERIFIED`,
    });
    await resetEmulator(emulator);
    await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: US_LONG_CODE, smsUrl: OURS });
    await controlOk(emulator, 'POST', '/messaging-services', {
      useInboundWebhookOnNumber: true,
      numbers: [US_LONG_CODE],
      campaign: 'VERIFIED',
    });
    const run = await runCli('doctor', ['--json', '--domain', DOMAIN, '--number', US_LONG_CODE], env);
    const compliance = byId((JSON.parse(run.stdout) as DoctorJson).checks).compliance;
    expect(compliance.ok).toBe(true);
    expect(compliance.detail).toMatch(/^campaign QE[0-9a-f]{32} is verified$/);
  });
});

describe('two numbers on one deployment', () => {
  beforeAll(async () => {
    await wiredAccount();
    await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: SECOND });
  });

  it('setup wires each --number; doctor reports each', async () => {
    const both = ['--number', emulator.phoneNumber, '--number', SECOND];
    const before = await doctor(both);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(`✖ Twilio number ${SECOND}: not set`);

    const run = await runCli('setup', ['--domain', DOMAIN, ...both], env);
    expect(run.code).toBe(0);
    expect(await smsUrlOf(SECOND)).toBe(OURS);
    expect(await textGoesTo(SECOND)).toEqual([OURS]);

    const after = await doctor(both, true);
    expect(after.code).toBe(0);
    const numbers = after.report.checks.filter((check) => check.id === 'number');
    expect(numbers.map((check) => [check.subject, check.ok])).toEqual([
      [`Twilio number ${emulator.phoneNumber}`, true],
      [`Twilio number ${SECOND}`, true],
    ]);
  });
});

describe('a number that is also a Flex messaging address', () => {
  beforeAll(wiredAccount);

  it('doctor says texts bypass the AI; setup --yes removes the address, printing how to restore it', async () => {
    const address = await client.conversations.v1.addressConfigurations.create({
      type: 'sms',
      address: emulator.phoneNumber,
      friendlyName: 'SMS to Flex',
      'autoCreation.enabled': true,
      'autoCreation.type': 'studio',
      'autoCreation.studioFlowSid': `FW${'1'.repeat(32)}`,
    });
    await textGoesTo(emulator.phoneNumber);
    expect(await client.conversations.v1.conversations.list()).toHaveLength(1); // autocreated: Flex got it

    const before = await doctor();
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(
      `✖ Flex messaging address ${emulator.phoneNumber}: ${emulator.phoneNumber} is a Flex messaging address "SMS to Flex" (${address.sid}, autocreation studio to Studio flow FW${'1'.repeat(32)})`,
    );
    expect(before.stdout).toContain(`Texts to ${emulator.phoneNumber} bypass the AI`);

    const refused = await runCli('setup', ['--domain', DOMAIN], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('not changed without --yes');

    const run = await runCli('setup', ['--yes', '--domain', DOMAIN], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `to restore it: POST https://conversations.twilio.com/v1/Configuration/Addresses Type=sms Address=${emulator.phoneNumber}`,
    );
    expect(await client.conversations.v1.addressConfigurations.list()).toEqual([]);
    await control(emulator, 'POST', '/sms', { from: '+14155550199', body: 'new contact' });
    expect(await client.conversations.v1.conversations.list()).toHaveLength(1); // no new one
    expect((await doctor()).code).toBe(0);
  });
});

/** The webhook deliveries since the last call, as `product eventType → url`. */
async function deliveries(): Promise<{ product: string; eventType?: string; url: string }[]> {
  const { json } = await control<{ product: string; eventType?: string; url: string }[]>(emulator, 'GET', '/webhooks');
  await control(emulator, 'DELETE', '/webhooks');
  return json;
}

describe('a workspace callback and a Conversations webhook owned by another integration', () => {
  const CRM_TASKS = 'https://crm.example.com/twilio/taskrouter';
  const CRM_CONVERSATIONS = 'https://crm.example.com/twilio/conversations';
  const ours = `https://${DOMAIN}/taskrouter/event`;
  const workspace = () => client.taskrouter.v1.workspaces(emulator.workspaceSid);
  const serviceWebhook = () =>
    client.conversations.v1.services(emulator.conversationsServiceSid).configuration.webhooks();

  beforeAll(async () => {
    await wiredAccount();
    await workspace().update({ eventCallbackUrl: CRM_TASKS, eventsFilter: 'task.created,task.completed' });
    await serviceWebhook().update({ postWebhookUrl: CRM_CONVERSATIONS, filters: ['onMessageAdded'], method: 'POST' });
  });

  it('doctor says no task event reaches /taskrouter/event; setup --yes subscribes it through Event Streams', async () => {
    const before = await doctor([], true);
    expect(before.code).toBe(1);
    expect(byId(before.report.checks)['event-streams']).toMatchObject({
      ok: false,
      detail: `the workspace callback is another integration's (${CRM_TASKS}), and no Event Streams sink sends task events to ${ours}`,
    });
    expect(byId(before.report.checks).conversations).toMatchObject({
      ok: true,
      detail: `${CRM_CONVERSATIONS} (another integration's): left as it is`,
    });

    const refused = await runCli('setup', ['--domain', DOMAIN], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('not changed without --yes');

    const run = await runCli('setup', ['--yes', '--domain', DOMAIN], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`✔ Task events through Event Streams: task events go to ${ours} through Event Streams \\(sink DG`),
    );
    // The other integration's settings, as they were.
    expect(await workspace().fetch()).toMatchObject({
      eventCallbackUrl: CRM_TASKS,
      eventsFilter: 'task.created,task.completed',
    });
    expect(await serviceWebhook().fetch()).toMatchObject({
      postWebhookUrl: CRM_CONVERSATIONS,
      filters: ['onMessageAdded'],
    });
    expect((await doctor()).code).toBe(0);
  });

  it('once the callback is ours again, setup removes the sink: never both', async () => {
    await workspace().update({ eventCallbackUrl: ours });
    const both = await doctor([], true);
    expect(both.code).toBe(1);
    expect(byId(both.report.checks)['event-streams'].consequence).toBe(
      'Every task event reaches /taskrouter/event twice (harmless, but twice the invocations)',
    );
    expect((await runCli('setup', ['--domain', DOMAIN], env)).code).toBe(0);
    expect(await client.events.v1.sinks.list()).toEqual([]);
    expect((await doctor()).code).toBe(0);
  });
});

describe('an old deployment with our service-level Conversations webhook and a handoff in flight', () => {
  const ours = `https://${DOMAIN}/conversations/event`;
  const service = () => client.conversations.v1.services(emulator.conversationsServiceSid);
  let conversationSid: string;

  beforeAll(async () => {
    await wiredAccount();
    await service()
      .configuration.webhooks()
      .update({ postWebhookUrl: ours, filters: ['onMessageAdded', 'onConversationStateUpdated'], method: 'POST' });
    // A handoff made before conversation-scoped webhooks: its attributes name it, no webhook of its own.
    ({ sid: conversationSid } = await service().conversations.create({
      friendlyName: '+14155550123',
      attributes: JSON.stringify({ contact: '+14155550123', sessionId: 's1', attempt: 1 }),
    }));
    // And someone else's conversation (web chat): none of ours.
    await service().conversations.create({ friendlyName: 'web chat', attributes: '{}' });
  });

  it('doctor names the conversation without its own webhook in a Flex admin’s words', async () => {
    const { code, report } = await doctor([], true);
    const { stdout } = await doctor();
    expect(code).toBe(1);
    expect(byId(report.checks)['handoff-conversations']).toMatchObject({
      ok: false,
      detail: `1 of 1 open have no webhook of their own: ${conversationSid}`,
      fix: 'npm run setup attaches their webhooks',
    });
    expect(stdout).toContain(
      'In those Flex chats, what the rep types will be missing from the transcript, and ending the chat will not give the number back to the AI',
    );
    expect(byId(report.checks).conversations.detail).toBe(
      `still points at ${ours}, which each handoff conversation's own webhook replaces`,
    );
  });

  it("setup gives it its own webhook first, then removes ours; a rep's reply then reaches the function once", async () => {
    const run = await runCli('setup', ['--domain', DOMAIN], env);
    expect(run.code).toBe(0);
    const [webhook] = await service().conversations(conversationSid).webhooks.list();
    expect((webhook.configuration as { url: string }).url).toBe(`${ours}?handoff=14155550123.s1.1`);
    expect((await service().configuration.webhooks().fetch()).postWebhookUrl).toBeNull();

    await deliveries();
    // As Flex's rep UI sends it: a REST message with webhooks enabled.
    await service()
      .conversations(conversationSid)
      .messages.create({ author: 'alice_rep', body: 'Hi, Alice here', xTwilioWebhookEnabled: 'true' });
    await control(emulator, 'GET', '/idle');
    const toUs = (await deliveries()).filter((d) => d.url.startsWith(ours));
    expect(toUs.map((d) => [d.url, d.eventType])).toEqual([[`${ours}?handoff=14155550123.s1.1`, 'onMessageAdded']]);
    expect((await doctor()).code).toBe(0);
  });
});
