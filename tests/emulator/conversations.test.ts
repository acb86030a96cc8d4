import type { TwilioClient } from '../../assets/twilio/gateway.private';
import type { RunningEmulator } from '../../emulator';
import { control, FakeClock, sdkClient, startEmulatorWithClock } from '../../emulator/testing';
import { WebhookReceiver } from './webhook-receiver';

interface Outbound {
  from: string;
  to: string;
  body: string;
  media: string[];
  source: string;
}

const clock = new FakeClock();
let emulator: RunningEmulator;
let client: TwilioClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  emulator = await startEmulatorWithClock(clock, {
    smsUrl: `${receiver.url}/sms`,
    conversationsWebhookUrl: `${receiver.url}/conversations`,
  });
  receiver.authToken = emulator.account.authToken;
  client = sdkClient(emulator);
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => receiver.clear());

const conversations = () => client.conversations.v1.services(emulator.conversationsServiceSid).conversations;
let counter = 0;
const newContact = () => `+1415556${String(++counter).padStart(4, '0')}`;
const newName = () => `conversation-${++counter}`;
const idle = () => control(emulator, 'GET', '/idle');
/** The post-event webhooks about one conversation (timers elsewhere may fire too). */
const eventsOf = (conversationSid: string) =>
  receiver.at('/conversations').filter((d) => d.params.ConversationSid === conversationSid);

async function outbound(to: string): Promise<Outbound[]> {
  return (await control<Outbound[]>(emulator, 'GET', `/outbound?to=${encodeURIComponent(to)}`)).json;
}

async function withContact(contact: string) {
  const conversation = await conversations().create({ uniqueName: newName() });
  await conversations()(conversation.sid).participants.create({
    'messagingBinding.address': contact,
    'messagingBinding.proxyAddress': emulator.phoneNumber,
  });
  return conversation;
}

