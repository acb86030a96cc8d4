import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { control, sdkClient } from '../../emulator/testing';
import {
  byId,
  catchAllConfiguration,
  DOMAIN,
  emulatorEnv,
  newWorkingDirectory,
  OTHER_DOMAIN,
  resetEmulator,
  runCli,
  type SetupJson,
  takeWrites,
  stopCliEmulator,
} from './cli';

let emulator: RunningEmulator;
let client: TwilioClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = sdkClient(emulator);
});

afterAll(() => stopCliEmulator(emulator));

const workspace = () => client.taskrouter.v1.workspaces(emulator.workspaceSid);
const webhooks = () => client.conversations.v1.services(emulator.conversationsServiceSid).configuration.webhooks();
const workflowFilters = async () =>
  (
    JSON.parse((await workspace().workflows(emulator.workflowSid).fetch()).configuration) as {
      task_routing: { filters: { filter_friendly_name: string; expression: string; targets: { queue: string }[] }[] };
    }
  ).task_routing.filters;
const smsUrl = async () => (await client.incomingPhoneNumbers.list({ phoneNumber: emulator.phoneNumber }))[0].smsUrl;

/** What a new Flex account has: no webhook of ours anywhere, and a workflow whose only filter is a catch-all. */
async function freshFlexAccount(): Promise<void> {
  await resetEmulator(emulator);
  await control(emulator, 'POST', '/phone-number', { smsUrl: '' }); // the number outlives a reset
  await workspace()
    .workflows(emulator.workflowSid)
    .update({ configuration: catchAllConfiguration(emulator.taskQueueSid) });
  await takeWrites(emulator);
}

const TASKROUTER_EVENTS =
  'task.created,reservation.accepted,task.updated,task.wrapup,task.completed,task.canceled,task.deleted,workflow.timeout';

