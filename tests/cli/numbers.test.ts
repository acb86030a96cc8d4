/**
 * Every number whose texts are meant for the deployment, not only TWILIO_PHONE_NUMBER: the ones named (--number,
 * TWILIO_PHONE_NUMBER) and the ones found pointing at it (their own SMS URL, or their Messaging Service's
 * incoming-message URL). doctor checks them all and says which number each finding is about; setup reports the
 * found ones and changes only the numbers it was asked to.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import type { RunningEmulator } from '../../emulator';
import type { ShapeResult } from '../../emulator/shapes';
import { control, controlOk } from '../../emulator/testing';
import {
  DOMAIN,
  type DoctorJson,
  OURS,
  resetEmulator,
  runCli,
  type SetupJson,
  takeWrites,
  stopCliEmulator,
  startCliEmulator,
} from './cli';

// Each test runs setup and doctor several times, a few seconds each on a busy machine.
jest.setTimeout(120_000);

let emulator: RunningEmulator;
let client: TwilioClient;
/** TWILIO_PHONE_NUMBER is the account's first number, as in a `.env` written before the second was bought. */
let env: Record<string, string>;

beforeAll(async () => {
  ({ emulator, client, env } = await startCliEmulator());
});

afterAll(() => stopCliEmulator(emulator));

async function doctor(args: string[] = []) {
  const run = await runCli('doctor', ['--json', '--domain', DOMAIN, ...args], env);
  return { code: run.code, report: JSON.parse(run.stdout) as DoctorJson };
}

async function doctorLines(args: string[] = []) {
  return runCli('doctor', ['--domain', DOMAIN, ...args], env);
}

const numberSid = async (phoneNumber: string) => (await client.incomingPhoneNumbers.list({ phoneNumber }))[0].sid;

describe('two numbers, wired one at a time (the two-numbers shape)', () => {
  let first: string;
  let second: string;
  let serviceSid: string;

  beforeAll(async () => {
    const shape = await controlOk<ShapeResult>(emulator, 'POST', '/shapes/two-numbers');
    [first, second] = shape.numbers;
    serviceSid = shape.sids.messagingService;
    expect(first).toBe(env.TWILIO_PHONE_NUMBER);
  });

  it('setup --number B lists A, wired by the setup before, as checked and changes only B', async () => {
    const setupA = await runCli('setup', ['--yes', '--domain', DOMAIN, '--number', first], env);
    expect(setupA.code).toBe(0);
    // B is in no way ours yet: setup for A does not mention it.
    expect(setupA.stdout).not.toContain(second);
    await takeWrites(emulator);

    const run = await runCli('setup', ['--yes', '--domain', DOMAIN, '--number', second], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✔ Twilio number ${second}: texts go to ${OURS}\n    SmsUrl: (not set) → ${OURS}`);
    expect(run.stdout).toContain(`✔ Twilio number ${first}: already set: texts go to ${OURS}`);
    expect(run.stdout).toContain(
      `✔ Messaging Service "Second line" (${serviceSid}) of ${second}: already set: defers to its numbers' own SMS URLs (${second})`,
    );
    expect(run.stdout).toContain(`Numbers named: ${second} (--number)`);
    expect(run.stdout).toContain(
      `Other numbers wired to this deployment, checked and left as they are: ${first} (its SMS URL points at this deployment)`,
    );
    const writes = (await takeWrites(emulator)).filter((write) => write.includes('IncomingPhoneNumbers'));
    expect(writes).toEqual([
      `POST /api/2010-04-01/Accounts/${emulator.account.sid}/IncomingPhoneNumbers/${await numberSid(second)}.json`,
    ]);
  });

  it('with nothing broken, doctor checks both numbers and exits 0, whichever is named', async () => {
    const { code, report } = await doctor();

    expect(code).toBe(0);
    expect(report.numbers).toEqual([
      { phoneNumber: first, asked: true, why: 'TWILIO_PHONE_NUMBER' },
      { phoneNumber: second, asked: false, why: 'its SMS URL points at this deployment' },
    ]);
    const aboutNumbers = report.checks.filter((check) => check.numbers);
    expect(aboutNumbers.map((check) => [check.id, check.numbers, check.ok])).toEqual([
      ['number', [first], true],
      ['number', [second], true],
      ['messaging-service', [second], true],
    ]);
    const named = await doctor(['--number', second]);
    expect(named.code).toBe(0);
    expect(named.report.numbers.map((n) => [n.phoneNumber, n.asked])).toEqual([
      [second, true],
      [first, false],
    ]);
  });

  it("B's Messaging Service stops deferring to it: doctor exits 1 and names B, not A", async () => {
    await client.messaging.v1.services(serviceSid).update({ useInboundWebhookOnNumber: false });
    await takeWrites(emulator);

    const { code, report } = await doctor();
    const lines = await doctorLines();

    expect(code).toBe(1);
    const failed = report.checks.filter((check) => !check.ok);
    expect(failed).toEqual([
      {
        id: 'messaging-service',
        subject: `Messaging Service "Second line" (${serviceSid}) of ${second}`,
        numbers: [second],
        ok: false,
        detail:
          "its incoming-message setting sends texts nowhere: it drops them (no incoming-message URL), not to the numbers' own SMS URLs",
        consequence: expect.stringContaining(`No Flex task will be created: texts to ${second} go nowhere`),
        fix: `npm run setup -- --number ${second}`,
      },
    ]);
    expect(lines.code).toBe(1);
    const failures = lines.stdout.split('\n').filter((line) => line.startsWith('✖'));
    expect(failures).toEqual([
      `✖ Messaging Service "Second line" (${serviceSid}) of ${second}: its incoming-message setting sends texts nowhere: it drops them (no incoming-message URL), not to the numbers' own SMS URLs`,
    ]);
    expect(lines.stdout).toContain(`    Fix: npm run setup -- --number ${second}`);
    expect(lines.stdout).toMatch(/\n1 of \d+ checks failed\./);
    // The doctor only reads.
    expect(await takeWrites(emulator)).toEqual([]);
  });

  it('setup for A reports the broken service and leaves it; setup --number B mends it', async () => {
    const json = await runCli('setup', ['--yes', '--json', '--domain', DOMAIN], env);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as SetupJson;
    expect(report.numbers.map((n) => [n.phoneNumber, n.asked])).toEqual([
      [first, true],
      [second, false],
    ]);
    const attention = report.steps.filter((step) => !['unchanged', 'changed', 'warning'].includes(step.outcome));
    expect(attention.map((step) => [step.id, step.outcome, step.changes])).toEqual([
      ['messaging-service', 'not-asked', []],
    ]);
    const lines = await runCli('setup', ['--yes', '--domain', DOMAIN], env);
    expect(lines.code).toBe(1);
    expect(lines.stdout).toContain(
      `: its incoming-message setting sends texts nowhere: it drops them (no incoming-message URL), not to the numbers' own SMS URLs; left as it is: setup was not asked to change ${second}`,
    );
    expect(lines.stdout).toContain(`    Fix: npm run setup -- --number ${second}`);
    expect(await takeWrites(emulator)).toEqual([]);
    expect((await client.messaging.v1.services(serviceSid).fetch()).useInboundWebhookOnNumber).toBe(false);

    const mend = await runCli('setup', ['--yes', '--domain', DOMAIN, '--number', second], env);
    expect(mend.code).toBe(0);
    expect(mend.stdout).toContain(`    UseInboundWebhookOnNumber: false → true`);
    expect((await doctor()).code).toBe(0);
  });

  it('with no number named, the ones pointing at the deployment are its numbers', async () => {
    const run = await runCli('doctor', ['--json', '--domain', DOMAIN], { ...env, TWILIO_PHONE_NUMBER: '' });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as DoctorJson).numbers).toEqual([
      { phoneNumber: first, asked: false, why: 'its SMS URL points at this deployment' },
      { phoneNumber: second, asked: false, why: 'its SMS URL points at this deployment' },
    ]);
    // And none pointing there: the account's numbers are listed, and doctor asks which ones contacts text.
    const elsewhere = await runCli('doctor', ['--domain', 'flex-sms-handoff-9999-dev.twil.io'], {
      ...env,
      TWILIO_PHONE_NUMBER: '',
    });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain(`✖ Twilio number: this account has 2 numbers: ${first}, ${second}`);
  });
});