describe('Conversations', () => {
  it('creates, fetches by SID or unique name, lists, updates and deletes', async () => {
    const uniqueName = newName();
    const created = await conversations().create({
      uniqueName,
      friendlyName: '+14155550100',
      attributes: JSON.stringify({ contact: '+14155550100' }),
      'timers.inactive': 'PT5M',
      'timers.closed': 'PT1H',
    });
    expect(created).toMatchObject({
      chatServiceSid: emulator.conversationsServiceSid,
      uniqueName,
      state: 'active',
      attributes: '{"contact":"+14155550100"}',
      timers: { date_inactive: '2025-01-01T00:05:00Z', date_closed: '2025-01-01T01:00:00Z' },
    });
    expect(created.sid).toMatch(/^CH[0-9a-f]{32}$/);
    expect((await conversations()(uniqueName).fetch()).sid).toBe(created.sid);
    expect((await conversations().list()).map((c) => c.sid)).toContain(created.sid);
    expect((await conversations()(uniqueName).update({ friendlyName: 'Renamed' })).friendlyName).toBe('Renamed');
    await conversations()(created.sid).remove();
    await expect(conversations()(uniqueName).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('answers 50353 for a unique name the service already has, even a closed one', async () => {
    const uniqueName = newName();
    const first = await conversations().create({ uniqueName });
    await conversations()(first.sid).update({ state: 'closed' });
    await expect(conversations().create({ uniqueName })).rejects.toMatchObject({ status: 409, code: 50353 });
    const other = await client.conversations.v1.services.create({ friendlyName: 'Other' });
    await expect(
      client.conversations.v1.services(other.sid).conversations.create({ uniqueName }),
    ).resolves.toBeTruthy();
  });

  it('validates attributes, timers and the initial state with Twilio codes', async () => {
    const fails = (options: Record<string, string>) => conversations().create(options);
    await expect(fails({ attributes: '{oops' })).rejects.toMatchObject({ status: 400, code: 50304 });
    await expect(fails({ 'timers.inactive': 'PT30S' })).rejects.toMatchObject({ status: 400, code: 50375 });
    await expect(fails({ 'timers.closed': 'PT9M' })).rejects.toMatchObject({ status: 400, code: 50376 });
    await expect(fails({ 'timers.inactive': 'soon' })).rejects.toMatchObject({ status: 400, code: 50379 });
    await expect(fails({ 'timers.closed': 'P1Y' })).rejects.toMatchObject({ status: 400, code: 50380 });
    await expect(fails({ state: 'closed' })).rejects.toMatchObject({ status: 400, code: 50384 });
    await expect(fails({ 'timers.inactive': 'PT1M', 'timers.closed': 'P1DT2H' })).resolves.toBeTruthy();
  });

  it('moves to inactive, then closed, as the timers run out (freeing the contact binding)', async () => {
    const contact = newContact();
    const { sid } = await withContact(contact);
    await conversations()(sid).update({ 'timers.inactive': 'PT1M', 'timers.closed': 'PT10M' });
    clock.advance(61_000);
    expect((await conversations()(sid).fetch()).state).toBe('inactive');
    clock.advance(10 * 60_000);
    expect(await conversations()(sid).fetch()).toMatchObject({ state: 'closed', timers: {} });
    await expect(withContact(contact)).resolves.toBeTruthy();
    await idle();
    expect(eventsOf(sid).map((d) => [d.params.StateTo, d.params.Reason])).toEqual([
      ['inactive', 'TIMER'],
      ['closed', 'TIMER'],
    ]);
  });
});

describe('Messages', () => {
  it('texts SMS participants only the messages posted after they joined, never their own', async () => {
    const contact = newContact();
    const { sid } = await conversations().create({ uniqueName: newName() });
    const messages = conversations()(sid).messages;
    const before = await messages.create({ body: 'Handoff note', dateCreated: new Date('2024-12-31T23:00:00Z') });
    expect(before).toMatchObject({ index: 0, author: 'system', participantSid: null, delivery: null });
    expect(before.dateCreated.toISOString()).toBe('2024-12-31T23:00:00.000Z');
    const participant = await conversations()(sid).participants.create({
      'messagingBinding.address': contact,
      'messagingBinding.proxyAddress': emulator.phoneNumber,
    });
    expect(participant.messagingBinding).toEqual({
      type: 'sms',
      address: contact,
      proxy_address: emulator.phoneNumber,
    });
    const reply = await messages.create({ author: 'Ava', body: 'Hi, a person will be with you shortly' });
    const echo = await messages.create({ author: contact, body: 'thanks', attributes: '{"handoff":{"kind":"x"}}' });
    expect(reply).toMatchObject({ index: 1, delivery: expect.objectContaining({ total: 1, sent: 'all' }) });
    expect(echo).toMatchObject({ index: 2, participantSid: participant.sid, attributes: '{"handoff":{"kind":"x"}}' });
    expect(await outbound(contact)).toEqual([
      expect.objectContaining({
        from: emulator.phoneNumber,
        body: 'Hi, a person will be with you shortly',
        source: 'conversations',
      }),
    ]);
  });

  it('lists in either order across pages, fetches and deletes', async () => {
    const { sid } = await conversations().create({});
    const messages = conversations()(sid).messages;
    for (const body of ['one', 'two', 'three']) await messages.create({ body });
    expect((await messages.list({ order: 'desc', pageSize: 2 })).map((m) => m.body)).toEqual(['three', 'two', 'one']);
    const [first] = await messages.list({ limit: 1 });
    expect((await messages(first.sid).fetch()).body).toBe('one');
    await messages(first.sid).remove();
    expect((await messages.list()).map((m) => [m.index, m.body])).toEqual([
      [1, 'two'],
      [2, 'three'],
    ]);
    await expect(messages.create({ body: 'x'.repeat(1601) })).rejects.toMatchObject({ status: 400, code: 50504 });
  });
});

describe('Participants', () => {
  it('holds an address and proxy pair in one open conversation: 50416 names it until it closes', async () => {
    const contact = newContact();
    const holder = await withContact(contact);
    const next = await conversations().create({ uniqueName: newName() });
    const add = () =>
      conversations()(next.sid).participants.create({
        'messagingBinding.address': contact,
        'messagingBinding.proxyAddress': emulator.phoneNumber,
      });
    await expect(add()).rejects.toMatchObject({
      status: 409,
      code: 50416,
      message: `A binding for this participant and proxy address already exists in Conversation ${holder.sid}`,
    });
    await conversations()(holder.sid).update({ state: 'closed' });
    await expect(add()).resolves.toMatchObject({ conversationSid: next.sid });

    await expect(conversations()(holder.sid).update({ state: 'active' })).rejects.toMatchObject({ code: 50377 });
    await expect(conversations()(holder.sid).messages.create({ body: 'late' })).rejects.toMatchObject({
      code: 50377,
    });
  });

  it('adds chat participants by identity once, fetches by SID or identity, removes', async () => {
    const { sid } = await conversations().create({});
    const participants = conversations()(sid).participants;
    const rep = await participants.create({ identity: 'alice_rep' });
    expect(rep).toMatchObject({ identity: 'alice_rep', messagingBinding: null, roleSid: expect.stringMatching(/^RL/) });
    await expect(participants.create({ identity: 'alice_rep' })).rejects.toMatchObject({ status: 409, code: 50433 });
    expect((await participants('alice_rep').fetch()).sid).toBe(rep.sid);
    await expect(
      participants.create({
        'messagingBinding.address': newContact(),
        'messagingBinding.proxyAddress': '+19995550000',
      }),
    ).rejects.toMatchObject({ status: 400, code: 50408 });
    await participants(rep.sid).remove();
    expect(await participants.list()).toEqual([]);
  });
});

describe('inbound SMS and post-event webhooks', () => {
  it('captures a bound contact text into the conversation and still sends the number webhook', async () => {
    const contact = newContact();
    const { sid } = await withContact(contact);
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await control(emulator, 'POST', '/sms', {
      from: contact,
      body: 'my order is late',
      media: [{ contentType: 'image/png', base64: png.toString('base64') }],
    });
    await control(emulator, 'POST', '/sms', { from: newContact(), body: 'not in any conversation' });
    await idle();

    const [captured] = eventsOf(sid);
    expect(captured.signatureValid).toBe(true);
    expect(captured.params).toEqual({
      AccountSid: emulator.account.sid,
      EventType: 'onMessageAdded',
      ChatServiceSid: emulator.conversationsServiceSid,
      ConversationSid: sid,
      MessageSid: expect.stringMatching(/^IM/),
      Index: '0',
      Author: contact,
      Body: 'my order is late',
      Attributes: '{}',
      ParticipantSid: expect.stringMatching(/^MB/),
      Media: expect.any(String),
      Source: 'SMS',
      DateCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      RetryCount: '0',
      WebhookSid: expect.stringMatching(/^WH/),
      WebhookType: 'webhook',
    });
    const [media] = JSON.parse(captured.params.Media) as { Sid: string; ContentType: string; Size: number }[];
    expect(media).toMatchObject({ Sid: expect.stringMatching(/^ME/), ContentType: 'image/png', Size: png.length });
    expect(receiver.at('/sms').map((d) => d.params.Body)).toEqual(['my order is late', 'not in any conversation']);
    expect(eventsOf(sid)).toHaveLength(1);

    const { json } = await control<{ author: string; source: string; media: { sid: string }[] }[]>(
      emulator,
      'GET',
      `/conversations/${sid}/messages`,
    );
    expect(json).toEqual([
      expect.objectContaining({ author: contact, body: 'my order is late', source: 'SMS', media: [expect.anything()] }),
    ]);
    const content = await mcs('GET', `/Media/${media.Sid}/Content`);
    expect(Buffer.from(await content.arrayBuffer())).toEqual(png);
  });

  it('fires for REST-made changes only with X-Twilio-Webhook-Enabled: true', async () => {
    const { sid } = await conversations().create({});
    const conversation = conversations()(sid);
    await conversation.messages.create({ body: 'quiet' });
    await conversation.participants.create({ identity: 'quiet' });
    await conversation.messages.create({ author: 'Ava', body: 'loud', xTwilioWebhookEnabled: 'true' });
    await conversation.participants.create({
      'messagingBinding.address': newContact(),
      'messagingBinding.proxyAddress': emulator.phoneNumber,
      xTwilioWebhookEnabled: 'true',
    });
    await conversation.update({ state: 'closed', xTwilioWebhookEnabled: 'true' });
    await idle();
    const events = eventsOf(sid).map((d) => d.params);
    expect(events.map((e) => e.EventType)).toEqual([
      'onMessageAdded',
      'onParticipantAdded',
      'onConversationStateUpdated',
    ]);
    expect(events[0]).toMatchObject({ Author: 'Ava', Body: 'loud', Source: 'API', Index: '1' });
    expect(events[1]).toMatchObject({ 'MessagingBinding.ProxyAddress': emulator.phoneNumber });
    expect(events[2]).toMatchObject({ StateFrom: 'active', StateTo: 'closed', Reason: 'API' });
  });
});

describe('conversation-scoped webhooks', () => {
  it('deliver the conversation events they filter, signed for their own URL and query, beside the service ones', async () => {
    const { sid } = await conversations().create({});
    const other = await conversations().create({});
    const scopedUrl = `${receiver.url}/scoped?handoff=14155550100.s1.1`;
    const webhook = await conversations()(sid).webhooks.create({
      target: 'webhook',
      'configuration.url': scopedUrl,
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded', 'onConversationStateUpdated'],
    });
    expect(webhook).toMatchObject({
      sid: expect.stringMatching(/^WH/),
      conversationSid: sid,
      target: 'webhook',
      configuration: { url: scopedUrl, method: 'POST', filters: ['onMessageAdded', 'onConversationStateUpdated'] },
    });
    expect((await conversations()(sid).webhooks.list()).map((w) => w.sid)).toEqual([webhook.sid]);
    expect((await conversations()(sid).webhooks(webhook.sid).fetch()).sid).toBe(webhook.sid);

    await conversations()(sid).messages.create({ author: 'Ava', body: 'hi', xTwilioWebhookEnabled: 'true' });
    await conversations()(sid).participants.create({ identity: 'rep', xTwilioWebhookEnabled: 'true' });
    await conversations()(other.sid).messages.create({
      author: 'Bo',
      body: 'not scoped',
      xTwilioWebhookEnabled: 'true',
    });
    await conversations()(sid).update({ state: 'closed', xTwilioWebhookEnabled: 'true' });
    await idle();
    const scoped = receiver.at('/scoped?handoff=14155550100.s1.1');
    expect(scoped.map((d) => [d.params.EventType, d.params.ConversationSid, d.params.WebhookSid])).toEqual([
      ['onMessageAdded', sid, webhook.sid],
      ['onConversationStateUpdated', sid, webhook.sid],
    ]);
    expect(scoped.every((d) => d.signatureValid)).toBe(true);
    // The service's own webhook still gets them too.
    expect(eventsOf(sid).map((d) => d.params.EventType)).toContain('onMessageAdded');

    await conversations()(sid).webhooks(webhook.sid).remove();
    expect(await conversations()(sid).webhooks.list()).toEqual([]);
  });

  it('refuses targets it does not emulate and URLs that are not absolute', async () => {
    const { sid } = await conversations().create({});
    await expect(conversations()(sid).webhooks.create({ target: 'studio' })).rejects.toMatchObject({ status: 400 });
    await expect(
      conversations()(sid).webhooks.create({ target: 'webhook', 'configuration.url': '/relative' }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('Media Content Service', () => {
  it('stores raw uploads with their type, answers their metadata and bytes, behind basic auth', async () => {
    const bytes = Buffer.from('GIF89a fake');
    const upload = await mcs('POST', '/Media', bytes, 'image/gif');
    expect(upload.status).toBe(201);
    const media = (await upload.json()) as Record<string, unknown>;
    const path = `/v1/Services/${emulator.conversationsServiceSid}/Media/${String(media.sid)}`;
    expect(media).toEqual({
      sid: expect.stringMatching(/^ME[0-9a-f]{32}$/),
      service_sid: emulator.conversationsServiceSid,
      date_created: expect.any(String),
      date_upload_updated: expect.any(String),
      date_updated: expect.any(String),
      links: { content: `${path}/Content`, content_direct_temporary: `${path}/Content/Direct` },
      size: bytes.length,
      content_type: 'image/gif',
      filename: null,
      author: 'system',
      category: 'media',
      message_sid: null,
      channel_sid: null,
      url: path,
    });
    const content = await mcs('GET', `/Media/${String(media.sid)}/Content`);
    expect(content.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await content.arrayBuffer())).toEqual(bytes);
    expect((await mcs('POST', '/Media', Buffer.alloc(0), 'image/gif')).status).toBe(400);
    expect((await mcs('POST', '/Media', bytes)).status).toBe(400);
    expect((await fetch(`${emulator.url}/mcs.us1${path}`)).status).toBe(401);

    const { sid } = await conversations().create({});
    const message = await conversations()(sid).messages.create({ mediaSid: String(media.sid) });
    expect(message.media).toEqual([
      { sid: media.sid, size: bytes.length, content_type: 'image/gif', filename: null, category: 'media' },
    ]);
    expect(
      ((await (await mcs('GET', `/Media/${String(media.sid)}`)).json()) as Record<string, unknown>).message_sid,
    ).toBe(message.sid);
    const again = conversations()(sid).messages.create({ mediaSid: String(media.sid) });
    await expect(again).rejects.toMatchObject({ code: 50508 });
    const bogus = conversations()(sid).messages.create({ mediaSid: `ME${'0'.repeat(32)}` });
    await expect(bogus).rejects.toMatchObject({ code: 50510 });
  });
});

describe('Services and the default service', () => {
  it('seeds Flex Chat Service as the default, with the post-event webhook configured', async () => {
    const service = await client.conversations.v1.services(emulator.conversationsServiceSid).fetch();
    expect(service.friendlyName).toBe('Flex Chat Service');
    expect((await client.conversations.v1.configuration().fetch()).defaultChatServiceSid).toBe(service.sid);
    const webhooks = client.conversations.v1.services(service.sid).configuration.webhooks();
    expect(await webhooks.fetch()).toMatchObject({
      postWebhookUrl: `${receiver.url}/conversations`,
      filters: ['onMessageAdded', 'onConversationStateUpdated', 'onParticipantAdded'],
      method: 'POST',
    });
    expect((await webhooks.update({ filters: ['onMessageAdded'] })).filters).toEqual(['onMessageAdded']);
    await control(emulator, 'POST', '/reset');
    expect((await webhooks.fetch()).filters).toHaveLength(3);
  });

  it('serves the default service behind /v1/Conversations', async () => {
    const created = await client.conversations.v1.conversations.create({ uniqueName: newName() });
    expect(created.chatServiceSid).toBe(emulator.conversationsServiceSid);
    expect(created.url).toBe(`https://conversations.twilio.com/v1/Conversations/${created.sid}`);
    expect((await conversations()(created.sid).fetch()).url).toBe(
      `https://conversations.twilio.com/v1/Services/${emulator.conversationsServiceSid}/Conversations/${created.sid}`,
    );
    await client.conversations.v1.conversations(created.sid).messages.create({ body: 'hello' });
    expect((await conversations()(created.sid).messages.list()).map((m) => m.body)).toEqual(['hello']);
  });
});

/** A raw Media Content Service call, as the app makes it outside the SDK. */
function mcs(method: string, path: string, body?: Buffer, contentType?: string): Promise<Response> {
  const auth = Buffer.from(`${emulator.account.sid}:${emulator.account.authToken}`).toString('base64');
  return fetch(`${emulator.url}/mcs.us1/v1/Services/${emulator.conversationsServiceSid}${path}`, {
    method,
    headers: { Authorization: `Basic ${auth}`, ...(contentType && { 'Content-Type': contentType }) },
    body,
  });
}