describe('npm run setup on a new Flex account', () => {
  let syncServiceSid: string;

  beforeAll(async () => {
    await freshFlexAccount();
    // Someone else's pre-event webhook and filter on the Flex service: setup must leave them be.
    await webhooks().update({ preWebhookUrl: 'https://crm.example.com/pre', filters: ['onConversationAdd'] });
  });

  it('points the number and the workspace at the deployment and finds no routing for handoffs to fix without --yes', async () => {
    const run = await runCli('setup', ['--domain', `https://${DOMAIN}/`], emulatorEnv(emulator));

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✔ Twilio number ${emulator.phoneNumber}: texts go to https://${DOMAIN}/sms/inbound`);
    expect(run.stdout).toContain(`    SmsUrl: (not set) → https://${DOMAIN}/sms/inbound`);
    expect(run.stdout).toContain(`    EventsFilter: (not set) → ${TASKROUTER_EVENTS}`);
    // Each handoff conversation gets its own webhook: the service's is not needed, and not touched.
    expect(run.stdout).toContain(
      '✔ Conversations service "Flex Chat Service" post-event webhook: already set: not needed: each handoff conversation has its own',
    );
    expect(run.stdout).toMatch(
      /✖ Workflow "Assign to Anyone": the first filter handed-off texts match, "Attempt 1" \(1==1\), does not look at handedOff; not changed without --yes/,
    );
    expect(run.stdout).toContain('Handed-off texts will land in the catch-all queue "Everyone"');
    expect(run.stdout).toContain(
      'Fix: npm run setup -- --yes adds the filter "Handed off by AI" (handedOff == true → "Everyone") first',
    );
    const created = /created (IS[0-9a-f]{32}): put SYNC_SERVICE_SID=\1 in \.env/.exec(run.stdout);
    expect(created).not.toBeNull();
    syncServiceSid = created![1];

    expect(await smsUrl()).toBe(`https://${DOMAIN}/sms/inbound`);
    const ws = await workspace().fetch();
    expect(ws.eventCallbackUrl).toBe(`https://${DOMAIN}/taskrouter/event`);
    expect(ws.eventsFilter).toBe(TASKROUTER_EVENTS);
    const conversations = await webhooks().fetch();
    expect(conversations).toMatchObject({
      postWebhookUrl: null,
      preWebhookUrl: 'https://crm.example.com/pre',
      filters: ['onConversationAdd'],
    });
    expect((await client.sync.v1.services(syncServiceSid).fetch()).friendlyName).toBe('flex-sms-handoff');
    expect((await workflowFilters()).map((f) => f.expression)).toEqual(['1==1']);
  });

  it('adds the handoff filter ahead of the catch-all with --yes, changing nothing else', async () => {
    await takeWrites(emulator);
    const run = await runCli(
      'setup',
      ['--domain', DOMAIN, '--yes'],
      emulatorEnv(emulator, { SYNC_SERVICE_SID: syncServiceSid }),
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '✔ Workflow "Assign to Anyone": handed-off texts go to queue "Everyone" (filter "Handed off by AI")',
    );
    expect(run.stdout).toContain('Setup complete: 1 changed, 9 already as needed.');
    expect(await workflowFilters()).toEqual([
      {
        filter_friendly_name: 'Handed off by AI',
        expression: 'handedOff == true',
        targets: [{ queue: emulator.taskQueueSid }],
      },
      { filter_friendly_name: 'Attempt 1', expression: '1==1', targets: [{ queue: emulator.taskQueueSid }] },
    ]);
    expect(await takeWrites(emulator)).toEqual([
      `POST /taskrouter/v1/Workspaces/${emulator.workspaceSid}/Workflows/${emulator.workflowSid}`,
    ]);
  });

  it('changes nothing on a second run, reading .env under the process environment', async () => {
    const cwd = newWorkingDirectory();
    const settings = emulatorEnv(emulator, { SYNC_SERVICE_SID: syncServiceSid, FLEX_TASK_CHANNEL: 'whatsapp' });
    writeFileSync(
      join(cwd, '.env'),
      Object.entries(settings)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
    );

    const run = await runCli('setup', ['--domain', DOMAIN, '--json'], { FLEX_TASK_CHANNEL: 'sms' }, cwd);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SetupJson;
    expect(report).toMatchObject({ ok: true, dryRun: false, domain: DOMAIN });
    expect(report.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['credentials', 'unchanged'],
      ['deployment', 'unchanged'],
      ['number', 'unchanged'],
      ['workspace', 'unchanged'],
      ['handoff-conversations', 'unchanged'],
      ['conversations', 'unchanged'],
      ['workflow', 'unchanged'],
      ['task-channel', 'unchanged'],
      ['sync', 'unchanged'],
      ['plugin', 'unchanged'],
    ]);
    expect(byId(report.steps).number.message).toBe(`already set: texts go to https://${DOMAIN}/sms/inbound`);
    expect(await takeWrites(emulator)).toEqual([]);
  });

  it("never replaces another deployment's webhook without --force", async () => {
    const theirs = `https://${OTHER_DOMAIN}/taskrouter/event`;
    await workspace().update({ eventCallbackUrl: theirs });
    const env = emulatorEnv(emulator, { SYNC_SERVICE_SID: syncServiceSid });

    const refused = await runCli('setup', ['--domain', DOMAIN], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `✖ Workspace "Flex Task Assignment" event callback: points at ${theirs}, not at ${DOMAIN}; not replaced without --force`,
    );
    expect(refused.stdout).toContain(
      `Events go to another deployment: Workspace "Flex Task Assignment" event callback sends them to ${OTHER_DOMAIN}`,
    );
    expect(refused.stdout).toContain(`Fix: npm run setup -- --force points it at ${DOMAIN}`);
    expect((await workspace().fetch()).eventCallbackUrl).toBe(theirs);

    const forced = await runCli('setup', ['--domain', DOMAIN, '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`    EventCallbackUrl: ${theirs} → https://${DOMAIN}/taskrouter/event`);
    expect((await workspace().fetch()).eventCallbackUrl).toBe(`https://${DOMAIN}/taskrouter/event`);
  });
});

describe('npm run setup --dry-run', () => {
  it('prints the plan for the deployment the Serverless API names, and changes nothing', async () => {
    await freshFlexAccount();
    const service = await client.serverless.v1.services.create({
      uniqueName: 'flex-sms-handoff',
      friendlyName: 'flex-sms-handoff',
    });
    const environment = await client.serverless.v1.services(service.sid).environments.create({
      uniqueName: 'dev-environment',
      domainSuffix: 'dev',
    });
    await takeWrites(emulator);

    const run = await runCli('setup', ['--dry-run', '--json'], emulatorEnv(emulator));

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SetupJson;
    expect(report).toMatchObject({ ok: true, dryRun: true, domain: environment.domainName });
    expect(environment.domainName).toMatch(/^flex-sms-handoff-\d{4}-dev\.twil\.io$/);
    const steps = byId(report.steps);
    expect(steps.deployment.message).toBe(
      `${environment.domainName} (environment dev-environment of Functions service flex-sms-handoff)`,
    );
    for (const id of ['number', 'workspace', 'workflow', 'sync', 'plugin']) {
      expect(steps[id].outcome).toBe('would-change');
    }
    expect(steps.conversations.outcome).toBe('unchanged');
    expect(steps.number.changes).toEqual([
      { field: 'SmsUrl', from: null, to: `https://${environment.domainName}/sms/inbound` },
    ]);
    expect(steps.workflow.message).toMatch(
      /would add the filter "Handed off by AI" \(handedOff == true → "Everyone"\) first$/,
    );
    expect(await takeWrites(emulator)).toEqual([]);
  });

  it("finds the named environment's domain among several: dev by default, production on the bare domain", async () => {
    const [service] = await client.serverless.v1.services.list();
    const production = await client.serverless.v1
      .services(service.sid)
      .environments.create({ uniqueName: 'production' });
    expect(production.domainName).toMatch(/^flex-sms-handoff-\d{4}\.twil\.io$/);

    const dev = JSON.parse((await runCli('setup', ['--dry-run', '--json'], emulatorEnv(emulator))).stdout) as SetupJson;
    expect(dev.domain).toMatch(/^flex-sms-handoff-\d{4}-dev\.twil\.io$/);

    const run = await runCli('setup', ['--dry-run', '--json', '--environment', 'production'], emulatorEnv(emulator));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SetupJson;
    expect(report.domain).toBe(production.domainName);
    expect(byId(report.steps).deployment.message).toBe(
      `${production.domainName} (environment production of Functions service flex-sms-handoff)`,
    );
    expect(byId(report.steps).number.changes).toEqual([
      { field: 'SmsUrl', from: null, to: `https://${production.domainName}/sms/inbound` },
    ]);
  });

  it('names the environments there are when the one asked for is not deployed', async () => {
    const run = await runCli('setup', ['--dry-run', '--environment', 'staging'], emulatorEnv(emulator));

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✖ Deployment: Functions service flex-sms-handoff has no staging environment; it has flex-sms-handoff-\d{4}-dev\.twil\.io \(dev-environment\), flex-sms-handoff-\d{4}\.twil\.io \(production\)/,
    );
    expect(run.stdout).toContain(
      'Fix: Deploy it (npm run deploy -- --environment staging), or pass --domain <its domain>',
    );
  });
});

