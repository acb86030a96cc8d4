import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { newSid } from '../../emulator/sid';
import { control, sdkClient } from '../../emulator/testing';
import {
  byId,
  catchAllConfiguration,
  type DoctorJson,
  emulatorEnv,
  OTHER_DOMAIN,
  runCli,
  takeWrites,
  stopCliEmulator,
} from './cli';

let emulator: RunningEmulator;
let client: TwilioClient;
/** The deployment's domain, as the Serverless API names it. */
let domain: string;
let env: Record<string, string>;
let canceledTaskSid: string;

const workspace = () => client.taskrouter.v1.workspaces(emulator.workspaceSid);

/** A deployed service whose Conversations webhook nobody has set (the emulator starts without one). */
beforeAll(async () => {
  emulator = await startEmulator();
  client = sdkClient(emulator);
  const service = await client.serverless.v1.services.create({
    uniqueName: 'flex-sms-handoff',
    friendlyName: 'flex-sms-handoff',
  });
  const environment = await client.serverless.v1.services(service.sid).environments.create({
    uniqueName: 'dev-environment',
    domainSuffix: 'dev',
  });
  domain = environment.domainName;
  await control(emulator, 'POST', '/phone-number', { smsUrl: `https://${domain}/sms/inbound` });
  await workspace().update({ eventCallbackUrl: `https://${domain}/taskrouter/event` });
  env = emulatorEnv(emulator, { SYNC_SERVICE_SID: emulator.syncServiceSid });
  await takeWrites(emulator);
});

afterAll(() => stopCliEmulator(emulator));

it('says AUTH_TOKEN is wrong when Twilio refuses the credentials, and stops there', async () => {
  const run = await runCli('doctor', [], { ...env, AUTH_TOKEN: 'f'.repeat(32) });

  expect(run.code).toBe(1);
  expect(run.stdout).toContain(
    `✖ Credentials: AUTH_TOKEN is wrong: Twilio refused the credentials of ${emulator.account.sid} (20003)`,
  );
  expect(run.stdout).toContain(
    'Fix: Copy the Auth Token of this account from Console → Account Info into AUTH_TOKEN in .env',
  );
  expect(run.stdout).toContain('1 of 1 checks failed.');
});

it('names each SID that is not in the account, and the setting to correct', async () => {
  const run = await runCli('doctor', ['--domain', domain, '--number', '+15005550199'], {
    ...env,
    FLEX_WORKFLOW_SID: newSid('WW'),
    CONVERSATIONS_SERVICE_SID: newSid('IS'),
    SYNC_SERVICE_SID: newSid('IS'),
  });

  expect(run.code).toBe(1);
  expect(run.stdout).toContain('✖ Twilio number: +15005550199 is not a number of this account');
  expect(run.stdout).toMatch(
    /✖ Conversations service IS[0-9a-f]{32}: not in this account \(CONVERSATIONS_SERVICE_SID\)\n {4}Fix: Set CONVERSATIONS_SERVICE_SID to yours: Console → Conversations → Services/,
  );
  expect(run.stdout).toMatch(/✖ Workflow WW[0-9a-f]{32}: not in the workspace \(FLEX_WORKFLOW_SID\)/);
  expect(run.stdout).toMatch(/✖ Sync service: SYNC_SERVICE_SID IS[0-9a-f]{32} is not in this account/);
  expect(run.stdout).toContain('✔ Workspace "Flex Task Assignment" event callback');
  // The account's number is checked too: its SMS URL points at the deployment.
  expect(run.stdout).toContain(`✔ Twilio number ${emulator.phoneNumber}: texts go to https://${domain}/sms/inbound`);
  expect(run.stdout).toContain(
    `Other numbers wired to this deployment, checked too: ${emulator.phoneNumber} (its SMS URL points at this deployment)`,
  );
  expect(run.stdout).toContain('5 of 11 checks failed.');
});

