import {
  clearFaults,
  control,
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
import { appendTurns } from '../support/seed';
import {
  callHandoff,
  conversation,
  conversationMessages,
  conversationsOf,
  flex,
  idle,
  outboundTo,
  signedWebhook,
  tasksOf,
} from '../support/flex';

expectNoSpecViolations();

const PNG = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001', 'hex');

/** The contact's record in Sync, as a fault's or a latency's path matches it. */
const contactItem = (contact: string) =>
  `^/sync/v1/Services/IS\\w+/Maps/contact-${contact.replace(/\D/g, '')}/Items/contact$`;

afterEach(() => clearFaults());

async function handedOffSession(contact: string) {
  await idle();
  const session = (await readContact(contact))?.record.session;
  expect(session?.status).toBe('handed_off');
  return session!;
}

/** Checks the contact opted out with no task made: their conversations, for the test's own checks. */
async function optedOutWithNoTask(contact: string) {
  await idle();
  const record = (await readContact(contact))!.record;
  expect(record.optedOut).toBe(true);
  expect(record.session!.status).toBe('closed');
  expect(await tasksOf(contact)).toHaveLength(0);
  return conversationsOf(contact);
}

/**
 * Asks for a person with adding the contact's participant made slow (longer than a cold function start here, so the
 * texts of `meanwhile` really arrive while the handoff runs), and does `meanwhile` while it runs.
 */
async function duringSlowHandoff(contact: string, meanwhile: () => Promise<void>): Promise<void> {
  await control('POST', '/latency', { ms: 4000, path: 'Participants$' });
  try {
    const handoff = sendSms({ from: contact, body: 'I want to talk to a human' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await meanwhile();
    await handoff;
  } finally {
    await control('POST', '/latency', { ms: 0, path: 'Participants$' });
  }
}

async function chatThenAskForPerson(contact: string): Promise<string | undefined> {
  await reply(contact, 'What are your opening hours?');
  await sendSms({
    from: contact,
    body: 'This box arrived damaged',
    media: [{ contentType: 'image/png', base64: PNG.toString('base64') }],
  });
  return reply(contact, 'I want to talk to a real person');
}

describe('the handoff the rep sees', () => {
  it('creates one Flex task titled with the contact number, with the note above the full transcript', async () => {
    const contact = newContactNumber();
    const answer = await chatThenAskForPerson(contact);
    expect(answer).toMatch(/person|team|someone/i);

    const session = await handedOffSession(contact);
    const { conversationSid, interactionSid, taskSid } = session.handoff!;
    expect(conversationSid).toMatch(/^CH/);
    expect(interactionSid).toMatch(/^KD/);
    expect(taskSid).toMatch(/^WT/);

    const messages = await conversationMessages(conversationSid!);
    expect(messages[0].author).toBe('AI Assistant');
    expect(messages[0].body).toMatch(/Reason: Asked for a person[\s\S]*Sentiment: \w+[\s\S]*Summary: /);
    const transcript = messages.slice(1);
    expect(transcript.map((message) => [message.author, message.body])).toEqual([
      [contact, 'What are your opening hours?'],
      ['AI Assistant', expect.any(String)],
      [contact, 'This box arrived damaged'],
      ['AI Assistant', expect.stringMatching(/attach|photo|image|picture|file/i)],
      [contact, 'I want to talk to a real person'],
      ['AI Assistant', answer],
    ]);
    const stored = session.recent;
    // Conversations keeps times to the second, as Twilio's v1 APIs do.
    const toSecond = (iso: string) => iso.slice(0, 19);
    expect(transcript.map((message) => toSecond(message.dateCreated.toISOString()))).toEqual(
      stored.slice(0, 6).map((entry) => toSecond(entry.at)),
    );
    expect(transcript[2].media).toEqual([
      expect.objectContaining({ content_type: 'image/png', sid: expect.stringMatching(/^ME/) }),
    ]);

    const [task] = await tasksOf(contact);
    expect(task.sid).toBe(taskSid);
    expect(task.attributes).toMatchObject({
      from: contact,
      customerAddress: contact,
      conversationSid,
      handedOff: true,
      handoffReason: expect.stringMatching(/^Asked for a person/),
      handoffReasonCode: 'contact_requested',
      handoffSummary: expect.stringMatching(/\w/),
      handoffSentiment: expect.stringMatching(/^(positive|neutral|negative)$/),
      handoffLanguage: 'en',
      handoffTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      channelType: 'sms',
      flexInteractionSid: interactionSid,
    });

    // None of the note or transcript was texted to the contact: only the AI's own TwiML answers reached them.
    expect((await outboundTo(contact)).map((message) => message.source)).toEqual(['twiml', 'twiml', 'twiml']);
  });

  it('lets the rep reply by SMS, keeps both sides in the transcript, and gives the number back to the AI', async () => {
    const contact = newContactNumber();
    await reply(contact, 'I need a human please');
    const { handoff } = await handedOffSession(contact);

    expect((await sendSms({ from: contact, body: 'Are you there?' })).replies).toEqual([]);
    await flex('accept', { taskSid: handoff!.taskSid });
    await flex('reply', { taskSid: handoff!.taskSid, body: 'Hi, this is Alice. How can I help?' });
    await idle();

    expect((await outboundTo(contact)).at(-1)).toMatchObject({
      body: 'Hi, this is Alice. How can I help?',
      source: 'conversations',
    });
    const during = (await readContact(contact))!.record.session!;
    expect(during.handoff).toMatchObject({ workerName: 'Alice Rep', taskStatus: 'assigned' });
    expect(during.recent.slice(-2).map((entry) => [entry.author, entry.body])).toEqual([
      ['contact', 'Are you there?'],
      ['agent', 'Hi, this is Alice. How can I help?'],
    ]);
    const inFlex = await conversationMessages(handoff!.conversationSid!);
    expect(inFlex.filter((message) => message.body === 'Are you there?')).toHaveLength(1);

    await flex('complete', { taskSid: handoff!.taskSid });
    await idle();
    expect((await readContact(contact))!.record.session!.status).toBe('closed');
    expect((await conversation(handoff!.conversationSid!)).state).toBe('closed');

    const answer = await reply(contact, 'What is your return policy?');
    expect(answer).toMatch(/return/i);
    const next = (await readContact(contact))!.record.session!;
    expect(next.id).not.toBe(during.id);
    expect(next.status).toBe('ai');

    await reply(contact, 'Let me speak to an agent');
    const later = await handedOffSession(contact);
    expect(later.handoff!.conversationSid).not.toBe(handoff!.conversationSid);
    expect(await tasksOf(contact)).toHaveLength(2);
  });

  it('brings task attributes added by the workflow or the rep back into the session as flex_ custom data', async () => {
    const contact = newContactNumber();
    await reply(contact, 'agent please');
    const { handoff } = await handedOffSession(contact);
    await flex('update-attributes', {
      taskSid: handoff!.taskSid,
      attributes: { order_id: 'A-1001', customer: { tier: 'gold' } },
    });
    await idle();
    expect((await readContact(contact))!.record.session!.customData).toMatchObject({
      flex_order_id: 'A-1001',
      flex_customer_tier: 'gold',
    });
  });
});

describe('/flex/handoff', () => {
  it('hands off for an outside system with the reason, overrides and flex_ custom data, and repeats the ids', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Do you price match?');
    const params = {
      From: contact,
      reason: 'billing dispute',
      summary: 'Customer disputes a charge on invoice 42.',
      sentiment: 'negative',
      language: 'es-MX',
      customData: JSON.stringify({ flex_department: 'billing', flex_priority: 2 }),
    };
    const first = await callHandoff(params);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      conversationSid: expect.stringMatching(/^CH/),
      interactionSid: expect.stringMatching(/^KD/),
    });

    const again = await callHandoff(params);
    expect(again).toEqual(first);
    await idle();
    const tasks = await tasksOf(contact);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].attributes).toMatchObject({
      handoffReason: 'billing dispute',
      handoffReasonCode: 'api',
      handoffSummary: 'Customer disputes a charge on invoice 42.',
      handoffSentiment: 'negative',
      handoffLanguage: 'es-MX',
      flex_department: 'billing',
      flex_priority: 2,
    });
  });

  it('accepts a request signed by Twilio', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hello');
    const answer = await callHandoff(
      { From: contact, reason: 'studio flow', AccountSid: stackEnv().ACCOUNT_SID },
      { signed: true },
    );
    expect(answer.status).toBe(200);
  });

  it.each([
    ['no credentials', 401, {}],
    ['a wrong API key', 403, { bearer: 'x'.repeat(48) }],
    ['a bad signature', 403, { signed: true, signWith: 'f'.repeat(32) }],
  ])('answers %s with %i and changes nothing', async (_name, status, auth) => {
    const contact = newContactNumber();
    await reply(contact, 'Hello');
    const answer = await callHandoff({ From: contact, reason: 'test' }, auth);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    expect((await readContact(contact))!.record.session!.status).toBe('ai');
  });

  it.each([
    ['no reason', { reason: '' }, /reason/],
    ['an unknown sentiment', { sentiment: 'angry' }, /sentiment/],
    ['a bad language tag', { language: 'not a language!' }, /language/],
    ['custom data that is not JSON', { customData: '{oops' }, /customData/],
    ['custom data outside flex_', { customData: JSON.stringify({ department: 'billing' }) }, /flex_/],
    ['a bad phone number', { From: 'hello' }, /From/],
  ])('answers 400 to %s', async (_name, override, problem) => {
    const contact = newContactNumber();
    const answer = await callHandoff({ From: contact, reason: 'test', ...override });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(problem);
  });

  it('answers 404 for a number with no session', async () => {
    const answer = await callHandoff({ From: newContactNumber(), reason: 'test' });
    expect(answer.status).toBe(404);
  });
});

