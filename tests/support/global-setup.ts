import { startStack } from '../../scripts/local-stack';

/** One emulator and one twilio-run for the e2e project; tests reach them through the env set here. */
export default async function globalSetup(): Promise<void> {
  const stack = await startStack({ config: { FORBIDDEN_TOPICS: 'lawsuit,legal action' } });
  Object.assign(process.env, stack.env);
  (globalThis as { __stack?: unknown }).__stack = stack;
}