it('finds the classic failures and says what each means and how to fix it', async () => {
  // A handed-off task that nobody took (its events are held: nothing leaves the emulator).
  await control(emulator, 'POST', '/taskrouter/hold');
  const task = await workspace().tasks.create({
    workflowSid: emulator.workflowSid,
    taskChannel: 'sms',
    attributes: JSON.stringify({ handedOff: true, from: '+14155550100' }),
  });
  await workspace().tasks(task.sid).update({ assignmentStatus: 'canceled', reason: 'Task TTL Exceeded' });
  canceledTaskSid = task.sid;
  // The classic ones: a webhook on another deployment and handed-off texts in the catch-all queue (the
  // Conversations service's webhook was never set, and need not be: each handoff conversation has its own).
  await control(emulator, 'POST', '/phone-number', { smsUrl: `https://${OTHER_DOMAIN}/sms/inbound` });
  await workspace()
    .workflows(emulator.workflowSid)
    .update({ configuration: catchAllConfiguration(emulator.taskQueueSid) });
  // And an events filter that leaves out what the functions need.
  await workspace().update({ eventsFilter: 'task.created,task.completed' });
  await takeWrites(emulator);

  const run = await runCli('doctor', [], { ...env, FLEX_TASK_CHANNEL: 'whatsapp' });

  expect(run.code).toBe(1);
  const out = run.stdout;
  expect(out).toContain(`✔ Deployment: ${domain} (environment dev-environment of Functions service flex-sms-handoff)`);
  expect(out).toContain(
    `✖ Twilio number ${emulator.phoneNumber}: points at https://${OTHER_DOMAIN}/sms/inbound, not at ${domain}`,
  );
  expect(out).toContain(
    `Events go to another deployment: Twilio number ${emulator.phoneNumber} sends them to ${OTHER_DOMAIN}`,
  );
  expect(out).toContain(`Fix: npm run setup -- --force points it at ${domain}`);
  expect(out).toContain(
    '✔ Conversations service "Flex Chat Service" post-event webhook: not needed: each handoff conversation has its own',
  );
  expect(out).toContain('✔ Open handoff conversations: none is open');
  expect(out).toContain(
    '✖ Workspace "Flex Task Assignment" event callback: EventsFilter leaves out reservation.accepted, task.updated, task.wrapup, task.canceled, task.deleted, workflow.timeout',
  );
  expect(out).toContain(
    '✖ Workflow "Assign to Anyone": the first filter handed-off texts match, "Attempt 1" (1==1), does not look at handedOff',
  );
  expect(out).toContain('Handed-off texts will land in the catch-all queue "Everyone"');
  expect(out).toContain(
    'Fix: npm run setup -- --yes adds the filter "Handed off by AI" (handedOff == true → "Everyone") first',
  );
  expect(out).toContain('✖ Task channel "whatsapp": not in the workspace (it has default, voice, chat, sms)');
  expect(out).toContain('No Flex task will be created: Flex cannot route a task on channel "whatsapp"');
  expect(out).toMatch(
    /✖ Recent handoffs: 1 handed-off task was canceled; the latest \(WT[0-9a-f]{32}, [^)]+\): "Task TTL Exceeded"/,
  );
  expect(out).toContain('6 of 11 checks failed.');
  expect(await takeWrites(emulator)).toEqual([]);
});

it('passes every check once setup has fixed what it can, writing nothing itself', async () => {
  const setup = await runCli('setup', ['--yes', '--force'], env);
  expect(setup.code).toBe(0);
  await workspace().tasks(canceledTaskSid).remove(); // TaskRouter forgets finished tasks after a while
  await takeWrites(emulator);

  const run = await runCli('doctor', ['--json'], env);

  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as DoctorJson;
  expect(report).toMatchObject({ ok: true, domain });
  expect(report.checks.map((check) => [check.id, check.ok])).toEqual([
    ['credentials', true],
    ['deployment', true],
    ['number', true],
    ['workspace', true],
    ['handoff-conversations', true],
    ['conversations', true],
    ['workflow', true],
    ['task-channel', true],
    ['sync', true],
    ['plugin', true],
    ['canceled-handoffs', true],
  ]);
  const checks = byId(report.checks);
  expect(checks.workflow.detail).toBe('handed-off texts go to queue "Everyone" (filter "Handed off by AI")');
  expect(checks.workspace.detail).toBe(`events go to https://${domain}/taskrouter/event (8 event types)`);
  expect(await takeWrites(emulator)).toEqual([]);
});