describe('exactly one conversation and one task per session', () => {
  async function expectOneConversationAndTask(contact: string): Promise<void> {
    expect(await conversationsOf(contact)).toHaveLength(1);
    expect(await tasksOf(contact)).toHaveLength(1);
  }

  it('when two messages asking for a person arrive at once', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    await Promise.all([
      sendSms({ from: contact, body: 'I want a human' }),
      sendSms({ from: contact, body: 'Let me talk to a person now' }),
    ]);
    await control('GET', '/idle');
    // A run that found the other one busy left it to finish: one more message completes nothing new.
    const session = (await readContact(contact))!.record.session!;
    if (session.status === 'handoff_pending') await sendSms({ from: contact, body: 'hello?' });
    await handedOffSession(contact);
    await expectOneConversationAndTask(contact);
  });

  it.each([
    [
      '/sms/inbound races /flex/handoff',
      (contact: string) => sendSms({ from: contact, body: 'I want a representative' }),
    ],
    ['two /flex/handoff requests arrive at once', (contact: string) => callHandoff({ From: contact, reason: 'crm' })],
  ])('when %s', async (_, other) => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    const [, api] = await Promise.all([other(contact), callHandoff({ From: contact, reason: 'crm escalation' })]);
    expect(api.status).toBe(200);
    const session = await handedOffSession(contact);
    expect(api.body.conversationSid).toBe(session.handoff!.conversationSid);
    await expectOneConversationAndTask(contact);
  });

  it('when the write that takes the lease meets another writer, its conversation is created once', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    const before = (await control<unknown[]>('GET', '/requests')).length;
    // The conversation's create starts alongside that write; the write is tried again after a re-read.
    await injectFault({ method: 'POST', path: contactItem(contact), status: 412, code: 54205, times: 1 });
    expect((await callHandoff({ From: contact, reason: 'crm escalation' })).status).toBe(200);
    const requests = (await control<{ method: string; path: string }[]>('GET', '/requests')).slice(before);
    const creates = requests.filter((request) => request.method === 'POST' && request.path.endsWith('/Conversations'));
    expect(creates).toHaveLength(1);
    await expectOneConversationAndTask(contact);
  });

  it('when the webhook that asked for a person is delivered again', async () => {
    const contact = newContactNumber();
    const first = await sendSms({ from: contact, body: 'real person please' });
    await sendSms({ from: contact, body: 'real person please', messageSid: first.messageSid });
    await handedOffSession(contact);
    await expectOneConversationAndTask(contact);
  });
});

