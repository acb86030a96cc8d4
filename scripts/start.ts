/**
 * `npm start`: with real Twilio credentials in `.env`, twilio-run serves the functions against Twilio; without
 * them, the functions run against the local Twilio emulator and `npm run text` plays a contact.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { startStack } from './local-stack';

const FUNCTIONS_PORT = Number(process.env.PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 3001);

const env: Record<string, string> = existsSync('.env')
  ? (parseEnv(readFileSync('.env', 'utf8')) as Record<string, string>)
  : {};

async function main(): Promise<void> {
  if (env.ACCOUNT_SID && env.AUTH_TOKEN && !env.TWILIO_API_BASE_URL) {
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
  const stack = await startStack({ config: settings, functionsPort: FUNCTIONS_PORT, emulatorPort: EMULATOR_PORT });
  console.log(
    [
      'No Twilio credentials in .env: running on the local Twilio emulator.',
      `  functions: ${stack.env.FUNCTIONS_URL}   emulator: ${stack.env.EMULATOR_URL}`,
      `  your Twilio number: ${stack.env.TWILIO_PHONE_NUMBER}`,
      '',
      'Text it as a contact, from another terminal:',
      '  npm run text -- "What are your opening hours?"',
      '  npm run text -- "I want to talk to a person"      (hands off to the emulated Flex)',
      '',
      `Outside systems hand off with: Authorization: Bearer ${stack.env.HANDOFF_API_KEY}`,
      'Play the rep through the emulator control API (/__emulator/flex/accept, /reply, /complete): see emulator/README.md.',
      '',
      'Ctrl+C stops both.',
    ].join('\n'),
  );
  const stop = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
