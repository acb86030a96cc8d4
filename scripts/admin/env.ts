/**
 * What `npm run setup` and `npm run doctor` run with: the functions' own `.env` (the process environment
 * overrides it) and the command line, checked up front so that a missing credential, a malformed SID or a bad
 * flag fails with a message that names it, before any call to Twilio.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { normaliseDomain } from './deployment';
import { DEFAULT_ENVIRONMENT, environmentEnvFile, environmentNameProblem } from './environment';

/** Bad input from the person running the command: printed as it is, exit code 2. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'UsageError';
  }
}

export interface AdminEnv {
  ACCOUNT_SID: string;
  AUTH_TOKEN: string;
  /** Local development: Twilio requests go to the emulator, as the functions' do. */
  TWILIO_API_BASE_URL?: string;
  FLEX_WORKSPACE_SID: string;
  FLEX_WORKFLOW_SID: string;
  CONVERSATIONS_SERVICE_SID: string;
  /** Unset before the first setup, which finds or creates the service. */
  SYNC_SERVICE_SID?: string;
  /** Unset: the account's only number. */
  TWILIO_PHONE_NUMBER?: string;
  FLEX_TASK_CHANNEL: string;
}

type Name = keyof AdminEnv;

interface Rule {
  /** Where to find the value, for the error message. */
  hint: string;
  required?: boolean;
  pattern?: RegExp;
  shape?: string;
}

const sid = (prefix: string): Pick<Rule, 'pattern' | 'shape'> => ({
  pattern: new RegExp(`^${prefix}[0-9a-fA-F]{32}$`),
  shape: `a ${prefix}… SID (${prefix} and 32 hexadecimal digits)`,
});

export const E164 = /^\+[1-9]\d{6,14}$/;

const RULES: Record<Name, Rule> = {
  ACCOUNT_SID: { required: true, ...sid('AC'), hint: 'your Account SID, from Twilio Console → Account Info' },
  AUTH_TOKEN: { required: true, hint: 'your Auth Token, from Twilio Console → Account Info' },
  TWILIO_API_BASE_URL: {
    pattern: /^https?:\/\/\S+$/,
    shape: 'an http(s) URL',
    hint: 'local development only; leave it empty against Twilio',
  },
  FLEX_WORKSPACE_SID: {
    required: true,
    ...sid('WS'),
    hint: 'the Flex workspace, from Console → TaskRouter → Workspaces → "Flex Task Assignment"',
  },
  FLEX_WORKFLOW_SID: {
    required: true,
    ...sid('WW'),
    hint: 'the Flex workflow, from Console → TaskRouter → Workspaces → Flex Task Assignment → Workflows',
  },
  CONVERSATIONS_SERVICE_SID: {
    required: true,
    ...sid('IS'),
    hint: "Flex's Conversations service, from Console → Conversations → Services",
  },
  SYNC_SERVICE_SID: { ...sid('IS'), hint: 'leave it empty and npm run setup finds or creates the Sync service' },
  TWILIO_PHONE_NUMBER: {
    pattern: E164,
    shape: 'an E.164 number such as +14155550100',
    hint: 'the Twilio number contacts text',
  },
  FLEX_TASK_CHANNEL: { hint: 'the task channel of handed-off texts, default sms' },
};

/**
 * The named settings from `envFile` (default `.env`, if there is one) with the process environment on top, as
 * setup, doctor and deploy read them. Empty values count as unset, as `NAME=` does in a `.env` file.
 */
export function readSettings<N extends string>(
  envFile: string | undefined,
  names: readonly N[],
  processEnv: NodeJS.ProcessEnv = process.env,
): Partial<Record<N, string>> {
  const path = envFile ?? '.env';
  if (envFile !== undefined && !existsSync(path)) throw new UsageError([`--env-file ${path}: no such file`]);
  const fromFile = existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
  return Object.fromEntries(
    names.flatMap((name) => {
      const found = (processEnv[name] || fromFile[name])?.trim();
      return found ? [[name, found]] : [];
    }),
  ) as Partial<Record<N, string>>;
}

/** What is wrong with the named settings: each problem names the setting and where to find it. */
export function settingProblems(settings: Partial<AdminEnv>, names: readonly Name[]): string[] {
  return names.flatMap((name) => {
    const rule = RULES[name];
    const found = settings[name];
    if (found === undefined) return rule.required ? [`${name} is missing: ${rule.hint}.`] : [];
    if (rule.pattern && !rule.pattern.test(found)) {
      return [`${name} must be ${rule.shape}, not ${JSON.stringify(found)} (${rule.hint}).`];
    }
    return [];
  });
}

/** The settings setup and the doctor need, checked: a problem names the setting and where to find it. */
export function loadEnv(envFile: string | undefined, processEnv: NodeJS.ProcessEnv = process.env): AdminEnv {
  const names = Object.keys(RULES) as Name[];
  const settings: Partial<AdminEnv> = readSettings(envFile, names, processEnv);
  const problems = settingProblems(settings, names);
  if (problems.length) throw new UsageError(problems);
  return { FLEX_TASK_CHANNEL: 'sms', ...settings } as AdminEnv;
}