describe('failures', () => {
  it('resumes a handoff whose step failed, with nothing posted twice, and tells the contact meanwhile', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Where is my order?');
    await injectFault({
      method: 'POST',
      path: '/conversations/v1/Services/IS\\w+/Conversations/CH\\w+/Participants$',
      status: 503,
      code: 20003,
      times: 3,
    });
    const answer = await reply(contact, 'agent please');
    expect(answer).toMatch(/try again|could not reach/i);
    expect((await readContact(contact))!.record.session!.status).toBe('handoff_pending');

    expect((await sendSms({ from: contact, body: 'Hello?' })).replies).toEqual([]);
    const session = await handedOffSession(contact);
    const messages = await conversationMessages(session.handoff!.conversationSid!);
    const bodies = messages.map((message) => message.body);
    expect(bodies.filter((body) => body === 'Where is my order?')).toHaveLength(1);
    expect(bodies.filter((body) => body === 'Hello?')).toHaveLength(1);
    expect(bodies.indexOf('Hello?')).toBeGreaterThan(bodies.indexOf('agent please'));
    expect(await tasksOf(contact)).toHaveLength(1);
  });

  it('resumes a handoff the contact joined without looking again for what the session records', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Where is my order?');
    await injectFault({ method: 'POST', path: '^/flex-api/v1/Interactions$', status: 503, code: 20503, times: 1 });
    expect(await reply(contact, 'agent please')).toMatch(/try again|could not reach/i);
    const before = (await control<unknown[]>('GET', '/requests')).length;
    expect((await callHandoff({ From: contact, reason: 'crm retry' })).status).toBe(200);
    const requests = (await control<{ method: string; path: string }[]>('GET', '/requests')).slice(before);
    // Neither the participant nor the posts: the session recorded both when the contact joined.
    const looked = requests.filter(({ method, path }) => method === 'GET' && /\/(Participants|Messages)$/.test(path));
    expect(looked).toEqual([]);
    await handedOffSession(contact);
    expect(await tasksOf(contact)).toHaveLength(1);
  });

  it('keeps contact texts that arrive while the handoff is running, in order, none twice', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    await duringSlowHandoff(contact, async () => {
      await sendSms({ from: contact, body: 'my order is A-1001' });
      await sendSms({ from: contact, body: 'it is urgent' });
    });
    await sendSms({ from: contact, body: 'thanks' });
    const session = await handedOffSession(contact);
    const bodies = (await conversationMessages(session.handoff!.conversationSid!)).map((message) => message.body);
    for (const text of ['my order is A-1001', 'it is urgent', 'thanks']) {
      expect(bodies.filter((body) => body === text)).toHaveLength(1);
    }
    expect(bodies.indexOf('my order is A-1001')).toBeLessThan(bodies.indexOf('it is urgent'));
    expect(bodies.indexOf('it is urgent')).toBeLessThan(bodies.indexOf('thanks'));
  });

  it('posts a text that reached Twilio before the contact joined but was handled after the handoff, once', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    // Twilio has this text before the contact's participant exists, but our webhook does not get it yet...
    const early = await sendSms({ from: contact, body: 'my order is A-1001', signature: 'invalid' });
    expect(early.status).toBe(403);
    await reply(contact, 'I want to talk to a human');
    await handedOffSession(contact);
    // ...only Twilio's redelivery, once the handoff is done (the conversation did not capture it).
    expect((await sendSms({ from: contact, body: 'my order is A-1001', messageSid: early.messageSid })).status).toBe(
      200,
    );
    await sendSms({ from: contact, body: 'thanks' });
    const session = await handedOffSession(contact);
    const bodies = (await conversationMessages(session.handoff!.conversationSid!)).map((message) => message.body);
    for (const text of ['my order is A-1001', 'thanks']) {
      expect(bodies.filter((body) => body === text)).toHaveLength(1);
    }
    expect(bodies.indexOf('my order is A-1001')).toBeLessThan(bodies.indexOf('thanks'));
  }, 60_000);

  it('creates no task for a contact who opts out while the handoff runs', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    await duringSlowHandoff(contact, async () => {
      expect((await sendSms({ from: contact, body: 'STOP' })).replies).toEqual([]);
    });
    // The STOP may land before the conversation exists (none is made) or after (it is closed).
    const conversations = await optedOutWithNoTask(contact);
    expect(conversations.length).toBeLessThanOrEqual(1);
    expect(conversations.filter((item) => item.state !== 'closed')).toEqual([]);
  });

  // The conversation's create starts alongside the write that takes the lease: a STOP that lands between the
  // request's read and its write leaves it unused, and it is closed.
  it.each([
    ['/flex/handoff', (contact: string) => callHandoff({ From: contact, reason: 'crm escalation' })],
    ['a text asking for a person', (contact: string) => sendSms({ from: contact, body: 'I want to talk to a human' })],
  ])(
    'leaves no open conversation when the contact opts out as %s takes the lease',
    async (_, askForPerson) => {
      const contact = newContactNumber();
      await reply(contact, 'Hi');
      // Slow Sync calls on the contact's record: the STOP is read first and written after the request's read.
      const slowRecord = { ms: 1500, path: contactItem(contact) };
      await control('POST', '/latency', slowRecord);
      try {
        const stop = sendSms({ from: contact, body: 'STOP' });
        await new Promise((resolve) => setTimeout(resolve, 500));
        await askForPerson(contact);
        expect((await stop).replies).toEqual([]);
      } finally {
        await control('POST', '/latency', { ...slowRecord, ms: 0 });
      }
      const conversations = await optedOutWithNoTask(contact);
      expect(conversations).toHaveLength(1);
      expect(conversations[0].state).toBe('closed');
    },
    30_000,
  );

  it('closes our conversation of a finished session that still holds the number (50416) and goes on', async () => {
    const contact = newContactNumber();
    await reply(contact, 'agent');
    const old = await handedOffSession(contact);
    // The session ended without its conversation closing (e.g. an event that never came).
    const record = (await readContact(contact))!.record;
    await writeContact(contact, { ...record, session: { ...record.session!, status: 'closed' } });

    await reply(contact, 'Hello again');
    await reply(contact, 'I need a person');
    const session = await handedOffSession(contact);
    expect(session.handoff!.conversationSid).not.toBe(old.handoff!.conversationSid);
    expect((await conversation(old.handoff!.conversationSid!)).state).toBe('closed');
  });

  it('gives the contact back to the AI when a conversation that is not ours holds the number (50416)', async () => {
    const contact = newContactNumber();
    const { CONVERSATIONS_SERVICE_SID, TWILIO_PHONE_NUMBER } = stackEnv();
    const foreign = await twilioClient()
      .conversations.v1.services(CONVERSATIONS_SERVICE_SID)
      .conversations.create({ friendlyName: 'outbound campaign' });
    await twilioClient()
      .conversations.v1.services(CONVERSATIONS_SERVICE_SID)
      .conversations(foreign.sid)
      .participants.create({
        'messagingBinding.address': contact,
        'messagingBinding.proxyAddress': TWILIO_PHONE_NUMBER,
      });

    await reply(contact, 'Hi');
    const answer = await reply(contact, 'I want to talk to a person');
    expect(answer).toMatch(/cannot connect you/i);
    const session = (await readContact(contact))!.record.session!;
    expect(session.status).toBe('ai');
    expect(await tasksOf(contact)).toHaveLength(0);
    const ours = (await conversationsOf(contact))[0];
    expect(ours.state).toBe('closed');
    expect(await reply(contact, 'What are your opening hours?')).toMatch(/open|hours/i);

    const api = await callHandoff({ From: contact, reason: 'crm' });
    expect(api.status).toBe(409);
    expect(String((api.body.error as { message: string }).message)).toMatch(/not a finished handoff/);
  });

  it('tells the contact and gives them back to the AI when the interaction fails (task.canceled)', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Hi');
    await control('POST', '/flex/fail-next-interaction');
    await reply(contact, 'human please');
    await idle();
    const session = (await readContact(contact))!.record.session!;
    expect(session.status).toBe('ai');
    expect((await outboundTo(contact)).at(-1)).toMatchObject({
      source: 'api',
      body: expect.stringMatching(/no one from our team is available/),
    });
    expect((await conversation(session.handoff!.conversationSid!)).state).toBe('closed');
    expect(await reply(contact, 'What are your opening hours?')).toMatch(/open|hours/i);

    await reply(contact, 'a person please');
    const retried = await handedOffSession(contact);
    expect(retried.handoff!.attempt).toBe(2);
    expect(retried.handoff!.conversationSid).not.toBe(session.handoff!.conversationSid);
  });

  it.each(['cancel', 'timeout', 'delete'] as const)('handles a task %s the same way', async (action) => {
    const contact = newContactNumber();
    await reply(contact, 'agent');
    const { handoff } = await handedOffSession(contact);
    await flex(action, { taskSid: handoff!.taskSid });
    await idle();
    expect((await readContact(contact))!.record.session!.status).toBe('ai');
    expect((await conversation(handoff!.conversationSid!)).state).toBe('closed');
    expect((await outboundTo(contact)).filter((message) => message.source === 'api')).toHaveLength(1);
  });
});

