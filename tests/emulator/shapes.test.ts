import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { findOperation, responseSchema } from '../../emulator/specs';
import { control, twilioRequest } from '../../emulator/testing';
import { createAjv } from '../../emulator/validation';

const ajv = createAjv();
let emulator: RunningEmulator;
let app: Server;

beforeAll(async () => {
  app = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<Response/>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  emulator = await startEmulator({ smsUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/sms` });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON navigated freely in assertions
type Json = Record<string, any>;

/** Calls the emulator and checks the JSON against the spec's response schema, every property required. */
async function specShaped(method: string, path: string, form?: Record<string, string>): Promise<Json> {
  const response = await twilioRequest(emulator, method, path, form);
  expect(response.status).toBeLessThan(300);
  const body = (await response.json()) as Json;
  const [, sub, ...rest] = path.split('?')[0].split('/');
  const match = findOperation(sub, method, `/${rest.join('/')}`);
  if (match.kind !== 'found') throw new Error(`${method} ${path} is not in the spec`);
  const validate = ajv.compile(responseSchema(match.handler, response.status) ?? {});
  validate(body);
  expect({ path, errors: validate.errors ?? [] }).toEqual({ path, errors: [] });
  return body;
}

describe('responses have the shapes of the spec response schemas', () => {
  it('Sync services, maps and items, and their lists', async () => {
    const services = '/sync/v1/Services';
    const service = await specShaped('POST', services, { FriendlyName: 'shapes' });
    expect(service.url).toBe(`https://sync.twilio.com/v1/Services/${service.sid}`);
    expect(service.links.maps).toBe(`${service.url}/Maps`);
    await specShaped('GET', services);
    await specShaped('GET', `${services}/${service.sid}`);

    const maps = `${services}/${service.sid}/Maps`;
    const map = await specShaped('POST', maps, { UniqueName: 'shapes', Ttl: '60' });
    expect(map.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await specShaped('POST', `${maps}/shapes`, { CollectionTtl: '120' });
    await specShaped('GET', `${maps}/${map.sid}`);
    const list = await specShaped('GET', `${maps}?PageSize=1`);
    expect(list.meta).toMatchObject({ key: 'maps', page: 0, page_size: 1, next_page_url: null });

    const items = `${maps}/${map.sid}/Items`;
    const item = await specShaped('POST', items, { Key: 'k 1', Data: '{"a":[1]}', ItemTtl: '30' });
    expect(item.url).toBe(`${map.url}/Items/k%201`);
    await specShaped('POST', `${items}/k%201`, { Data: '{"a":[2]}' });
    await specShaped('POST', items, { Key: 'k2', Data: '{}' });
    await specShaped('GET', `${items}/k2`);
    const page = await specShaped('GET', `${items}?PageSize=1&Order=desc`);
    expect(page.meta.next_page_url).toMatch(/^https:\/\/sync\.twilio\.com\/.*PageToken=/);
    await specShaped('GET', page.meta.next_page_url.replace('https://sync.twilio.com', '/sync'));
  });

  it('Messages, Media and IncomingPhoneNumbers on API v2010', async () => {
    const account = `/api/2010-04-01/Accounts/${emulator.account.sid}`;
    const sent = await specShaped('POST', `${account}/Messages.json`, {
      To: '+14155550100',
      From: emulator.phoneNumber,
      Body: 'Hi',
    });
    expect(sent.date_created).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    await specShaped('GET', `${account}/Messages/${sent.sid}.json`);

    const png = Buffer.from('89504e47', 'hex').toString('base64');
    const { json } = await control<{ messageSid: string }>(emulator, 'POST', '/sms', {
      from: '+14155550100',
      media: [{ contentType: 'image/png', base64: png }],
    });
    const media = await specShaped('GET', `${account}/Messages/${json.messageSid}/Media.json`);
    expect(media.media_list).toHaveLength(1);
    await specShaped('GET', `${account}/Messages/${json.messageSid}/Media/${media.media_list[0].sid}.json`);
    const messages = await specShaped('GET', `${account}/Messages.json?PageSize=1`);
    expect(messages).toMatchObject({
      start: 0,
      end: 0,
      page_size: 1,
      next_page_uri: expect.stringMatching(/^\/2010-04-01\//),
    });

    const numbers = await specShaped(
      'GET',
      `${account}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(emulator.phoneNumber)}`,
    );
    const number = numbers.incoming_phone_numbers[0];
    await specShaped('GET', `${account}/IncomingPhoneNumbers/${number.sid}.json`);
    await specShaped('POST', `${account}/IncomingPhoneNumbers/${number.sid}.json`, { SmsMethod: 'GET' });
  });
});