describe('npm run setup for staging, then production', () => {
  let staging: string;
  let production: string;
  let syncServiceSid: string;
  const settings = (cwd: string, name: string, overrides: Record<string, string> = {}) =>
    writeFileSync(
      join(cwd, name),
      Object.entries(emulatorEnv(emulator, overrides))
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    );

  beforeAll(async () => {
    await freshFlexAccount();
    const service = await client.serverless.v1.services.create({
      uniqueName: 'flex-sms-handoff',
      friendlyName: 'flex-sms-handoff',
    });
    const environments = client.serverless.v1.services(service.sid).environments;
    // As twilio-run deploy --environment staging and --production create them.
    staging = (await environments.create({ uniqueName: 'staging-environment', domainSuffix: 'staging' })).domainName;
    production = (await environments.create({ uniqueName: 'production' })).domainName;
  });

  it("reads .env.<environment> and points the webhooks at that environment's domain", async () => {
    const cwd = newWorkingDirectory();
    settings(cwd, '.env.staging');

    const run = await runCli('setup', ['--environment', 'staging', '--yes'], {}, cwd);

    expect(run.stdout).toContain(`✔ Deployment: ${staging} (environment staging-environment`);
    syncServiceSid = /SYNC_SERVICE_SID=(IS[0-9a-f]{32})/.exec(run.stdout)![1];
    expect(await smsUrl()).toBe(`https://${staging}/sms/inbound`);
    expect((await workspace().fetch()).eventCallbackUrl).toBe(`https://${staging}/taskrouter/event`);
    expect((await webhooks().fetch()).postWebhookUrl).toBeNull();

    const withoutSettings = await runCli('setup', ['--dry-run'], {}, cwd);
    expect(withoutSettings.code).toBe(2);
    expect(withoutSettings.stderr).toContain('ACCOUNT_SID is missing');
  });

  it("moves staging's webhooks to production only with --force", async () => {
    const env = emulatorEnv(emulator, { SYNC_SERVICE_SID: syncServiceSid });
    // Staging registered plugin version 0.1.0 with its own bundle URL; a version never changes (see the plugin tests).
    const refused = await runCli('setup', ['--environment', 'production', '--no-plugin'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`points at https://${staging}/sms/inbound, not at ${production}`);
    expect(await smsUrl()).toBe(`https://${staging}/sms/inbound`);

    const promoted = await runCli('setup', ['--environment', 'production', '--force', '--no-plugin'], env);
    expect(promoted.stdout).toContain('Setup complete');
    expect(promoted.code).toBe(0);
    expect(await smsUrl()).toBe(`https://${production}/sms/inbound`);
    expect((await workspace().fetch()).eventCallbackUrl).toBe(`https://${production}/taskrouter/event`);
    expect((await webhooks().fetch()).postWebhookUrl).toBeNull();

    const doctor = await runCli('doctor', ['--environment', 'production'], env);
    expect(doctor.stdout).toContain(`✔ Deployment: ${production} (environment production of Functions service`);
    const stale = await runCli('doctor', ['--environment', 'staging'], env);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(`points at https://${production}/sms/inbound, not at ${staging}`);
  });
});

describe('npm run setup with bad settings', () => {
  it('names every missing or malformed setting before calling Twilio', async () => {
    const env = emulatorEnv(emulator, { FLEX_WORKFLOW_SID: 'WW123', TWILIO_PHONE_NUMBER: '4155550100' });
    delete env.AUTH_TOKEN;
    await takeWrites(emulator);

    const run = await runCli('setup', [], env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('✖ AUTH_TOKEN is missing: your Auth Token, from Twilio Console → Account Info.');
    expect(run.stderr).toContain('✖ FLEX_WORKFLOW_SID must be a WW… SID (WW and 32 hexadecimal digits), not "WW123"');
    expect(run.stderr).toContain(
      '✖ TWILIO_PHONE_NUMBER must be an E.164 number such as +14155550100, not "4155550100"',
    );
    const { json } = await control<unknown[]>(emulator, 'GET', '/requests');
    expect(json).toEqual([]);
  });

  it('refuses a malformed flag', async () => {
    const run = await runCli(
      'setup',
      ['--domain', 'https://example.com/sms', '--queue', 'Everyone'],
      emulatorEnv(emulator),
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--domain must be a host name such as flex-sms-handoff-1234-dev.twil.io, not "https://example.com/sms"',
    );
    expect(run.stderr).toContain('--queue must be a task queue SID (WQ and 32 hexadecimal digits), not "Everyone"');
  });

  it('refuses a malformed environment, and --environment with --domain', async () => {
    const run = await runCli('setup', ['--environment', 'Prod', '--domain', DOMAIN], emulatorEnv(emulator));

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--environment must be 1 to 16 lowercase letters, digits or dashes');
    expect(run.stderr).toContain('give --domain or --environment, not both');
  });
});