describe('an account with more numbers than one page holds', () => {
  const filler = (i: number) => `+1415555${String(i).padStart(4, '0')}`;
  const LAST = '+442079460123';

  beforeAll(async () => {
    await resetEmulator(emulator);
    expect((await runCli('setup', ['--yes', '--json', '--domain', DOMAIN], env)).code).toBe(0);
    for (let i = 0; i < 1000; i += 1) await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: filler(i) });
    // The last number, on the second page: its own SMS URL is not set, its service sends its texts here.
    await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: LAST });
    await controlOk(emulator, 'POST', '/messaging-services', {
      friendlyName: 'West line',
      inboundRequestUrl: OURS,
      numbers: [LAST],
    });
  });

  it('finds the number whose Messaging Service sends texts here, reading the numbers a page at a time', async () => {
    await control(emulator, 'DELETE', '/requests');

    const { code, report } = await doctor();

    expect(code).toBe(0);
    expect(report.numbers.map((n) => [n.phoneNumber, n.why])).toEqual([
      [emulator.phoneNumber, 'TWILIO_PHONE_NUMBER'],
      [LAST, 'Messaging Service "West line" sends its texts to this deployment'],
    ]);
    const last = report.checks.filter((check) => check.numbers?.includes(LAST));
    expect(last.map((check) => [check.id, check.ok, check.detail])).toEqual([
      [
        'number',
        true,
        `texts go to ${OURS} through Messaging Service "West line" (its own SMS URL, not set, is not used)`,
      ],
      ['messaging-service', true, `sends texts to ${LAST} to ${OURS}`],
    ]);
    const { json: requests } = await control<{ method: string; path: string }[]>(emulator, 'GET', '/requests');
    const numberReads = requests.filter((r) => r.method === 'GET' && r.path.includes('/IncomingPhoneNumbers'));
    // 1,002 numbers: two pages of a list, never one read per number.
    expect(numberReads.map((r) => r.path)).toEqual([
      `/2010-04-01/Accounts/${emulator.account.sid}/IncomingPhoneNumbers.json`,
      `/2010-04-01/Accounts/${emulator.account.sid}/IncomingPhoneNumbers.json`,
    ]);
  });
});
