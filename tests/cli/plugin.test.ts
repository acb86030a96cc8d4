import type { TwilioClient } from '../../assets/twilio/gateway.private';
import type { RunningEmulator } from '../../emulator';
import { controlOk } from '../../emulator/testing';
import { pluginPackage } from '../../scripts/admin/plugin-bundle';
import {
  byId,
  DOMAIN,
  type DoctorJson,
  OTHER_DOMAIN,
  resetEmulator,
  runCli,
  type SetupJson,
  takeWrites,
  stopCliEmulator,
  startCliEmulator,
} from './cli';

let emulator: RunningEmulator;
let client: TwilioClient;
let env: Record<string, string>;

const { uniqueName: OURS, version: VERSION } = pluginPackage();
const OUR_URL = `https://${DOMAIN}/plugins/${OURS}-${VERSION}.js`;
const CRM = { uniqueName: 'acme-crm-panel', version: '2.3.0', pluginUrl: 'https://acme.example.com/crm.js', phase: 3 };
const WALLBOARD = {
  uniqueName: 'acme-wallboard',
  version: '1.0.4',
  pluginUrl: 'https://acme.example.com/wb.js',
  phase: 4,
};

beforeAll(async () => {
  ({ emulator, client, env } = await startCliEmulator());
});

afterAll(() => stopCliEmulator(emulator));

/** A Flex account whose reps already see the customer's own plugins, released by them. */
async function accountReleasing(plugins: object[]): Promise<void> {
  await resetEmulator(emulator);
  await controlOk(emulator, 'POST', '/flex/plugins/release', { plugins });
  await takeWrites(emulator);
}

/** What every rep's Flex loads now: each plugin of the active release, as `name@version phase url`. */
async function activePlugins(): Promise<string[]> {
  const { configurationSid } = await client.flexApi.v1.pluginReleases('Active').fetch();
  const plugins = await client.flexApi.v1.pluginConfigurations(configurationSid).plugins.list();
  return plugins.map((p) => `${p.uniqueName}@${p.version} ${p.phase} ${p.pluginUrl}`);
}

const setupJson = async (args: string[]) => {
  const run = await runCli('setup', ['--domain', DOMAIN, '--yes', '--json', ...args], env);
  return { code: run.code, report: JSON.parse(run.stdout) as SetupJson };
};

describe('npm run setup releases the Flex plugin', () => {
  beforeAll(() => accountReleasing([CRM, WALLBOARD]));

  it('shows the release it would make with --dry-run, and makes none', async () => {
    const { report } = await setupJson(['--dry-run']);

    const { plugin } = byId(report.steps);
    expect(plugin).toMatchObject({ status: 'fixable', outcome: 'would-change' });
    expect(plugin.message).toMatch(
      new RegExp(`^not in the active release FK[0-9a-f]{32}; would release ${OURS}@${VERSION} with the plugins`),
    );
    expect(plugin.changes).toEqual([
      { field: 'PluginUrl', from: null, to: OUR_URL },
      {
        field: 'Released plugins',
        from: 'acme-crm-panel@2.3.0, acme-wallboard@1.0.4',
        to: `acme-crm-panel@2.3.0, acme-wallboard@1.0.4, ${OURS}@${VERSION}`,
      },
    ]);
    expect((await takeWrites(emulator)).filter((write) => write.includes('/flex-api/'))).toEqual([]);
  });

  it('registers and releases it keeping every plugin the account had released, each in its phase', async () => {
    const { report } = await setupJson([]);

    expect(byId(report.steps).plugin.outcome).toBe('changed');
    expect(byId(report.steps).plugin.message).toMatch(
      new RegExp(`^released ${OURS}@${VERSION}, keeping acme-crm-panel@2.3.0, acme-wallboard@1.0.4 \\(created`),
    );
    expect(await activePlugins()).toEqual([
      `acme-crm-panel@2.3.0 3 ${CRM.pluginUrl}`,
      `acme-wallboard@1.0.4 4 ${WALLBOARD.pluginUrl}`,
      `${OURS}@${VERSION} 3 ${OUR_URL}`,
    ]);
    const writes = (await takeWrites(emulator)).filter((write) => write.includes('/flex-api/'));
    expect(writes).toEqual([
      'POST /flex-api/v1/PluginService/Plugins',
      expect.stringMatching(/^POST \/flex-api\/v1\/PluginService\/Plugins\/FP[0-9a-f]{32}\/Versions$/),
      'POST /flex-api/v1/PluginService/Configurations',
      'POST /flex-api/v1/PluginService/Releases',
    ]);
  });

  it('changes nothing on a second run', async () => {
    const { code, report } = await setupJson([]);

    expect(code).toBe(0);
    expect(byId(report.steps).plugin).toMatchObject({ status: 'ok', outcome: 'unchanged' });
    expect(byId(report.steps).plugin.message).toMatch(
      new RegExp(
        `^already set: ${OURS}@${VERSION} is in the active release FK[0-9a-f]{32}, with 2 other plugin\\(s\\)$`,
      ),
    );
    expect((await takeWrites(emulator)).filter((write) => write.includes('/flex-api/'))).toEqual([]);
  });

  it('has the doctor say the active release carries it, and which version', async () => {
    const run = await runCli('doctor', ['--domain', DOMAIN, '--json'], env);

    const { plugin } = byId((JSON.parse(run.stdout) as DoctorJson).checks);
    expect(plugin).toMatchObject({ ok: true, subject: `Flex plugin ${OURS}` });
    expect(plugin.detail).toContain(`${OURS}@${VERSION} is in the active release`);
  });
});

