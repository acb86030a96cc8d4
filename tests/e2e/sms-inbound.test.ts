import {
  clearFaults,
  expectNoSpecViolations,
  injectFault,
  newContactNumber,
  readContact,
  reply,
  sendSms,
  stackEnv,
  twilioClient,
  writeContact,
} from '../support/e2e';
import { contactMapName } from '../../assets/session/store.private';

expectNoSpecViolations();

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');

describe('/sms/inbound: the AI answers a contact', () => {
  it('answers a knowledge-base question and opens a session in the contact own Sync map', async () => {
    const contact = newContactNumber();
    const answer = await reply(contact, 'What are your opening hours?');
    expect(answer).toMatch(/\b(open|hours|am|pm)\b/i);

    const stored = await readContact(contact);
    const session = stored?.record.session;
    expect(session).toMatchObject({ status: 'ai', twilioNumber: stackEnv().TWILIO_PHONE_NUMBER, messageCount: 2 });
    expect(session?.recent.map((entry) => [entry.author, entry.body])).toEqual([
      ['contact', 'What are your opening hours?'],
      ['ai', answer],
    ]);
  });

  it('continues the open session and keeps every message in order with time and author', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    await reply(contact, 'How long does shipping take?');
    const before = await readContact(contact);
    await reply(contact, 'Thanks!');

    const session = (await readContact(contact))?.record.session;
    expect(session?.id).toBe(before?.record.session?.id);
    expect(session?.recent.map((entry) => entry.author)).toEqual(['contact', 'ai', 'contact', 'ai', 'contact', 'ai']);
    const times = session!.recent.map((entry) => Date.parse(entry.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('answers TwiML in plain text within SMS limits', async () => {
    const result = await sendSms({ from: newContactNumber(), body: 'How do I return an item?' });
    expect(result.status).toBe(200);
    expect(result.contentType).toMatch(/text\/xml/);
    expect(result.body).toMatch(/^<\?xml.*<Response><Message>.+<\/Message><\/Response>$/s);
    expect(result.replies[0].length).toBeLessThanOrEqual(1600);
    expect(result.replies[0]).not.toMatch(/[*#`]|\]\(/);
  });

  it('gives a redelivered webhook the same single reply and one transcript entry', async () => {
    const contact = newContactNumber();
    const first = await sendSms({ from: contact, body: 'Do you price match?' });
    const again = await sendSms({ from: contact, body: 'Do you price match?', messageSid: first.messageSid });

    expect(again.replies).toEqual(first.replies);
    const session = (await readContact(contact))?.record.session;
    expect(session?.recent.filter((entry) => entry.id === first.messageSid)).toHaveLength(1);
    expect(session?.recent).toHaveLength(2);
  });

  it('loses no update when one contact sends several messages at once', async () => {
    const contact = newContactNumber();
    const bodies = ['Where is my order?', 'Can I change my address?', 'Do you ship to Canada?', 'Gift cards?'];
    const results = await Promise.all(bodies.map((body) => sendSms({ from: contact, body })));
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);

    const session = (await readContact(contact))?.record.session;
    const contactBodies = session?.recent.filter((entry) => entry.author === 'contact').map((entry) => entry.body);
    expect([...(contactBodies ?? [])].sort()).toEqual([...bodies].sort());
    expect(session?.messageCount).toBe(8);
    for (const result of results) {
      expect(session?.recent.some((entry) => entry.id === `${result.messageSid}:reply`)).toBe(true);
    }
  });

  it('keeps each contact in its own map, so no Sync object is written by every contact', async () => {
    const [a, b] = [newContactNumber(), newContactNumber()];
    await Promise.all([reply(a, 'Hello'), reply(b, 'Hello')]);
    const maps = twilioClient().sync.v1.services(stackEnv().SYNC_SERVICE_SID).syncMaps;
    expect((await maps(contactMapName(a)).fetch()).uniqueName).toBe(contactMapName(a));
    expect((await maps(contactMapName(b)).fetch()).uniqueName).toBe(contactMapName(b));
  });
});

describe('/sms/inbound: sessions', () => {
  it('opens a new session after SESSION_IDLE_MINUTES of silence and keeps the old one', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi there');
    const stored = (await readContact(contact))!.record;
    const threeHoursAgo = new Date(Date.now() - 181 * 60_000).toISOString();
    await writeContact(contact, { ...stored, session: { ...stored.session!, lastActivityAt: threeHoursAgo } });

    await reply(contact, 'What is your return policy?');
    const session = (await readContact(contact))?.record.session;
    expect(session?.id).not.toBe(stored.session?.id);
    expect(session?.recent.map((entry) => entry.body)[0]).toBe('What is your return policy?');

    const archived = await twilioClient()
      .sync.v1.services(stackEnv().SYNC_SERVICE_SID)
      .syncMaps(contactMapName(contact))
      .syncMapItems(`session-${stored.session!.id}`)
      .fetch();
    expect((archived.data as { recent: unknown[] }).recent).toHaveLength(2);
  });

  it('keeps the whole transcript past Sync 16 KiB item limit, with the record small', async () => {
    const contact = newContactNumber();
    const long = 'I have a question about my order and the shipping. '.repeat(12);
    for (let i = 0; i < 14; i++) await reply(contact, `${i} ${long}`);

    const item = await twilioClient()
      .sync.v1.services(stackEnv().SYNC_SERVICE_SID)
      .syncMaps(contactMapName(contact))
      .syncMapItems('contact')
      .fetch();
    expect(Buffer.byteLength(JSON.stringify(item.data))).toBeLessThan(10 * 1024);
    const session = (item.data as { session: { chunks: string[]; recent: { body: string }[]; messageCount: number } })
      .session;
    expect(session.chunks.length).toBeGreaterThan(0);

    const { SessionStore } = await import('../../assets/session/store.private');
    const store = new SessionStore(twilioClient(), {
      syncServiceSid: stackEnv().SYNC_SERVICE_SID,
      retentionSeconds: 60,
    });
    const transcript = await store.transcript(contact, session as never);
    // However the AI answered each (it may even have handed off), every entry is kept, in order.
    expect(transcript).toHaveLength(session.messageCount);
    expect(transcript.filter((entry) => entry.author === 'contact').map((entry) => entry.body)).toEqual(
      Array.from({ length: 14 }, (_, i) => `${i} ${long}`),
    );
  });

  it('stores data with the configured retention as Sync TTLs', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hello');
    const item = await twilioClient()
      .sync.v1.services(stackEnv().SYNC_SERVICE_SID)
      .syncMaps(contactMapName(contact))
      .syncMapItems('contact')
      .fetch();
    const expires = Date.parse(String(item.dateExpires));
    expect(expires - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
  });
});

describe('/sms/inbound: opt-out keywords', () => {
  it.each(['STOP', 'stop', ' Unsubscribe ', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'STOPALL'])(
    'honours %p: no reply, session closed, contact opted out',
    async (keyword) => {
      const contact = newContactNumber();
      await reply(contact, 'Hello');
      const result = await sendSms({ from: contact, body: keyword });
      expect(result.replies).toEqual([]);
      expect(result.body).toMatch(/<Response\/>/);
      const record = (await readContact(contact))?.record;
      expect(record?.optedOut).toBe(true);
      expect(record?.session?.status).toBe('closed');
    },
  );

  it('sends nothing to an opted-out contact until START, UNSTOP or YES', async () => {
    for (const optIn of ['START', 'unstop', 'Yes']) {
      const contact = newContactNumber();
      await sendSms({ from: contact, body: 'STOP' });
      expect((await sendSms({ from: contact, body: 'What are your hours?' })).replies).toEqual([]);
      expect((await sendSms({ from: contact, body: optIn })).replies).toEqual([]);
      expect((await readContact(contact))?.record.optedOut).toBe(false);
      expect(await reply(contact, 'What are your hours?')).toBeTruthy();
    }
  });

  it('honours OptOutType=STOP from Advanced Opt-Out', async () => {
    const contact = newContactNumber();
    const result = await sendSms({ from: contact, body: 'Arrêt', optOutType: 'STOP' });
    expect(result.replies).toEqual([]);
    expect((await readContact(contact))?.record.optedOut).toBe(true);
  });

  it('answers HELP with a short help text', async () => {
    const answer = await reply(newContactNumber(), 'help');
    expect(answer).toMatch(/STOP/);
    expect(answer!.length).toBeLessThanOrEqual(320);
  });
});

describe('/sms/inbound: MMS', () => {
  it('keeps the media in the transcript and says a person can read it', async () => {
    const contact = newContactNumber();
    const result = await sendSms({
      from: contact,
      body: 'Here is the damaged box',
      media: [{ contentType: 'image/png', base64: PNG }],
    });
    expect(result.replies[0]).toMatch(/attach|photo|image|picture|file/i);
    const entry = (await readContact(contact))?.record.session?.recent[0];
    expect(entry?.media).toEqual([
      {
        url: expect.stringMatching(
          /^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC\w+\/Messages\/MM\w+\/Media\/ME\w+$/,
        ),
        contentType: 'image/png',
      },
    ]);
  });
});

describe('/sms/inbound: handoff decisions', () => {
  it('records the handoff decision when the contact asks for a person, then stays quiet', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Where is my order?');
    const answer = await reply(contact, 'I want to talk to a real person');
    expect(answer).toMatch(/person|team|agent|someone/i);

    const session = (await readContact(contact))?.record.session;
    expect(session?.status).not.toBe('ai');
    expect(session?.handoff).toMatchObject({ reason: 'contact_requested', language: 'en' });
    expect(session?.handoff?.summary).toMatch(/\w/);
  });

  it('hands off on a configured forbidden topic', async () => {
    const contact = newContactNumber();
    await reply(contact, 'I am going to start legal action about my order');
    expect((await readContact(contact))?.record.session?.handoff).toMatchObject({ reason: 'forbidden_topic' });
  });
});

describe('/sms/inbound: when Twilio fails', () => {
  it('still answers the contact, with an apology, when Sync keeps failing', async () => {
    const contact = newContactNumber();
    await injectFault({
      path: `/sync/v1/Services/IS\\w+/Maps/${contactMapName(contact)}/`,
      status: 503,
      code: 20500,
      times: 0,
    });
    try {
      const result = await sendSms({ from: contact, body: 'What are your opening hours?' });
      expect(result.status).toBe(200);
      expect(result.replies).toEqual([expect.stringMatching(/something went wrong/i)]);
    } finally {
      await clearFaults();
    }
  });
});

describe('/sms/inbound: only Twilio, only valid input', () => {
  it.each([
    ['no signature', { signature: 'none' as const }],
    ['a bad signature', { signature: 'invalid' as const }],
    ['another account', { accountSid: 'AC' + 'f'.repeat(32) }],
  ])('answers 403 to %s and writes nothing', async (_name, input) => {
    const contact = newContactNumber();
    const result = await sendSms({ from: contact, body: 'Hello', ...input });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect(await readContact(contact)).toBeUndefined();
  });

  it.each([
    ['no From', { omitParams: ['From'] }, /From/],
    ['an unparsable From', { extraParams: { From: 'not-a-number' } }, /From/],
    ['a body over 1,600 characters', { extraParams: { Body: 'x'.repeat(1601) } }, /Body/],
    ['a NumMedia that is not a number', { extraParams: { NumMedia: 'two' } }, /NumMedia/],
    ['a missing MediaUrl', { extraParams: { NumMedia: '1' } }, /MediaUrl0/],
    [
      'a MediaUrl outside Twilio',
      { extraParams: { NumMedia: '1', MediaUrl0: 'https://evil.example/x.png', MediaContentType0: 'image/png' } },
      /MediaUrl0/,
    ],
    ['a bad MessageSid', { extraParams: { MessageSid: 'nope' } }, /MessageSid/],
  ])('answers 400 to %s, naming the problem', async (_name, input, problem) => {
    const contact = newContactNumber();
    const result = await sendSms({ from: contact, body: 'Hello', ...input });
    expect(result.status).toBe(400);
    const body = JSON.parse(result.body) as { error: { code: string; details: unknown } };
    expect(body.error.code).toBe('bad_request');
    expect(JSON.stringify(body.error.details)).toMatch(problem);
    expect(await readContact(contact)).toBeUndefined();
  });
});
