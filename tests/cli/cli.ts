/**
 * Runs `npm run setup` / `npm run doctor` (and `npm run deploy`'s script) the way a person does: the real script
 * in a child process, in a directory of its own (no stray `.env`), with an environment that points it at the
 * in-process emulator, and standard input that is not a terminal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { control, sdkClient } from '../../emulator/testing';

/** A deployment's domain, as twilio serverless:deploy names it. */
export const DOMAIN = 'flex-sms-handoff-1234-dev.twil.io';
export const OTHER_DOMAIN = 'flex-sms-handoff-5678-prod.twil.io';
/** Where setup points a number's texts on DOMAIN's deployment. */
export const OURS = `https://${DOMAIN}/sms/inbound`;

const SCRIPTS = join(__dirname, '..', '..', 'scripts');
const TSX = pathToFileURL(require.resolve('tsx')).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The settings `.env` would hold for the emulator's seeded account, with `overrides` on top. */
export function emulatorEnv(emulator: RunningEmulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ACCOUNT_SID: emulator.account.sid,
    AUTH_TOKEN: emulator.account.authToken,
    TWILIO_API_BASE_URL: emulator.url,
    FLEX_WORKSPACE_SID: emulator.workspaceSid,
    FLEX_WORKFLOW_SID: emulator.workflowSid,
    CONVERSATIONS_SERVICE_SID: emulator.conversationsServiceSid,
    TWILIO_PHONE_NUMBER: emulator.phoneNumber,
    ...overrides,
  };
}

const workingDirectories: string[] = [];

/** A folder of its own, removed after the test file that made it. */
export function newWorkingDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'flex-sms-handoff-cli-'));
  workingDirectories.push(directory);
  return directory;
}

afterAll(() => {
  for (const directory of workingDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

export function runCli(
  command: 'setup' | 'doctor' | 'deploy' | 'insights',
  args: string[],
  env: Record<string, string>,
  cwd: string = newWorkingDirectory(),
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, join(SCRIPTS, `${command}.ts`), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The numbers a run was about: named (asked), or found pointing at the deployment. */
export type NumbersJson = { phoneNumber: string; asked: boolean; why: string }[];

export interface SetupJson {
  ok: boolean;
  dryRun: boolean;
  domain: string | null;
  numbers: NumbersJson;
  steps: {
    id: string;
    subject: string;
    numbers?: string[];
    status: string;
    outcome: string;
    message: string;
    changes: unknown[];
  }[];
}

export interface DoctorJson {
  ok: boolean;
  domain: string | null;
  numbers: NumbersJson;
  checks: {
    id: string;
    subject: string;
    numbers?: string[];
    ok: boolean;
    detail: string;
    consequence?: string;
    fix?: string;
  }[];
}

/** The step or check of each id, for assertions that read like the plan. */
export function byId<T extends { id: string }>(items: T[]): Record<string, T> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

export async function expectNoViolations(emulator: RunningEmulator): Promise<void> {
  const { json } = await control<unknown[]>(emulator, 'GET', '/violations');
  expect(json).toEqual([]);
}

/** A new Flex account on the emulator for a test file, its SDK client and the CLI's environment for it. */
export async function startCliEmulator(): Promise<{
  emulator: RunningEmulator;
  client: TwilioClient;
  env: Record<string, string>;
}> {
  const emulator = await startEmulator();
  return {
    emulator,
    client: sdkClient(emulator),
    env: emulatorEnv(emulator, { SYNC_SERVICE_SID: emulator.syncServiceSid }),
  };
}

/** Stops a test file's emulator, after making sure the file's runs broke no spec. */
export async function stopCliEmulator(emulator: RunningEmulator | undefined): Promise<void> {
  if (!emulator) return;
  try {
    await expectNoViolations(emulator);
  } finally {
    await emulator.close();
  }
}

/** Back to a new Flex account, after making sure the run so far broke no spec. */
export async function resetEmulator(emulator: RunningEmulator): Promise<void> {
  await expectNoViolations(emulator);
  await control(emulator, 'POST', '/reset');
}

/** The Twilio writes (POST/DELETE) made since the last call. */
export async function takeWrites(emulator: RunningEmulator): Promise<string[]> {
  const { json } = await control<{ method: string; sub: string; path: string }[]>(emulator, 'GET', '/requests');
  await control(emulator, 'DELETE', '/requests');
  return json.filter((r) => r.method !== 'GET').map((r) => `${r.method} /${r.sub}${r.path}`);
}

/** A new Flex account's workflow: one catch-all filter, and no filter of its own for handed-off texts. */
export function catchAllConfiguration(queueSid: string): string {
  return JSON.stringify({
    task_routing: {
      filters: [{ filter_friendly_name: 'Attempt 1', expression: '1==1', targets: [{ queue: queueSid }] }],
      default_filter: { queue: queueSid },
    },
  });
}
