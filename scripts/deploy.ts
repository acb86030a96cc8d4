/**
 * `npm run deploy -- [--environment <name>] [--env-file <path>] [-- <twilio-run deploy flags>]`, after the build:
 * deploys dist/ with twilio-run to one environment of the Functions service (`dev` by default), uploading as its
 * environment only the variables the functions read. Each step is its own function, so that shipping more (a Flex
 * plugin bundle as an asset) is one more step before twilio-run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from './admin/command';
import { readSettings, UsageError } from './admin/env';
import {
  DEFAULT_ENVIRONMENT,
  environmentEnvFile,
  environmentNameProblem,
  twilioRunEnvironmentFlags,
} from './admin/environment';
import { DEPLOY_SETTINGS, DEPLOYED_VARIABLES, deployEnvFile } from './deploy/variables';

const HELP = `Usage: npm run deploy -- [options] [-- <twilio-run deploy flags>]

Builds dist/ and deploys it to an environment of the Functions service with twilio-run. Uploads as the
service's environment only the variables the functions read; TWILIO_PHONE_NUMBER, TWILIO_API_BASE_URL and
anything else in the settings file stay local.

Options:
  --environment <name>  dev (default), staging, production (the service's bare domain), any name of 1 to
                      16 lowercase letters, digits or dashes (the domain suffix)
  --env-file <path>   the settings (default: .env.<environment> if there is one, else .env); the process
                      environment overrides it
  --help, -h          print this help

With TWILIO_API_BASE_URL set (the local emulator), the deploy goes there instead of to Twilio.

Then npm run setup -- --environment <name> points the webhooks at that environment.`;

interface DeployFlags {
  environment: string;
  envFile?: string;
  /** After a second `--`: passed to twilio-run deploy as they are. */
  twilioRunFlags: string[];
  help: boolean;
}

export function parseDeployFlags(argv: string[]): DeployFlags {
  let parsed: ReturnType<typeof parseDeployArgs>;
  try {
    parsed = parseDeployArgs(argv);
  } catch (error) {
    throw new UsageError([`${(error as Error).message}. See npm run deploy -- --help`]);
  }
  const environment = parsed.values.environment ?? DEFAULT_ENVIRONMENT;
  const problem = environmentNameProblem(environment);
  if (problem) throw new UsageError([problem]);
  return {
    environment,
    envFile: parsed.values['env-file'] ?? environmentEnvFile(environment),
    twilioRunFlags: parsed.positionals,
    help: parsed.values.help,
  };
}

function parseDeployArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      environment: { type: 'string' },
      'env-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export interface PreparedDeploy {
  /** twilio-run's command line. */
  args: string[];
  /** The variables the service's environment gets. */
  uploaded: string[];
  /** Holds the `--env` file: removed after the deploy. */
  directory: string;
  /** Set: the local emulator the deploy goes to instead of Twilio. */
  emulatorUrl?: string;
}

/** The `--env` file for twilio-run, in a directory only this user can read, and twilio-run deploy's arguments. */
export function prepareDeploy(flags: DeployFlags, processEnv: NodeJS.ProcessEnv = process.env): PreparedDeploy {
  const settings = readSettings(flags.envFile, DEPLOY_SETTINGS, processEnv);
  const { ACCOUNT_SID, AUTH_TOKEN } = settings;
  if (!ACCOUNT_SID || !AUTH_TOKEN) {
    throw new UsageError([`ACCOUNT_SID and AUTH_TOKEN are needed to deploy: set them in ${flags.envFile ?? '.env'}`]);
  }
  const variables = Object.fromEntries(
    DEPLOYED_VARIABLES.flatMap((name) => (settings[name] ? [[name, settings[name]]] : [])),
  );
  const directory = mkdtempSync(join(tmpdir(), 'flex-sms-handoff-deploy-'));
  chmodSync(directory, 0o700);
  const envPath = join(directory, '.env');
  writeFileSync(envPath, deployEnvFile({ ACCOUNT_SID, AUTH_TOKEN }, variables), { mode: 0o600 });
  const args = ['deploy', ...twilioRunEnvironmentFlags(flags.environment), '--env', envPath, ...flags.twilioRunFlags];
  const { TWILIO_API_BASE_URL } = readSettings(flags.envFile, ['TWILIO_API_BASE_URL'], processEnv);
  return { args, uploaded: Object.keys(variables), directory, emulatorUrl: TWILIO_API_BASE_URL };
}

/**
 * node's arguments and environment for twilio-run. With an emulator, a preload points twilio-run's Serverless
 * API client at it (see deploy/emulator-redirect.ts); without one, twilio-run runs exactly as installed.
 */
export function twilioRunProcess(deploy: PreparedDeploy, processEnv: NodeJS.ProcessEnv = process.env) {
  const twilioRun = require.resolve('twilio-run/bin/twilio-run.js');
  if (!deploy.emulatorUrl) return { args: [twilioRun, ...deploy.args], env: processEnv };
  const preload = [
    '--require',
    require.resolve('tsx/cjs'),
    '--require',
    join(__dirname, 'deploy', 'emulator-redirect.ts'),
  ];
  return {
    args: [...preload, twilioRun, ...deploy.args],
    env: { ...processEnv, TWILIO_API_BASE_URL: deploy.emulatorUrl },
  };
}

async function main(argv: string[]): Promise<number> {
  const flags = parseDeployFlags(argv);
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const deploy = prepareDeploy(flags);
  try {
    const target = deploy.emulatorUrl ? ` of the emulator at ${deploy.emulatorUrl} (TWILIO_API_BASE_URL)` : '';
    console.log(
      `Deploying to the ${flags.environment} environment${target} with ${flags.envFile ?? '.env'}; the ` +
        `service's environment gets ${deploy.uploaded.join(', ') || 'no variables'}.`,
    );
    const { args, env } = twilioRunProcess(deploy);
    return spawnSync(process.execPath, args, { stdio: 'inherit', env }).status ?? 1;
  } finally {
    rmSync(deploy.directory, { recursive: true, force: true });
  }
}

if (require.main === module) runCommand('deploy', main);
