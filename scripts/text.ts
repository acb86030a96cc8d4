/**
 * `npm run text -- "message" [--from +14155550100]`: texts the local emulator's Twilio number as a contact and
 * prints the answer (needs `npm start` running on the emulator).
 */
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string', default: '+14155550100' } },
});
const emulatorUrl = process.env.EMULATOR_URL ?? `http://127.0.0.1:${process.env.EMULATOR_PORT ?? 3001}`;

async function main(): Promise<void> {
  const body = positionals.join(' ');
  if (!body) throw new Error('Usage: npm run text -- "What are your opening hours?" [--from +14155550100]');
  const response = await fetch(`${emulatorUrl}/__emulator/sms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: values.from, body }),
  }).catch(() => {
    throw new Error(`No emulator at ${emulatorUrl}: start the product first with npm start`);
  });
  const result = (await response.json()) as { status: number; body: string; replies: string[] };
  if (!response.ok || result.status !== 200) throw new Error(`The function answered ${result.status}: ${result.body}`);
  console.log(result.replies.length > 0 ? result.replies.join('\n') : '(no reply)');
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