describe('an older version of ours in the active release', () => {
  beforeAll(() =>
    accountReleasing([CRM, { uniqueName: OURS, version: '0.0.1', pluginUrl: `https://${DOMAIN}/old.js`, phase: 4 }]),
  );

  it('is reported by the doctor, and replaced by setup in its phase, the other plugins kept', async () => {
    const doctor = await runCli('doctor', ['--domain', DOMAIN], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      new RegExp(`✖ Flex plugin ${OURS}: the active release FK[0-9a-f]{32} carries ${OURS}@0.0.1, not ${VERSION}`),
    );
    expect(doctor.stdout).toContain('Reps see no Handoff card on handed-off tasks');

    await setupJson([]);

    expect(await activePlugins()).toEqual([
      `acme-crm-panel@2.3.0 3 ${CRM.pluginUrl}`,
      `${OURS}@${VERSION} 4 ${OUR_URL}`,
    ]);
  });

  it('refuses a version already registered with another bundle URL', async () => {
    const { report } = await setupJson([]);
    expect(byId(report.steps).plugin.outcome).toBe('unchanged');

    const elsewhere = await runCli('setup', ['--domain', OTHER_DOMAIN, '--yes', '--force', '--dry-run'], env);

    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain(
      `✖ Flex plugin ${OURS}: version ${VERSION} is registered with another bundle, ${OUR_URL}`,
    );
    expect(elsewhere.stdout).toContain('Fix: Versions cannot change: raise the version in flex-plugin/package.json');
  });
});

describe('without the plugin', () => {
  beforeAll(() => accountReleasing([CRM]));

  it('--no-plugin leaves the plugins alone and the doctor does not check them', async () => {
    const { report } = await setupJson(['--no-plugin']);
    expect(report.steps.map((step) => step.id)).not.toContain('plugin');
    const doctor = await runCli('doctor', ['--domain', DOMAIN, '--no-plugin', '--json'], env);
    expect((JSON.parse(doctor.stdout) as DoctorJson).checks.map((check) => check.id)).not.toContain('plugin');

    expect((await takeWrites(emulator)).filter((write) => write.includes('/flex-api/'))).toEqual([]);
    expect(await activePlugins()).toEqual([`acme-crm-panel@2.3.0 3 ${CRM.pluginUrl}`]);
  });

  it('--task-info-panel is gone, and says what replaced it', async () => {
    const run = await runCli('setup', ['--task-info-panel'], env);

    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('--task-info-panel is gone: setup now releases the Flex plugin');
  });
});