export interface Flags {
  /** The deployment's host name, without a scheme. */
  domain?: string;
  /** The Functions service's environment whose domain is found when --domain is not given. */
  environment: string;
  /** --number, repeatable: the numbers setup wires and the doctor checks. */
  numbers: string[];
  /** --messaging-service: all numbers of that service instead. */
  messagingService?: string;
  queue?: string;
  envFile?: string;
  dryRun: boolean;
  force: boolean;
  yes: boolean;
  json: boolean;
  /** false with --no-plugin: the Flex plugin is neither registered nor checked. */
  plugin: boolean;
  help: boolean;
}

/** The help lines of the options setup and doctor share: which deployment, which numbers. */
export const TARGET_OPTIONS_HELP = `  --environment <name>  the deployment's environment: dev (default), staging, production, …;
                      its domain is found through the Serverless API
  --domain <host>     the deployment's domain instead, e.g. flex-sms-handoff-1234-dev.twil.io
  --number <E.164>    a Twilio number contacts text; repeat it for several
                      (default: TWILIO_PHONE_NUMBER, else the account's only number)
  --messaging-service <MG…>
                      every phone number of this Messaging Service instead`;

const EXAMPLE_DOMAIN = 'flex-sms-handoff-1234-dev.twil.io';

const COMMON_OPTIONS = {
  domain: { type: 'string' },
  environment: { type: 'string' },
  number: { type: 'string', multiple: true },
  'messaging-service': { type: 'string' },
  'env-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-plugin': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const SETUP_OPTIONS = {
  ...COMMON_OPTIONS,
  queue: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
} as const;

/**
 * The command line of `setup` or `doctor` (which takes only --domain, --environment, --number, --messaging-service,
 * --no-plugin, --env-file, --json, --help). Without --env-file, an environment reads `.env.<environment>` when there
 * is one, else `.env`.
 */
export function parseFlags(argv: string[], command: 'setup' | 'doctor'): Flags {
  if (command === 'setup' && argv.includes('--task-info-panel')) {
    throw new UsageError([
      '--task-info-panel is gone: setup now releases the Flex plugin that shows the handoff on the task info panel ' +
        '(--no-plugin skips it).',
    ]);
  }
  let values: Partial<Record<keyof typeof SETUP_OPTIONS, string | boolean | string[]>>;
  try {
    ({ values } = parseArgs({ args: argv, options: command === 'setup' ? SETUP_OPTIONS : COMMON_OPTIONS }));
  } catch (error) {
    throw new UsageError([`${(error as Error).message}. See npm run ${command} -- --help`]);
  }
  const text = (name: keyof typeof SETUP_OPTIONS) => values[name] as string | undefined;
  const flag = (name: keyof typeof SETUP_OPTIONS) => values[name] === true;
  const environment = text('environment') ?? DEFAULT_ENVIRONMENT;
  const flags: Flags = {
    domain: text('domain'),
    environment,
    numbers: (values.number as string[] | undefined) ?? [],
    messagingService: text('messaging-service'),
    queue: text('queue'),
    envFile: text('env-file') ?? environmentEnvFile(environment),
    dryRun: flag('dry-run'),
    force: flag('force'),
    yes: flag('yes'),
    json: flag('json'),
    plugin: !flag('no-plugin'),
    help: flag('help'),
  };
  const problems: string[] = [];
  if (flags.domain !== undefined) {
    const domain = normaliseDomain(flags.domain);
    if (domain) flags.domain = domain;
    else problems.push(`--domain must be a host name such as ${EXAMPLE_DOMAIN}, not ${JSON.stringify(flags.domain)}`);
  }
  const environmentProblem = environmentNameProblem(environment);
  if (environmentProblem) problems.push(environmentProblem);
  if (flags.domain !== undefined && text('environment') !== undefined) {
    problems.push('--domain names the deployment itself: give --domain or --environment, not both');
  }
  for (const number of flags.numbers.filter((n) => !E164.test(n))) {
    problems.push(`--number must be an E.164 number such as +14155550100, not ${JSON.stringify(number)}`);
  }
  if (flags.messagingService !== undefined && !/^MG[0-9a-fA-F]{32}$/.test(flags.messagingService)) {
    problems.push(
      `--messaging-service must be a Messaging Service SID (MG and 32 hexadecimal digits), not ${JSON.stringify(flags.messagingService)}`,
    );
  }
  if (flags.messagingService !== undefined && flags.numbers.length) {
    problems.push('--number and --messaging-service name the numbers two ways: give one of them');
  }
  if (flags.queue !== undefined && !/^WQ[0-9a-fA-F]{32}$/.test(flags.queue)) {
    problems.push(
      `--queue must be a task queue SID (WQ and 32 hexadecimal digits), not ${JSON.stringify(flags.queue)}`,
    );
  }
  if (problems.length) throw new UsageError(problems);
  return flags;
}
