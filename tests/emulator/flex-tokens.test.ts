/**
 * Flex user tokens: the emulator issues them for its workers and answers the request Twilio's
 * `twilio-flex-token-validator` sends (POST iam.twilio.com/v1/Accounts/{AccountSid}/Tokens/validate, JSON
 * `{token}`, the account's basic auth) as that package reads it.
 */
import type { RunningEmulator } from '../../emulator';
import { controlOk, FakeClock, startEmulatorWithClock } from '../../emulator/testing';

const clock = new FakeClock();
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulatorWithClock(clock);
});
afterAll(() => emulator.close());

interface Issued {
  token: string;
  identity: string;
  workerSid: string;
  expiration: string;
}

const issue = (body: object = {}) => controlOk<Issued>(emulator, 'POST', '/flex/tokens', body);

/** Exactly the package's request (its headers and body), sent to the emulator's iam host. */
async function validate(token: string, accountSid = emulator.account.sid, authToken = emulator.account.authToken) {
  const body = JSON.stringify({ token });
  const response = await fetch(`${emulator.url}/iam/v1/Accounts/${accountSid}/Tokens/validate`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
      'Cache-Control': 'no-cache',
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

test("a token issued for Alice Rep validates with her identity, worker and roles, as the package's README shows", async () => {
  const issued = await issue();
  expect(issued).toMatchObject({ identity: 'alice_rep', workerSid: emulator.workerSid });
  const { status, json } = await validate(issued.token);
  expect(status).toBe(200);
  expect(json).toEqual({
    valid: true,
    code: 0,
    message: null,
    expiration: issued.expiration,
    realm_user_id: 'alice@example.com',
    identity: 'alice_rep',
    roles: ['agent'],
    worker_sid: emulator.workerSid,
  });
});

test('another rep added to the workspace gets a token of their own', async () => {
  const bob = await controlOk<{ workerSid: string }>(emulator, 'POST', '/flex/workers', {
    friendlyName: 'Bob Rep',
    identity: 'bob_rep',
  });
  const { json } = await validate((await issue({ workerSid: bob.workerSid })).token);
  expect(json).toMatchObject({ valid: true, identity: 'bob_rep', worker_sid: bob.workerSid });
});

test('a token past its expiry is refused with 20104', async () => {
  const { token } = await issue({ ttlSeconds: 60 });
  expect((await validate(token)).json.valid).toBe(true);
  clock.advance(61_000);
  expect((await validate(token)).json).toMatchObject({ valid: false, code: 20104 });
});

test('a forged or altered token is refused with 20101, a token of another account with 20103', async () => {
  const { token } = await issue();
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const raised = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
  for (const forged of [`${header}.${raised}.${signature}`, 'not-a-token', `${token}x`, '']) {
    expect((await validate(forged)).json).toMatchObject({ valid: false, code: 20101, identity: null });
  }
  const other = await issue({ accountSid: `AC${'0'.repeat(32)}` });
  expect((await validate(other.token)).json).toMatchObject({ valid: false, code: 20103 });
});

test('the validation needs the account basic auth, and the account in the path must be it', async () => {
  const { token } = await issue();
  expect((await validate(token, emulator.account.sid, 'wrong')).status).toBe(401);
  const otherAccount = `AC${'1'.repeat(32)}`;
  const response = await fetch(`${emulator.url}/iam/v1/Accounts/${otherAccount}/Tokens/validate`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${emulator.account.sid}:${emulator.account.authToken}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ token }),
  });
  expect(response.status).toBe(404);
});

test('a token for a worker the workspace does not have is not issued', async () => {
  const answer = await fetch(`${emulator.url}/__emulator/flex/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ workerSid: `WK${'2'.repeat(32)}` }),
  });
  expect(answer.status).toBe(404);
});
