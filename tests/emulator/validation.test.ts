import { createTwilioClient } from '../../assets/twilio/gateway.private';
import { startEmulator, type RunningEmulator } from '../../emulator';
import type { Violation } from '../../emulator/store';
import { control, sdkClient, twilioRequest } from '../../emulator/testing';

let emulator: RunningEmulator;
let maps: string;

beforeAll(async () => {
  emulator = await startEmulator();
  maps = `/sync/v1/Services/${emulator.syncServiceSid}/Maps`;
});
afterAll(() => emulator.close());
beforeEach(() => control(emulator, 'DELETE', '/violations'));

async function violations(): Promise<Violation[]> {
  return (await control<Violation[]>(emulator, 'GET', '/violations')).json;
}

async function expectTwilioError(response: Response, status: number, code: number) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body).toEqual({
    code,
    message: expect.any(String),
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });
  return body as { message: string };
}

describe('requests checked against Twilio OpenAPI specs', () => {
  it('answers 404/20404 to a path the spec does not have, and records it', async () => {
    await expectTwilioError(await twilioRequest(emulator, 'GET', '/sync/v1/Nope'), 404, 20404);
    await expectTwilioError(await twilioRequest(emulator, 'GET', '/nowhere/v1/Things'), 404, 20404);
    expect(await violations()).toEqual([
      { method: 'GET', url: '/sync/v1/Nope', problems: ["https://sync.twilio.com/v1/Nope is not in Twilio's API"] },
      { method: 'GET', url: '/nowhere/v1/Things', problems: [expect.stringContaining('not in Twilio')] },
    ]);
  });

  it('answers 405/20004 to a method the path does not take', async () => {
    await expectTwilioError(await twilioRequest(emulator, 'DELETE', '/sync/v1/Services'), 405, 20004);
    expect((await violations())[0].problems).toEqual(['DELETE is not allowed on https://sync.twilio.com/v1/Services']);
  });

  it('rejects an undeclared parameter', async () => {
    const response = await twilioRequest(emulator, 'POST', maps, { UniqueName: 'x', Colour: 'blue' });
    const { message } = await expectTwilioError(response, 400, 20001);
    expect(message).toContain('form parameter Colour is not declared');
    expect(await violations()).toEqual([
      { method: 'POST', url: maps, problems: ['form parameter Colour is not declared'] },
    ]);
  });

  it('rejects a missing required parameter', async () => {
    const map = (await (await twilioRequest(emulator, 'POST', maps, {})).json()) as { sid: string };
    const response = await twilioRequest(emulator, 'POST', `${maps}/${map.sid}/Items`, { Key: 'k' });
    await expectTwilioError(response, 400, 20001);
    expect((await violations()).at(-1)?.problems).toEqual(['missing required form parameter Data']);
  });

  it('rejects an invalid enum value and an unparseable integer', async () => {
    const map = (await (await twilioRequest(emulator, 'POST', maps, {})).json()) as { sid: string };
    await expectTwilioError(
      await twilioRequest(emulator, 'GET', `${maps}/${map.sid}/Items?Order=sideways`),
      400,
      20001,
    );
    await expectTwilioError(await twilioRequest(emulator, 'POST', maps, { Ttl: 'soon' }), 400, 20001);
    expect((await violations()).map((v) => v.problems)).toEqual([
      ['query parameter Order must be equal to one of the allowed values (asc, desc)'],
      ['form parameter Ttl is not an integer: "soon"'],
    ]);
  });

  it('rejects Data that is not JSON with Sync own code 54008', async () => {
    const map = (await (await twilioRequest(emulator, 'POST', maps, {})).json()) as { sid: string };
    const response = await twilioRequest(emulator, 'POST', `${maps}/${map.sid}/Items`, { Key: 'k', Data: '{oops' });
    await expectTwilioError(response, 400, 54008);
    expect((await violations()).at(-1)?.problems).toEqual(['form parameter Data is not valid JSON']);
  });

  it('rejects a repeated parameter that is not an array, and a bad boolean', async () => {
    await expectTwilioError(await twilioRequest(emulator, 'POST', maps, { UniqueName: ['a', 'b'] }), 400, 20001);
    await expectTwilioError(
      await twilioRequest(emulator, 'POST', '/sync/v1/Services', { AclEnabled: 'yes' }),
      400,
      20001,
    );
    expect((await violations()).map((v) => v.problems)).toEqual([
      ['form parameter UniqueName is repeated but is not an array'],
      ['form parameter AclEnabled is not a boolean (true or false): "yes"'],
    ]);
  });

  it('accepts a repeated array parameter (MediaUrl)', async () => {
    const path = `/api/2010-04-01/Accounts/${emulator.account.sid}/Messages.json`;
    const response = await twilioRequest(emulator, 'POST', path, {
      To: '+14155550100',
      From: emulator.phoneNumber,
      MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ num_media: '2' });
    expect(await violations()).toEqual([]);
  });

  it('answers a spec operation the emulator does not implement with 404, without a violation', async () => {
    const response = await twilioRequest(emulator, 'GET', `/sync/v1/Services/${emulator.syncServiceSid}/Documents`);
    const { message } = await expectTwilioError(response, 404, 20404);
    expect(message).toMatch(/not emulated/);
    expect(await violations()).toEqual([]);
  });

  it('sees no violations from the SDK itself', async () => {
    const client = sdkClient(emulator);
    const map = await client.sync.v1.services(emulator.syncServiceSid).syncMaps.create({ ttl: 60 });
    await map.syncMapItems().create({ key: 'a', data: { nested: [1, { b: true }] }, itemTtl: 30 });
    await map.syncMapItems().list({ order: 'desc', from: 'a', bounds: 'exclusive' });
    await client.messages.list({ to: '+14155550100', dateSentAfter: new Date(0), limit: 2 });
    expect(await violations()).toEqual([]);
  });
});

describe('auth', () => {
  it('answers 401/20003 without or with wrong credentials', async () => {
    const response = await fetch(`${emulator.url}/sync/v1/Services`);
    await expectTwilioError(response, 401, 20003);
    const wrong = await twilioRequest(emulator, 'GET', '/sync/v1/Services', undefined, `${emulator.account.sid}:nope`);
    await expectTwilioError(wrong, 401, 20003);
  });

  it('surfaces 401 to the SDK as a RestException', async () => {
    const client = createTwilioClient({
      ACCOUNT_SID: emulator.account.sid,
      AUTH_TOKEN: 'wrong-token',
      TWILIO_API_BASE_URL: emulator.url,
    });
    await expect(client.sync.v1.services.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('answers 404 for another account in the path', async () => {
    const other = `/api/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json`;
    await expectTwilioError(await twilioRequest(emulator, 'GET', other), 404, 20404);
  });
});
