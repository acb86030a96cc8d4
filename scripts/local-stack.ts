/**
 * The local stack that `npm start`, the end-to-end tests and the benchmark run: the Twilio emulator, and the real twilio-run serving
 * the built functions with TWILIO_API_BASE_URL pointing at it. Webhooks reach the functions only as Twilio's
 * would: signed, from the emulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator';

export interface StackEnv {
  EMULATOR_URL: string;
  FUNCTIONS_URL: string;
  ACCOUNT_SID: string;
  AUTH_TOKEN: string;
  TWILIO_PHONE_NUMBER: string;
  SYNC_SERVICE_SID: string;
  CONVERSATIONS_SERVICE_SID: string;
  FLEX_WORKSPACE_SID: string;
  FLEX_WORKFLOW_SID: string;
  HANDOFF_API_KEY: string;
}

export interface RunningStack {
  env: StackEnv;
  emulator: RunningEmulator;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`twilio-run exited with code ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`twilio-run did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts twilio-run on the built functions with the given configuration (a `.env` it reads). By default each
 * request runs in a fresh process, as twilio-run does; without it, one warm process serves them all.
 */
export async function startFunctions(
  config: Record<string, string>,
  port: number,
  forkProcess = true,
): Promise<ChildProcess> {
  const envFolder = mkdtempSync(join(tmpdir(), 'flex-sms-handoff-'));
  const envFile = join(envFolder, '.env');
  writeFileSync(
    envFile,
    Object.entries(config)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n') + '\n',
  );
  const child = spawn(
    process.execPath,
    [
      require.resolve('twilio-run/bin/twilio-run.js'),
      'start',
      ...['--port', String(port), '--env', envFile],
      ...(forkProcess ? [] : ['--no-fork-process', '--no-live']),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
  // The .env holds the account's credentials: it lives only as long as the functions.
  child.once('exit', () => rmSync(envFolder, { recursive: true, force: true }));
  const output: string[] = [];
  child.stdout?.on('data', (data: Buffer) => output.push(data.toString()));
  child.stderr?.on('data', (data: Buffer) => output.push(data.toString()));
  try {
    await waitUntilServing(`http://localhost:${port}/`, child, 30_000);
  } catch (error) {
    child.kill();
    throw new Error(`${(error as Error).message}\n${output.join('')}`, { cause: error });
  }
  return child;
}

/** The functions' configuration on an emulated account: its credentials and SIDs, with the emulator as Twilio. */
export function functionsConfigFor(emulator: RunningEmulator, handoffApiKey: string): Record<string, string> {
  return {
    ACCOUNT_SID: emulator.account.sid,
    AUTH_TOKEN: emulator.account.authToken,
    TWILIO_API_BASE_URL: emulator.url,
    SYNC_SERVICE_SID: emulator.syncServiceSid,
    CONVERSATIONS_SERVICE_SID: emulator.conversationsServiceSid,
    FLEX_WORKSPACE_SID: emulator.workspaceSid,
    FLEX_WORKFLOW_SID: emulator.workflowSid,
    HANDOFF_API_KEY: handoffApiKey,
  };
}

export interface StackOptions {
  /** Configuration for the functions beyond the emulator's credentials and SIDs. */
  config?: Record<string, string>;
  /** Added to every Twilio API call, to measure with realistic network time. */
  latencyMs?: number;
  /** Free ports when not given. */
  functionsPort?: number;
  emulatorPort?: number;
  /** A fresh process per request (twilio-run's default). */
  forkProcess?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const functionsPort = options.functionsPort ?? (await freePort());
  const functionsUrl = `http://localhost:${functionsPort}`;
  const emulator = await startEmulator({
    port: options.emulatorPort,
    latencyMs: options.latencyMs,
    smsUrl: `${functionsUrl}/sms/inbound`,
    taskrouterEventsUrl: `${functionsUrl}/taskrouter/event`,
    conversationsWebhookUrl: `${functionsUrl}/conversations/event`,
  });
  const env: StackEnv = {
    EMULATOR_URL: emulator.url,
    FUNCTIONS_URL: functionsUrl,
    ACCOUNT_SID: emulator.account.sid,
    AUTH_TOKEN: emulator.account.authToken,
    TWILIO_PHONE_NUMBER: emulator.phoneNumber,
    SYNC_SERVICE_SID: emulator.syncServiceSid,
    CONVERSATIONS_SERVICE_SID: emulator.conversationsServiceSid,
    FLEX_WORKSPACE_SID: emulator.workspaceSid,
    FLEX_WORKFLOW_SID: emulator.workflowSid,
    HANDOFF_API_KEY: options.config?.HANDOFF_API_KEY ?? randomBytes(24).toString('hex'),
  };
  const config = { ...functionsConfigFor(emulator, env.HANDOFF_API_KEY), ...options.config };
  let functions: ChildProcess;
  try {
    functions = await startFunctions(config, functionsPort, options.forkProcess);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return {
    emulator,
    env,
    async stop() {
      functions.kill();
      await emulator.close();
    },
  };
}
