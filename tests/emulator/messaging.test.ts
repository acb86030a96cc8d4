import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { control, sdkClient } from '../../emulator/testing';

interface Delivery {
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  signatureValid: boolean;
}

interface SmsAnswer {
  messageSid: string;
  status: number;
  contentType: string;
  body: string;
  replies: string[];
  twimlError?: string;
}

interface Outbound {
  sid: string;
  from: string;
  to: string;
  body: string;
  media: string[];
  status: string;
  errorCode: number | null;
  source: 'twiml' | 'api';
}

let emulator: RunningEmulator;
let client: TwilioClient;
let app: Server;
let appUrl: string;
const deliveries: Delivery[] = [];
/** What the tiny app answers to the next webhooks: [status, content type, body]. */
let answer: [number, string, string];

beforeAll(async () => {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      const signatureValid = twilio.validateRequest(emulator.account.authToken, signature, appUrl, params);
      deliveries.push({ params, headers: req.headers, signatureValid });
      res.writeHead(answer[0], { 'Content-Type': answer[1] }).end(answer[2]);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/sms`;
  emulator = await startEmulator({ smsUrl: appUrl });
  client = sdkClient(emulator);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});
beforeEach(() => {
  deliveries.length = 0;
  answer = [200, 'text/xml', '<?xml version="1.0" encoding="UTF-8"?><Response/>'];
});

let contactCounter = 0;
const newContact = () => `+1415555${String(++contactCounter).padStart(4, '0')}`;

async function sms(input: Record<string, unknown>): Promise<SmsAnswer> {
  const { status, json } = await control<SmsAnswer>(emulator, 'POST', '/sms', input);
  expect(status).toBe(200);
  return json;
}

async function outbound(to: string): Promise<Outbound[]> {
  return (await control<Outbound[]>(emulator, 'GET', `/outbound?to=${encodeURIComponent(to)}`)).json;
}

const twiml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

describe('outbound messages through the API', () => {
  it('sends, fetches and lists messages', async () => {
    const to = newContact();
    const sent = await client.messages.create({ to, from: emulator.phoneNumber, body: 'Hello there' });
    expect(sent).toMatchObject({
      to,
      from: emulator.phoneNumber,
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
    });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await client.messages(sent.sid).fetch()).status).toBe('sent');
    await client.messages.create({ to, from: emulator.phoneNumber, body: 'Second' });
    const listed = await client.messages.list({ to, pageSize: 1 });
    expect(listed.map((m) => m.body)).toEqual(['Second', 'Hello there']);
    expect(await outbound(to)).toEqual([
      expect.objectContaining({ body: 'Hello there', status: 'sent', errorCode: null, source: 'api' }),
      expect.objectContaining({ body: 'Second', source: 'api' }),
    ]);
  });

  it('refuses bodies over 1600 characters (21617) and senders that are not the account numbers (21606)', async () => {
    const to = newContact();
    await expect(
      client.messages.create({ to, from: emulator.phoneNumber, body: 'x'.repeat(1601) }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21617,
    });
    await expect(client.messages.create({ to, from: '+14155550199', body: 'hi' })).rejects.toMatchObject({
      code: 21606,
    });
    expect((await client.messages.create({ to, messagingServiceSid: `MG${'1'.repeat(32)}`, body: 'hi' })).from).toBe(
      emulator.phoneNumber,
    );
  });

  it('refuses to text a contact who opted out (21610) until they opt back in', async () => {
    const contact = newContact();
    await sms({ from: contact, body: '  stop ' });
    await expect(
      client.messages.create({ to: contact, from: emulator.phoneNumber, body: 'Deal!' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21610,
    });
    await sms({ from: contact, body: 'START' });
    await client.messages.create({ to: contact, from: emulator.phoneNumber, body: 'Welcome back' });
  });
});

describe('IncomingPhoneNumbers', () => {
  it('lists the provisioned number by PhoneNumber, fetches and updates it', async () => {
    const [number] = await client.incomingPhoneNumbers.list({ phoneNumber: emulator.phoneNumber });
    expect(number).toMatchObject({ phoneNumber: emulator.phoneNumber, smsUrl: appUrl, smsMethod: 'POST' });
    expect(number.sid).toMatch(/^PN[0-9a-f]{32}$/);
    const updated = await client
      .incomingPhoneNumbers(number.sid)
      .update({ smsUrl: 'https://example.com/sms', friendlyName: 'Support' });
    expect(updated).toMatchObject({ smsUrl: 'https://example.com/sms', friendlyName: 'Support' });
    const viaControl = await control<{ sms_url: string }>(emulator, 'POST', '/phone-number', { smsUrl: appUrl });
    expect(viaControl.json.sms_url).toBe(appUrl);
    expect((await client.incomingPhoneNumbers(number.sid).fetch()).smsUrl).toBe(appUrl);
  });
});

describe('inbound SMS played through the control API', () => {
  it('posts the signed webhook exactly as Twilio and sends the TwiML reply back', async () => {
    answer = [200, 'text/xml', twiml('<Message>Hi! How can I help?</Message>')];
    const contact = newContact();
    const result = await sms({ from: contact, body: 'Hello' });

    expect(result).toEqual({
      messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: 200,
      contentType: 'text/xml',
      body: answer[2],
      replies: ['Hi! How can I help?'],
    });
    const [delivery] = deliveries;
    expect(delivery.signatureValid).toBe(true);
    expect(delivery.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(delivery.headers['user-agent']).toBe('TwilioProxy/1.1');
    expect(delivery.headers['i-twilio-idempotency-token']).toEqual(expect.any(String));
    expect(delivery.params).toEqual({
      ToCountry: 'US',
      ToState: '',
      SmsMessageSid: result.messageSid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: result.messageSid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: 'Hello',
      FromCountry: 'US',
      To: emulator.phoneNumber,
      ToZip: '',
      NumSegments: '1',
      MessageSid: result.messageSid,
      AccountSid: emulator.account.sid,
      From: contact,
      ApiVersion: '2010-04-01',
    });
    expect(await outbound(contact)).toEqual([
      {
        sid: expect.any(String),
        from: emulator.phoneNumber,
        to: contact,
        body: 'Hi! How can I help?',
        media: [],
        status: 'sent',
        errorCode: null,
        source: 'twiml',
      },
    ]);
    const inbound = await client.messages(result.messageSid).fetch();
    expect(inbound).toMatchObject({ direction: 'inbound', status: 'received', from: contact, body: 'Hello' });
  });

  it('stores MMS media that downloads with basic auth from MediaUrl{N}', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const result = await sms({
      from: newContact(),
      body: '',
      media: [{ contentType: 'image/png', base64: png.toString('base64') }],
    });
    expect(result.messageSid).toMatch(/^MM/);
    const { params } = deliveries[0];
    expect(params).toMatchObject({ NumMedia: '1', MediaContentType0: 'image/png' });
    expect(params.MediaUrl0).toMatch(
      new RegExp(
        `^https://api\\.twilio\\.com/2010-04-01/Accounts/${emulator.account.sid}/Messages/${result.messageSid}/Media/ME[0-9a-f]{32}$`,
      ),
    );

    const local = params.MediaUrl0.replace('https://api.twilio.com', `${emulator.url}/api`);
    const auth = `Basic ${Buffer.from(`${emulator.account.sid}:${emulator.account.authToken}`).toString('base64')}`;
    const download = await fetch(local, { headers: { Authorization: auth } });
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(png);
    expect((await fetch(local)).status).toBe(401);

    const media = await client.messages(result.messageSid).media.list();
    expect(media.map((m) => [m.contentType, m.parentSid])).toEqual([['image/png', result.messageSid]]);
    expect((await client.messages(result.messageSid).media(media[0].sid).fetch()).sid).toBe(media[0].sid);
  });

  it('reads <Body> and <Media> nouns and several messages', async () => {
    answer = [
      200,
      'text/xml',
      twiml(
        '<Message><Body>See attached</Body><Media>https://example.com/a.png</Media></Message><Message>And 42</Message>',
      ),
    ];
    const contact = newContact();
    expect((await sms({ from: contact, body: 'pics?' })).replies).toEqual(['See attached', 'And 42']);
    expect((await outbound(contact)).map((m) => [m.body, m.media])).toEqual([
      ['See attached', ['https://example.com/a.png']],
      ['And 42', []],
    ]);
  });

  it('sends nothing for an empty Response, an error status or TwiML that does not parse', async () => {
    const contact = newContact();
    expect((await sms({ from: contact, body: 'a' })).replies).toEqual([]);
    answer = [500, 'text/plain', 'boom'];
    expect(await sms({ from: contact, body: 'b' })).toMatchObject({ status: 500, body: 'boom', replies: [] });
    answer = [200, 'text/xml', '<Response><Message>unclosed</Response>'];
    expect((await sms({ from: contact, body: 'c' })).twimlError).toMatch(/does not parse/);
    expect(await outbound(contact)).toEqual([]);
  });

  it('still delivers STOP to the app, and drops its replies to an opted-out contact with 21610', async () => {
    answer = [200, 'text/xml', twiml('<Message>Sorry to see you go</Message>')];
    const contact = newContact();
    const result = await sms({ from: contact, body: 'STOP', optOutType: 'STOP' });
    expect(deliveries[0].params).toMatchObject({ Body: 'STOP', OptOutType: 'STOP' });
    expect(result.replies).toEqual(['Sorry to see you go']);
    expect(await outbound(contact)).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 21610, source: 'twiml' }),
    ]);
  });

  it('re-delivers a known MessageSid with the same message and idempotency token', async () => {
    const contact = newContact();
    const first = await sms({ from: contact, body: 'once' });
    const again = await sms({ from: contact, body: 'once', messageSid: first.messageSid });
    expect(again.messageSid).toBe(first.messageSid);
    expect(deliveries[1].params.MessageSid).toBe(first.messageSid);
    expect(deliveries[1].headers['i-twilio-idempotency-token']).toBe(
      deliveries[0].headers['i-twilio-idempotency-token'],
    );
    expect(await client.messages.list({ from: contact })).toHaveLength(1);
  });

  it('signs wrongly or not at all on request, and lets tests bend the parameters', async () => {
    await sms({ from: newContact(), body: 'x', signature: 'invalid' });
    await sms({ from: newContact(), body: 'x', signature: 'none' });
    await sms({
      from: newContact(),
      body: 'x',
      extraParams: { NumMedia: 'many', Extra: '1' },
      omitParams: ['From'],
      accountSid: 'ACother',
    });
    expect(deliveries[0].signatureValid).toBe(false);
    expect(deliveries[1].headers['x-twilio-signature']).toBeUndefined();
    expect(deliveries[2].signatureValid).toBe(true);
    expect(deliveries[2].params).toMatchObject({ NumMedia: 'many', Extra: '1', AccountSid: 'ACother' });
    expect(deliveries[2].params.From).toBeUndefined();
  });

  it('answers control errors as JSON', async () => {
    expect(await control(emulator, 'POST', '/sms', { body: 'no sender' })).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('from') },
    });
    expect(await control(emulator, 'POST', '/sms', { from: newContact(), to: '+19999999999' })).toMatchObject({
      status: 404,
    });
  });
});
