/**
 * `npm run deploy`: what twilio-run deploy makes of the command line and the `--env` file the script prepares,
 * read by twilio-run's own flag definitions and configuration reader (no Twilio call): the environment, the
 * credentials it authenticates with, and the variables it uploads as the service's environment.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeployFlags, prepareDeploy, type PreparedDeploy, twilioRunProcess } from '../../scripts/deploy';
import { UsageError } from '../../scripts/admin/env';

/** twilio-run's own command-line parser, its flag definitions and its configuration reader. */
const yargs = require(require.resolve('yargs', { paths: [require.resolve('twilio-run')] })) as (args: string[]) => {
  options(options: object): { parseSync(): Record<string, unknown> };
};
const { cliInfo } = require('twilio-run/dist/commands/deploy') as { cliInfo: { options: Record<string, object> } };
const { getConfigFromFlags } = require('twilio-run/dist/config/deploy') as {
  getConfigFromFlags(flags: unknown): Promise<{
    functionsEnv: string;
    env: Record<string, string>;
    username: string;
    password: string;
    functionsFolderName: string;
    assetsFolderName: string;
    runtime: string;
  }>;
};

const root = join(__dirname, '..', '..');
const ACCOUNT_SID = `AC${'0'.repeat(32)}`;

/** A `.env` as a person fills it in: the functions' settings, the CLI's, local development's, comments. */
const SETTINGS = [
  '# credentials',
  `ACCOUNT_SID=${ACCOUNT_SID}`,
  'AUTH_TOKEN=secret-token',
  `SYNC_SERVICE_SID=IS${'1'.repeat(32)}`,
  `FLEX_WORKSPACE_SID=WS${'2'.repeat(32)}`,
  'TWILIO_PHONE_NUMBER=+15005550006',
  'TWILIO_API_BASE_URL=http://127.0.0.1:3001',
  'FLEX_TASK_CHANNEL=sms',
  'OPENAI_MODEL=',
  'HELP_TEXT=\'Text "AGENT" for a person = help, #1 \'',
  'NO_AGENT_TEXT="Nobody is free.\\nWe will text you back."',
  'SOMETHING_ELSE=not ours',
].join('\n');

let directory: string;
let envFile: string;
const prepared: PreparedDeploy[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'flex-sms-handoff-deploy-test-'));
  envFile = join(directory, '.env.test');
  writeFileSync(envFile, SETTINGS);
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
  for (const deploy of prepared.splice(0)) rmSync(deploy.directory, { recursive: true, force: true });
});

function prepare(argv: string[], processEnv: NodeJS.ProcessEnv = {}): PreparedDeploy {
  const deploy = prepareDeploy(parseDeployFlags(argv), processEnv);
  prepared.push(deploy);
  return deploy;
}

/** What twilio-run deploy would do with these arguments, run from the checkout. */
async function twilioRunConfig(deploy: PreparedDeploy) {
  const [command, ...args] = deploy.args;
  expect(command).toBe('deploy');
  const flags = yargs(args).options(cliInfo.options).parseSync();
  return getConfigFromFlags({ ...flags, cwd: root });
}

describe('npm run deploy', () => {
  it('uploads only the variables the functions read, exactly as written', async () => {
    const config = await twilioRunConfig(prepare(['--env-file', envFile]));
    expect(config.env).toEqual({
      SYNC_SERVICE_SID: `IS${'1'.repeat(32)}`,
      FLEX_WORKSPACE_SID: `WS${'2'.repeat(32)}`,
      FLEX_TASK_CHANNEL: 'sms',
      HELP_TEXT: 'Text "AGENT" for a person = help, #1',
      NO_AGENT_TEXT: 'Nobody is free.\nWe will text you back.',
    });
    expect(config).toMatchObject({ username: ACCOUNT_SID, password: 'secret-token' });
    expect(config).toMatchObject({ functionsFolderName: 'dist/functions', assetsFolderName: 'dist/assets' });
  });

  it('takes the process environment over the file, as setup and doctor do', async () => {
    const config = await twilioRunConfig(prepare(['--env-file', envFile], { FLEX_TASK_CHANNEL: 'chat' }));
    expect(config.env.FLEX_TASK_CHANNEL).toBe('chat');
  });

  it('deploys to dev by default, production to the bare domain, any other name as the domain suffix', async () => {
    expect((await twilioRunConfig(prepare(['--env-file', envFile]))).functionsEnv).toBe('dev');
    expect((await twilioRunConfig(prepare(['--env-file', envFile, '--environment', 'production']))).functionsEnv).toBe(
      '',
    );
    expect((await twilioRunConfig(prepare(['--env-file', envFile, '--environment', 'staging']))).functionsEnv).toBe(
      'staging',
    );
  });

  it('passes flags after -- to twilio-run', () => {
    const deploy = prepare(['--env-file', envFile, '--', '--override-existing-project']);
    expect(deploy.args.at(-1)).toBe('--override-existing-project');
  });

  it('keeps the --env file from other users', () => {
    const deploy = prepare(['--env-file', envFile]);
    const envPath = deploy.args[deploy.args.indexOf('--env') + 1];
    expect(statSync(deploy.directory).mode & 0o077).toBe(0);
    expect(statSync(envPath).mode & 0o077).toBe(0);
    expect(readFileSync(envPath, 'utf8')).not.toContain('TWILIO_PHONE_NUMBER');
  });

  it('refuses a bad environment name, a missing settings file and missing credentials', () => {
    expect(() => parseDeployFlags(['--environment', 'Prod'])).toThrow(UsageError);
    expect(() => prepare(['--env-file', join(directory, 'missing')])).toThrow('no such file');
    writeFileSync(envFile, 'SYNC_SERVICE_SID=IS1\n');
    expect(() => prepare(['--env-file', envFile])).toThrow('ACCOUNT_SID and AUTH_TOKEN are needed to deploy');
  });

  it('runs twilio-run as installed against Twilio, and with the emulator redirect only when TWILIO_API_BASE_URL is set', () => {
    writeFileSync(envFile, SETTINGS.replace(/^TWILIO_API_BASE_URL=.*$/m, ''));
    const twilio = twilioRunProcess(prepare(['--env-file', envFile]), { PATH: '/bin' });
    expect(twilio.args[0]).toBe(require.resolve('twilio-run/bin/twilio-run.js'));
    expect(twilio.args.join(' ')).not.toContain('--require');
    expect(twilio.env).toEqual({ PATH: '/bin' });

    const fromProcess = prepare(['--env-file', envFile], { TWILIO_API_BASE_URL: 'http://127.0.0.1:3002' });
    expect(fromProcess.emulatorUrl).toBe('http://127.0.0.1:3002');
    writeFileSync(envFile, SETTINGS);
    const emulator = twilioRunProcess(prepare(['--env-file', envFile]), { PATH: '/bin' });
    expect(emulator.args.slice(0, 4)).toEqual([
      '--require',
      require.resolve('tsx/cjs'),
      '--require',
      join(root, 'scripts', 'deploy', 'emulator-redirect.ts'),
    ]);
    expect(emulator.env).toEqual({ PATH: '/bin', TWILIO_API_BASE_URL: 'http://127.0.0.1:3001' });
  });
});
