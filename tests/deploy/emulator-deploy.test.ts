/**
 * `npm run deploy` against the emulator, as a person runs it: the deploy script in a child process runs the real
 * twilio-run deploy, whose Serverless API calls and uploads TWILIO_API_BASE_URL sends to the emulator. The
 * checkout is staged as the deploy sees it after `npm run deploy`'s first two steps (the build in dist/ with the
 * Flex plugin's bundle among its assets), so the test writes nothing into the checkout (.twiliodeployinfo
 * included) nor into the dist/ other tests serve. Then `npm run setup`/`doctor` for production read the same
 * emulator, and a second deploy ships the Sync service setup created.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { control, twilioRequest } from '../../emulator/testing';
import { copyPluginBundle, PLUGIN_BUNDLE, pluginAssetPath, pluginPackage } from '../../scripts/admin/plugin-bundle';
import { DEPLOYED_VARIABLES } from '../../scripts/deploy/variables';
import { byId, type DoctorJson, emulatorEnv, expectNoViolations, newWorkingDirectory, runCli } from '../cli/cli';

jest.setTimeout(240_000);

const root = join(__dirname, '..', '..');
const SERVICE = 'flex-sms-handoff';

interface DeployedFile {
  path: string;
  visibility: string;
  size: number;
  sha256: string;
}

interface EnvironmentReport {
  serviceSid: string;
  environmentSid: string;
  domainName: string;
  deployments: number;
  build?: {
    sid: string;
    status: string;
    runtime: string;
    dependencies: Record<string, string>;
    functions: DeployedFile[];
    assets: DeployedFile[];
  };
  variables: Record<string, string>;
}

const uploadable = new Set<string>(DEPLOYED_VARIABLES);

let emulator: RunningEmulator;
let checkout: string;
let settings: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'functions'))) throw new Error('dist/ is missing: npm run build first');
  // What `npm run deploy` runs before its deploy script: the plugin's bundle, built (and copied below).
  execFileSync('npm', ['run', 'plugin:build'], { cwd: root, stdio: 'pipe' });
  emulator = await startEmulator();
  checkout = newWorkingDirectory();
  for (const file of ['package.json', '.twilioserverlessrc']) cpSync(join(root, file), join(checkout, file));
  cpSync(join(root, 'dist'), join(checkout, 'dist'), { recursive: true });
  copyPluginBundle(PLUGIN_BUNDLE, join(checkout, 'dist', 'assets'));
  // twilio-run deploy checks it runs in a project, by its source folders.
  for (const folder of ['functions', 'assets']) symlinkSync(join(root, folder), join(checkout, folder));
  settings = {
    ...emulatorEnv(emulator),
    COMPANY_NAME: 'Acme Outfitters',
    HANDOFF_API_KEY: 'k'.repeat(32),
    NO_AGENT_TEXT: 'Nobody is free.\nWe will text you back.',
  };
  writeFileSync(join(checkout, '.env'), envFile(settings));
});

afterAll(async () => {
  await emulator?.close();
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

function envFile(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}\n`)
    .join('');
}

async function deploy(environment: string): Promise<EnvironmentReport> {
  const run = await runCli('deploy', ['--environment', environment], {}, checkout);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(run.stdout).toContain(`of the emulator at ${emulator.url} (TWILIO_API_BASE_URL)`);
  const name = environment === 'production' ? 'production' : `${environment}-environment`;
  const { status, json } = await control<EnvironmentReport>(
    emulator,
    'GET',
    `/serverless/services/${SERVICE}/environments/${name}`,
  );
  expect(status).toBe(200);
  return json;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every file under dist/<folder> as Twilio serves it: the route without `.private`/`.protected`, its visibility. */
function built(folder: 'functions' | 'assets'): Omit<DeployedFile, 'size'>[] {
  const base = join(checkout, 'dist', folder);
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const relative = join(entry.parentPath, entry.name).slice(base.length);
      const visibility = /\.(private|protected)\./.exec(entry.name)?.[1] ?? 'public';
      let path = relative.replace(`.${visibility}.`, '.');
      if (folder === 'functions') path = path.replace(/\.js$/, '');
      return { path, visibility, sha256: sha256(join(base, relative)) };
    });
}

const byPath = <T extends { path: string }>(files: T[]) => [...files].sort((a, b) => a.path.localeCompare(b.path));

