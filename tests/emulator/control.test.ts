import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { startEmulator, type RunningEmulator } from '../../emulator';
import type { RequestLogEntry, WebhookLogEntry } from '../../emulator/store';
import { control, sdkClient, sdkClientWithoutRetry } from '../../emulator/testing';

let emulator: RunningEmulator;
let client: TwilioClient;
let app: Server;

beforeAll(async () => {
  app = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<Response/>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  emulator = await startEmulator({ smsUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/sms` });
  client = sdkClient(emulator);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});
afterEach(() => control(emulator, 'POST', '/reset'));

const services = () => client.sync.v1.services;

describe('/__emulator/account', () => {
  it('describes the seeded account, number, Sync and Conversations services, and Flex workspace', async () => {
    expect((await control(emulator, 'GET', '/account')).json).toEqual({
      url: emulator.url,
      accountSid: emulator.account.sid,
      phoneNumber: '+15005550006',
      syncServiceSid: emulator.syncServiceSid,
      conversationsServiceSid: emulator.conversationsServiceSid,
      workspaceSid: emulator.workspaceSid,
      workflowSid: emulator.workflowSid,
      taskQueueSid: emulator.taskQueueSid,
      workerSid: emulator.workerSid,
    });
  });
});

describe('/__emulator/requests', () => {
  it('logs every Twilio API call with its outcome, and clears', async () => {
    await services()(emulator.syncServiceSid).fetch();
    await services()(`IS${'0'.repeat(32)}`)
      .fetch()
      .catch(() => undefined);
    const { json } = await control<RequestLogEntry[]>(emulator, 'GET', '/requests');
    expect(json).toEqual([
      {
        method: 'GET',
        sub: 'sync',
        path: `/v1/Services/${emulator.syncServiceSid}`,
        status: 200,
        durationMs: expect.any(Number),
        at: expect.any(String),
      },
      expect.objectContaining({ status: 404, code: 20404 }),
    ]);
    await control(emulator, 'DELETE', '/requests');
    expect((await control(emulator, 'GET', '/requests')).json).toEqual([]);
  });
});

describe('/__emulator/faults', () => {
  it('fails the matching requests the given number of times, then lets them through', async () => {
    await control(emulator, 'POST', '/faults', { path: '^/sync/v1/Services$', status: 503, code: 20503, times: 2 });
    const list = () => sdkClientWithoutRetry(emulator).sync.v1.services.list();
    await expect(list()).rejects.toMatchObject({ status: 503, code: 20503, message: expect.stringContaining('20503') });
    await expect(list()).rejects.toMatchObject({ status: 503 });
    await expect(list()).resolves.toEqual(expect.any(Array));
  });

  it('matches the method, and with times 0 lasts until cleared', async () => {
    await control(emulator, 'POST', '/faults', {
      method: 'POST',
      path: '/Maps$',
      status: 500,
      code: 20500,
      message: 'down',
      times: 0,
    });
    const maps = services()(emulator.syncServiceSid).syncMaps;
    await maps.list();
    for (let i = 0; i < 3; i++) await expect(maps.create()).rejects.toMatchObject({ status: 500, message: 'down' });
    await control(emulator, 'DELETE', '/faults');
    await maps.create();
  });

  it('hits the Nth matching request with `after`, and reports its hits', async () => {
    await control(emulator, 'POST', '/faults', { path: '^/sync/v1/Services$', status: 500, code: 20500, after: 1 });
    const list = () => sdkClientWithoutRetry(emulator).sync.v1.services.list();
    await expect(list()).resolves.toEqual(expect.any(Array));
    expect((await control(emulator, 'GET', '/faults')).json).toEqual([expect.objectContaining({ after: 1, hits: 0 })]);
    await expect(list()).rejects.toMatchObject({ status: 500 });
    expect((await control(emulator, 'GET', '/faults')).json).toEqual([]);
    await expect(list()).resolves.toEqual(expect.any(Array));
  });

  it('holds a request for delayMs, then serves it when the fault has no status', async () => {
    await control(emulator, 'POST', '/faults', { path: '^/sync/v1/Services$', delayMs: 300 });
    const started = Date.now();
    await expect(sdkClientWithoutRetry(emulator).sync.v1.services.list()).resolves.toEqual(expect.any(Array));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('lets the project client retry an injected 429', async () => {
    await control(emulator, 'POST', '/faults', { path: '/Items$', status: 429, code: 54009 });
    const map = await services()(emulator.syncServiceSid).syncMaps.create();
    await expect(map.syncMapItems().create({ key: 'k', data: {} })).resolves.toMatchObject({ key: 'k' });
    const { json } = await control<RequestLogEntry[]>(emulator, 'GET', '/requests');
    expect(json.filter((r) => r.path.endsWith('/Items')).map((r) => r.status)).toEqual([429, 201]);
  });

  it('refuses a fault that is not well formed', async () => {
    expect(await control(emulator, 'POST', '/faults', { path: '(', status: 500, code: 1 })).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('regular expression') },
    });
  });
});

describe('/__emulator/latency', () => {
  async function timed(call: () => Promise<unknown>): Promise<number> {
    const started = Date.now();
    await call();
    return Date.now() - started;
  }

  it('delays every Twilio API call, or only the calls to one path', async () => {
    const fetchService = () => services()(emulator.syncServiceSid).fetch();
    await control(emulator, 'POST', '/latency', { ms: 300 });
    expect(await timed(fetchService)).toBeGreaterThanOrEqual(300);
    expect(await timed(() => control(emulator, 'GET', '/account'))).toBeLessThan(300);

    await control(emulator, 'POST', '/latency', { ms: 0 });
    await control(emulator, 'POST', '/latency', { ms: 300, path: '/Maps' });
    expect(await timed(fetchService)).toBeLessThan(300);
    expect(await timed(() => services()(emulator.syncServiceSid).syncMaps.list())).toBeGreaterThanOrEqual(300);
    await control(emulator, 'POST', '/latency', { ms: 0, path: '/Maps' });
  });
});

describe('/__emulator/reset', () => {
  it('forgets resources, logs, faults and violations, keeping the seeded ones', async () => {
    const map = await services()(emulator.syncServiceSid).syncMaps.create({ uniqueName: 'gone' });
    await client.messages.create({ to: '+14155550100', from: emulator.phoneNumber, body: 'hi' });
    await control(emulator, 'POST', '/faults', { path: '/nothing', status: 500, code: 20500 });
    await fetch(`${emulator.url}/sync/v1/Bogus`);
    await control(emulator, 'POST', '/reset');

    await expect(services()(emulator.syncServiceSid).syncMaps(map.sid).fetch()).rejects.toMatchObject({ status: 404 });
    expect(await client.messages.list()).toEqual([]);
    expect((await client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber)).toEqual([emulator.phoneNumber]);
    expect((await control(emulator, 'GET', '/violations')).json).toEqual([]);
    await services()(emulator.syncServiceSid).syncMaps.create({ uniqueName: 'gone' });
  });
});

describe('/__emulator/webhooks', () => {
  it('records each webhook delivery with its parameters and timing', async () => {
    await control(emulator, 'POST', '/sms', { from: '+14155550100', body: 'hi' });
    const { json } = await control<WebhookLogEntry[]>(emulator, 'GET', '/webhooks');
    expect(json).toEqual([
      {
        product: 'messaging',
        url: expect.stringMatching(/\/sms$/),
        params: expect.objectContaining({ From: '+14155550100', Body: 'hi' }),
        status: 200,
        durationMs: expect.any(Number),
        at: expect.any(String),
      },
    ]);
  });
});

it('answers unknown control routes with 404 and bad JSON with 400', async () => {
  expect((await control(emulator, 'GET', '/nothing')).status).toBe(404);
  const response = await fetch(`${emulator.url}/__emulator/latency`, { method: 'POST', body: '{' });
  expect(response.status).toBe(400);
});

describe('/__emulator/hosts and /__emulator/shapes', () => {
  it("delivers a served host's webhooks to its local URL, logged under the URL Twilio was given", async () => {
    const port = (app.address() as AddressInfo).port;
    await control(emulator, 'POST', '/phone-number', { smsUrl: 'https://flex-sms-handoff-1234-dev.twil.io/sms' });
    expect((await control(emulator, 'POST', '/hosts', { host: 'not a host', url: 'x' })).status).toBe(400);
    await control(emulator, 'POST', '/hosts', {
      host: 'flex-sms-handoff-1234-dev.twil.io',
      url: `http://127.0.0.1:${port}`,
    });
    try {
      const sms = await control<{ status: number }>(emulator, 'POST', '/sms', { from: '+14155550100', body: 'hi' });
      expect(sms.json.status).toBe(200); // reached the local app
      const [logged] = (await control<WebhookLogEntry[]>(emulator, 'GET', '/webhooks')).json;
      expect(logged.url).toBe('https://flex-sms-handoff-1234-dev.twil.io/sms'); // logged as Twilio was told
    } finally {
      await control(emulator, 'DELETE', '/hosts');
    }
    expect((await control(emulator, 'GET', '/hosts')).json).toEqual([]);
  });

  it('lists the shapes, makes one from a new Flex account, and names the shapes for an unknown one', async () => {
    const { json: shapes } = await control<{ name: string }[]>(emulator, 'GET', '/shapes');
    expect(shapes.map((shape) => shape.name)).toEqual([
      'messaging-service',
      'flex-address',
      'other-integrations',
      'us-long-code',
      'two-numbers',
    ]);
    const made = await control<{ numbers: string[] }>(emulator, 'POST', '/shapes/two-numbers');
    expect(made).toMatchObject({ status: 201, json: { numbers: ['+15005550006', '+15005550009'] } });
    const numbers = await client.incomingPhoneNumbers.list();
    expect(numbers.map((number) => [number.phoneNumber, number.smsUrl])).toEqual([
      ['+15005550006', ''],
      ['+15005550009', null],
    ]);
    const unknown = await control<{ error: string }>(emulator, 'POST', '/shapes/fresh');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toContain('the shapes are messaging-service, flex-address');
  });
});
