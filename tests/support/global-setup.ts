import { startStack } from '../../scripts/local-stack';

/**
 * One emulator and one twilio-run for the e2e project; tests reach them through the env set here. twilio-run
 * serves warm, as a Twilio Function container mostly is (all state lives in Sync, so nothing depends on the
 * process): a fresh process per request made the project ten times slower. The browser test's `npm start`
 * keeps twilio-run's default, a fresh process per request, so cold starts stay covered end to end.
 */
export default async function globalSetup(): Promise<void> {
  const stack = await startStack({ config: { FORBIDDEN_TOPICS: 'lawsuit,legal action' }, forkProcess: false });
  Object.assign(process.env, stack.env);
  (globalThis as { __stack?: unknown }).__stack = stack;
}