describe('TaskRouter and Conversations events', () => {
  it('are harmless when repeated or out of order', async () => {
    const contact = newContactNumber();
    await reply(contact, 'agent');
    const { handoff } = await handedOffSession(contact);
    await control('POST', '/taskrouter/hold');
    await flex('accept', { taskSid: handoff!.taskSid });
    await flex('complete', { taskSid: handoff!.taskSid });
    await control('POST', '/taskrouter/release', { order: 'reverse' });
    await idle();
    expect((await readContact(contact))!.record.session!.status).toBe('closed');

    const log = await control<{ params?: Record<string, string> }[]>('GET', '/webhooks');
    const created = log.findIndex(
      (entry) => entry.params?.EventType === 'task.created' && entry.params.TaskSid === handoff!.taskSid,
    );
    await control('POST', '/webhooks/resend', { index: created });
    await idle();
    expect((await readContact(contact))!.record.session!.status).toBe('closed');
    expect((await outboundTo(contact)).filter((message) => message.source === 'api')).toHaveLength(0);
  });

  it('from another workspace or account change nothing', async () => {
    const contact = newContactNumber();
    await reply(contact, 'agent');
    const { handoff } = await handedOffSession(contact);
    const attributes = JSON.stringify((await tasksOf(contact))[0].attributes);
    const event = {
      EventType: 'task.completed',
      AccountSid: stackEnv().ACCOUNT_SID,
      WorkspaceSid: 'WS' + '9'.repeat(32),
      TaskSid: handoff!.taskSid!,
      TaskAttributes: attributes,
    };
    expect(await signedWebhook('/taskrouter/event', event)).toBe(204);
    expect(
      await signedWebhook('/taskrouter/event', {
        ...event,
        WorkspaceSid: stackEnv().FLEX_WORKSPACE_SID,
        AccountSid: 'AC' + '9'.repeat(32),
      }),
    ).toBe(403);
    expect(
      await signedWebhook('/conversations/event', {
        EventType: 'onConversationStateUpdated',
        AccountSid: stackEnv().ACCOUNT_SID,
        ChatServiceSid: 'IS' + '9'.repeat(32),
        ConversationSid: handoff!.conversationSid!,
        StateFrom: 'active',
        StateTo: 'closed',
      }),
    ).toBe(204);
    expect(
      await signedWebhook(
        '/taskrouter/event',
        { ...event, WorkspaceSid: stackEnv().FLEX_WORKSPACE_SID },
        'f'.repeat(32),
      ),
    ).toBe(403);
    expect((await readContact(contact))!.record.session!.status).toBe('handed_off');
  });
});