function expectTheTestedBuild(report: EnvironmentReport, variables: Record<string, string>): void {
  const { build } = report;
  expect(build?.status).toBe('completed');
  if (!build) return;
  const functions = build.functions.map(({ path, visibility, sha256 }) => ({ path, visibility, sha256 }));
  expect(byPath(functions)).toEqual(byPath(built('functions')));
  expect(Object.fromEntries(build.functions.map(({ path, visibility }) => [path, visibility]))).toEqual({
    '/sms/inbound': 'protected',
    '/conversations/event': 'protected',
    '/taskrouter/event': 'public',
    '/flex/handoff': 'public',
    '/flex/assist': 'public',
  });
  const assets = build.assets.map(({ path, visibility, sha256 }) => ({ path, visibility, sha256 }));
  expect(byPath(assets)).toEqual(byPath(built('assets')));
  expect(assets.filter((asset) => asset.visibility === 'private').length).toBeGreaterThanOrEqual(30);
  expect(assets).toContainEqual({
    path: pluginAssetPath(pluginPackage()),
    visibility: 'public',
    sha256: sha256(PLUGIN_BUNDLE),
  });
  // Exactly what `npm ci` installed for the tests: the lockfile's versions.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  expect(build.dependencies).toEqual(
    Object.fromEntries(
      Object.keys(pkg.dependencies).map((name) => [name, lock.packages[`node_modules/${name}`].version]),
    ),
  );
  const rc = JSON.parse(readFileSync(join(root, '.twilioserverlessrc'), 'utf8')) as { runtime: string };
  expect(build.runtime).toBe(rc.runtime);
  // Only the functions' own settings, never credentials nor the CLI's or local development's.
  expect(report.variables).toEqual(variables);
  expect(Object.keys(report.variables).every((name) => uploadable.has(name))).toBe(true);
  expect(Object.values(report.variables)).not.toContain(emulator.account.authToken);
}

/** The settings among `values` a deploy uploads. */
function functionsSettings(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => uploadable.has(name)));
}

let production: EnvironmentReport;

it('deploys the tested build to dev, then to production on the bare domain', async () => {
  const dev = await deploy('dev');
  expectTheTestedBuild(dev, functionsSettings(settings));
  expect(dev.domainName).toMatch(/^flex-sms-handoff-\d{4}-dev\.twil\.io$/);
  expect(functionsSettings(settings)).toEqual({
    CONVERSATIONS_SERVICE_SID: emulator.conversationsServiceSid,
    FLEX_WORKSPACE_SID: emulator.workspaceSid,
    FLEX_WORKFLOW_SID: emulator.workflowSid,
    COMPANY_NAME: 'Acme Outfitters',
    HANDOFF_API_KEY: 'k'.repeat(32),
    NO_AGENT_TEXT: 'Nobody is free.\nWe will text you back.',
  });

  production = await deploy('production');
  expectTheTestedBuild(production, functionsSettings(settings));
  expect(production.serviceSid).toBe(dev.serviceSid);
  expect(production.domainName).toBe(dev.domainName.replace('-dev.twil.io', '.twil.io'));
  expect(production.build?.sid).not.toBe(dev.build?.sid);
  await expectNoViolations(emulator);
});

it('then setup and doctor for production, and a second deploy with the Sync service setup created', async () => {
  const setup = await runCli('setup', ['--environment', 'production', '--yes'], {}, checkout);
  expect(setup.code).toBe(0);
  expect(setup.stdout).toContain(`✔ Deployment: ${production.domainName} (environment production`);
  const numbers = await twilioRequest(
    emulator,
    'GET',
    `/api/2010-04-01/Accounts/${emulator.account.sid}/IncomingPhoneNumbers.json`,
  );
  const { incoming_phone_numbers } = (await numbers.json()) as { incoming_phone_numbers: { sms_url: string }[] };
  expect(incoming_phone_numbers.map((number) => number.sms_url)).toEqual([
    `https://${production.domainName}/sms/inbound`,
  ]);

  // As the README says: put the SYNC_SERVICE_SID setup prints in .env and deploy again.
  const syncServiceSid = /SYNC_SERVICE_SID=(IS[0-9a-f]{32})/.exec(setup.stdout)?.[1];
  expect(syncServiceSid).toBeDefined();
  appendFileSync(join(checkout, '.env'), `SYNC_SERVICE_SID=${syncServiceSid}\n`);
  const again = await deploy('production');
  expectTheTestedBuild(again, functionsSettings({ ...settings, SYNC_SERVICE_SID: syncServiceSid! }));
  expect(again).toMatchObject({ environmentSid: production.environmentSid, deployments: 2 });
  expect(again.build?.sid).not.toBe(production.build?.sid);
  // The second deploy reused the service's functions and assets rather than adding more.
  const functions = await twilioRequest(emulator, 'GET', `/serverless/v1/Services/${again.serviceSid}/Functions`);
  expect(((await functions.json()) as { functions: unknown[] }).functions).toHaveLength(5);

  const doctor = await runCli('doctor', ['--environment', 'production', '--json'], {}, checkout);
  const report = JSON.parse(doctor.stdout) as DoctorJson;
  expect(Object.values(byId(report.checks)).filter((check) => !check.ok)).toEqual([]);
  expect(report).toMatchObject({ ok: true, domain: production.domainName });
  expect(doctor.code).toBe(0);
  await expectNoViolations(emulator);
});
