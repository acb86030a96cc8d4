/**
 * `npx tsx emulator/main.ts`: runs the emulator until SIGINT/SIGTERM and prints one JSON line with its URL
 * and seeded SIDs. Configured by EMULATOR_PORT (3001), ACCOUNT_SID/AUTH_TOKEN, EMULATOR_LATENCY_MS,
 * EMULATOR_SMS_URL, EMULATOR_TASKROUTER_EVENTS_URL, EMULATOR_CONVERSATIONS_WEBHOOK_URL.
 */
import { startEmulator } from './index';

async function main(): Promise<void> {
  const env = process.env;
  const emulator = await startEmulator({
    port: Number(env.EMULATOR_PORT ?? 3001),
    account: env.ACCOUNT_SID && env.AUTH_TOKEN ? { sid: env.ACCOUNT_SID, authToken: env.AUTH_TOKEN } : undefined,
    latencyMs: env.EMULATOR_LATENCY_MS ? Number(env.EMULATOR_LATENCY_MS) : undefined,
    smsUrl: env.EMULATOR_SMS_URL,
    taskrouterEventsUrl: env.EMULATOR_TASKROUTER_EVENTS_URL,
    conversationsWebhookUrl: env.EMULATOR_CONVERSATIONS_WEBHOOK_URL,
  });
  const { url, account, close, ...seeded } = emulator;
  console.log(JSON.stringify({ url, accountSid: account.sid, ...seeded }));
  const stop = () => {
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