describe('conversation events', () => {
  const requestsAbout = async (sid: string) =>
    (await control<{ path: string }[]>('GET', '/requests')).filter((request) => request.path.includes(sid));
  const messageAdded = (conversationSid: string) => ({
    EventType: 'onMessageAdded',
    AccountSid: stackEnv().ACCOUNT_SID,
    ChatServiceSid: stackEnv().CONVERSATIONS_SERVICE_SID,
    ConversationSid: conversationSid,
    MessageSid: 'IM' + 'a'.repeat(32),
    Author: 'someone',
    Body: 'hello',
    Source: 'SDK',
  });

  it('for a conversation that is not ours, gone or alive, get a 2xx and cost no Twilio call', async () => {
    const gone = 'CH' + 'e'.repeat(32);
    const foreign = await twilioClient()
      .conversations.v1.services(stackEnv().CONVERSATIONS_SERVICE_SID)
      .conversations.create({ friendlyName: 'web chat' });
    for (const sid of [gone, foreign.sid]) {
      expect(await signedWebhook('/conversations/event', messageAdded(sid))).toBe(204);
      expect(
        await signedWebhook('/conversations/event', {
          ...messageAdded(sid),
          EventType: 'onConversationStateUpdated',
          StateFrom: 'active',
          StateTo: 'closed',
        }),
      ).toBe(204);
    }
    expect(await requestsAbout(gone)).toEqual([]);
    expect(await requestsAbout(foreign.sid)).toEqual([]);
  });

  it("reach the session through the handoff's own webhook, once, and only for that handoff", async () => {
    const contact = newContactNumber();
    await reply(contact, 'I need a human please');
    const { id, handoff } = await handedOffSession(contact);
    const webhooks = await twilioClient()
      .conversations.v1.services(stackEnv().CONVERSATIONS_SERVICE_SID)
      .conversations(handoff!.conversationSid!)
      .webhooks.list();
    expect(webhooks).toHaveLength(1);
    expect(webhooks[0]).toMatchObject({
      sid: handoff!.webhookSid,
      target: 'webhook',
      configuration: {
        url: `${stackEnv().FUNCTIONS_URL}/conversations/event?handoff=${contact.slice(1)}.${id}.1`,
        filters: ['onMessageAdded', 'onConversationStateUpdated'],
      },
    });

    // Another session's id in the URL (a stale or copied webhook) changes nothing.
    const stale = `/conversations/event?handoff=${contact.slice(1)}.zzz.1`;
    expect(await signedWebhook(stale, messageAdded(handoff!.conversationSid!))).toBe(204);
    expect((await readContact(contact))!.record.session!.recent.some((entry) => entry.author === 'agent')).toBe(false);

    await flex('accept', { taskSid: handoff!.taskSid });
    await flex('reply', { taskSid: handoff!.taskSid, body: 'Alice here' });
    await idle();
    const session = (await readContact(contact))!.record.session!;
    expect(session.recent.filter((entry) => entry.body === 'Alice here')).toHaveLength(1);
  });
});

describe('a long transcript', () => {
  // Its time at 50 ms per Twilio call is measured by `npm run bench`, not here.
  it('reaches Flex whole, with the oldest turns condensed and the MMS inline', async () => {
    const contact = newContactNumber();
    await sendSms({
      from: contact,
      body: 'the box',
      media: [{ contentType: 'image/png', base64: PNG.toString('base64') }],
    });
    await appendTurns(stackEnv(), contact, 120);
    expect((await callHandoff({ From: contact, reason: 'long session' })).status).toBe(200);

    const session = await handedOffSession(contact);
    const messages = await conversationMessages(session.handoff!.conversationSid!);
    const text = messages.map((message) => message.body).join('\n');
    for (let n = 2; n < 122; n += 2) expect(text).toContain(`Question ${n} about my order`);
    expect(messages.filter((message) => message.body?.startsWith('Earlier messages:')).length).toBeGreaterThan(0);
    expect(messages.filter((message) => Array.isArray(message.media) && message.media.length > 0)).toHaveLength(1);
    expect(messages.length).toBeLessThan(60);
  });
});
