/**
 * `npm start`: with real Twilio credentials in `.env`, twilio-run serves the functions against Twilio; without
 * them, the functions run against the local Twilio emulator, and the sandbox page plays the contact and the rep.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseEnv } from 'node:util';
import { SANDBOX_MARK, startSandbox } from '../sandbox/server';
import { startStack } from './local-stack';

const FUNCTIONS_PORT = Number(process.env.PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 3001);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 3002);

const env: Record<string, string> = existsSync('.env')
  ? (parseEnv(readFileSync('.env', 'utf8')) as Record<string, string>)
  : {};

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Whether the sandbox of another `npm start` answers on the port. */
async function sandboxAt(port: number): Promise<boolean> {
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/api/sandbox`, { signal: AbortSignal.timeout(2000) });
    return ((await answer.json()) as { name?: string }).name === SANDBOX_MARK;
  } catch {
    return false;
  }
}

/** Stops before starting anything when a port is taken: by this product already, or by another program. */
async function checkPorts(ports: Record<string, number>): Promise<void> {
  if (ports.SANDBOX_PORT !== undefined && (await sandboxAt(ports.SANDBOX_PORT))) {
    throw new Error(
      `flex-sms-handoff is already running: open http://127.0.0.1:${ports.SANDBOX_PORT} (Ctrl+C it there to stop it).`,
    );
  }
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portIsFree(port))) {
      throw new Error(
        `Port ${port} is taken by another program: stop it, or choose another with ${name}=<port> npm start.`,
      );
    }
  }
}

function buildFunctions(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  if (env.ACCOUNT_SID && env.AUTH_TOKEN && !env.TWILIO_API_BASE_URL) {
    await checkPorts({ PORT: FUNCTIONS_PORT });
    buildFunctions();
    console.log('Real Twilio credentials found in .env: serving the functions against Twilio.');
    const child = spawn(
      process.execPath,
      [require.resolve('twilio-run/bin/twilio-run.js'), 'start', '--port', String(FUNCTIONS_PORT), '--env', '.env'],
      { stdio: 'inherit' },
    );
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  // Settings other than the account's (FORBIDDEN_TOPICS, SESSION_IDLE_MINUTES, ...) still apply locally.
  const {
    ACCOUNT_SID: _sid,
    AUTH_TOKEN: _token,
    TWILIO_API_BASE_URL: _url,
    SYNC_SERVICE_SID: _sync,
    ...settings
  } = env;
  await checkPorts({ SANDBOX_PORT, PORT: FUNCTIONS_PORT, EMULATOR_PORT });
  buildFunctions();
  const stack = await startStack({ config: settings, functionsPort: FUNCTIONS_PORT, emulatorPort: EMULATOR_PORT });
  const sandbox = await startSandbox({
    emulatorUrl: stack.env.EMULATOR_URL,
    accountSid: stack.env.ACCOUNT_SID,
    authToken: stack.env.AUTH_TOKEN,
    functionsUrl: stack.env.FUNCTIONS_URL,
    port: SANDBOX_PORT,
  }).catch(async (error: Error) => {
    await stack.stop();
    throw error;
  });
  console.log(
    [
      'No Twilio credentials in .env: running on the local Twilio emulator.',
      '',
      `  Sandbox (the contact's phone and a rep desk): ${sandbox.url}`,
      '',
      `  functions: ${stack.env.FUNCTIONS_URL}   emulator: ${stack.env.EMULATOR_URL}`,
      `  your Twilio number: ${stack.env.TWILIO_PHONE_NUMBER}`,
      '',
      'Or text it as a contact, from another terminal:',
      '  npm run text -- "What are your opening hours?"',
      '  npm run text -- "I want to talk to a person"      (hands off to the emulated Flex)',
      '',
      `Outside systems hand off with: Authorization: Bearer ${stack.env.HANDOFF_API_KEY}`,
      'Play the rep through the emulator control API (/__emulator/flex/accept, /reply, /complete): see emulator/README.md.',
      '',
      'Ctrl+C stops it all.',
    ].join('\n'),
  );
  const stop = () => void Promise.all([sandbox.close(), stack.stop()]).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
