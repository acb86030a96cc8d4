/**
 * Insights recording through the real functions: sessions played by text, the Flex task driven as a rep would,
 * then read back with the reader the report uses (readSessionOutcomes), every field checked.
 */
import {
  clearFaults,
  expectNoSpecViolations,
  injectFault,
  newContactNumber,
  readContact,
  reply,
  stackEnv,
  twilioClient,
  writeContact,
} from '../support/e2e';
import { flex, idle, tasksOf } from '../support/flex';
import { readSessionOutcomes, readTaughtSuggestions } from '../../assets/insights/sessions-index.private';
import type { SessionOutcome } from '../../assets/insights/outcome.private';
import type { Session } from '../../assets/session/model.private';

expectNoSpecViolations();

const startedAt = new Date(Date.now() - 60_000);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The session's outcome as the report reads it, and the reads it took. */
async function outcomeOf(session: Session): Promise<{ outcome: SessionOutcome | undefined; reads: number }> {
  let reads = 0;
  const outcomes = await readSessionOutcomes(
    twilioClient(),
    stackEnv().SYNC_SERVICE_SID,
    { from: startedAt, to: new Date(Date.now() + 60_000) },
    (progress) => (reads = progress.reads),
  );
  return { outcome: outcomes.find((outcome) => outcome.sessionId === session.id), reads };
}

async function sessionOf(contact: string): Promise<Session> {
  await idle();
  return (await readContact(contact))!.record.session!;
}

/** No stored outcome may hold the contact's number, in any form. */
function expectNoPhoneNumber(outcome: SessionOutcome | undefined, contact: string): void {
  expect(JSON.stringify(outcome)).not.toContain(contact.slice(-7));
}

describe('insights: what each session leaves for the report', () => {
  it('records a contained session at its first message, its answered turns, and no handoff', async () => {
    const contact = newContactNumber();
    await reply(contact, 'What are your opening hours?');
    const first = await sessionOf(contact);
    // Written at the first message, so a session that never does anything else still counts.
    expect((await outcomeOf(first)).outcome).toMatchObject({ aiTurns: 1, answeredTurns: 1 });

    await reply(contact, 'Thanks!');
    const session = await sessionOf(contact);
    // The contact record carries the running outcome: the index was not written for this ordinary turn.
    expect(session.outcome).toMatchObject({ aiTurns: 2, answeredTurns: 2 });
    const { outcome, reads } = await outcomeOf(session);
    expect(outcome).toEqual({
      sessionId: session.id,
      twilioNumber: stackEnv().TWILIO_PHONE_NUMBER,
      startedAt: session.startedAt,
      aiTurns: 1,
      answeredTurns: 1,
      notSureTurns: 0,
      unanswered: [],
    });
    // One read a map (64), as long as no map holds more than 100 of the window's sessions (of all test files).
    expect(reads).toBe(64);
    expectNoPhoneNumber(outcome, contact);
  });

  it('records not-sure turns with the question masked and the nearest topic, then the AI-unable handoff', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Do you sell pizza? My order is 99887766');
    await reply(contact, 'Do you have a store in Paris?');
    const session = await sessionOf(contact);
    expect(session.status).toBe('handed_off');
    const { outcome } = await outcomeOf(session);
    expect(outcome).toEqual({
      sessionId: session.id,
      twilioNumber: stackEnv().TWILIO_PHONE_NUMBER,
      startedAt: session.startedAt,
      aiTurns: 2,
      answeredTurns: 0,
      notSureTurns: 2,
      unanswered: [
        {
          question: 'Do you sell pizza? My order is [number]',
          nearestTopic: 'Order status and tracking',
          score: expect.any(Number),
          at: expect.stringMatching(ISO),
        },
        {
          question: 'Do you have a store in Paris?',
          nearestTopic: 'Store locations',
          score: expect.any(Number),
          at: expect.stringMatching(ISO),
        },
      ],
      handoff: {
        reasonCode: 'ai_unable',
        requestedAt: session.handoff!.requestedAt,
        sentiment: session.handoff!.sentiment,
        language: 'en',
      },
    });
    expect(outcome!.unanswered[1].score).toBeGreaterThan(0);
    expect(outcome!.unanswered[1].score).toBeLessThan(0.58);
  });

  it('records the handoff, the rep accepting, their first reply and the completion, and tells Flex Insights', async () => {
    const contact = newContactNumber();
    await reply(contact, 'What are your opening hours?');
    await reply(contact, 'I need a human please');
    const { handoff } = await sessionOf(contact);
    await flex('accept', { taskSid: handoff!.taskSid });
    await flex('reply', { taskSid: handoff!.taskSid, body: 'Hi, this is Alice.' });
    await idle();
    await flex('reply', { taskSid: handoff!.taskSid, body: 'Anything else?' });
    await flex('complete', { taskSid: handoff!.taskSid });
    const session = await sessionOf(contact);
    expect(session.status).toBe('closed');

    const { outcome } = await outcomeOf(session);
    const firstRepReply = session.recent.find((entry) => entry.author === 'agent')!.at;
    expect(outcome).toEqual({
      sessionId: session.id,
      twilioNumber: stackEnv().TWILIO_PHONE_NUMBER,
      startedAt: session.startedAt,
      endedAt: session.closedAt,
      aiTurns: 2,
      answeredTurns: 1,
      notSureTurns: 0,
      unanswered: [],
      handoff: {
        reasonCode: 'contact_requested',
        requestedAt: session.handoff!.requestedAt,
        sentiment: session.handoff!.sentiment,
        language: 'en',
        acceptedAt: expect.stringMatching(ISO),
        firstRepReplyAt: firstRepReply,
        completedAt: session.closedAt,
      },
    });
    const { acceptedAt, requestedAt } = outcome!.handoff!;
    expect(Date.parse(acceptedAt!)).toBeGreaterThanOrEqual(Date.parse(requestedAt));
    // Conversations dates messages to the second.
    expect(Date.parse(firstRepReply)).toBeGreaterThanOrEqual(Math.floor(Date.parse(acceptedAt!) / 1000) * 1000);
    expectNoPhoneNumber(outcome, contact);

    // Flex Insights' attributes, merged with what the Interactions API puts in the same object.
    const [task] = await tasksOf(contact);
    expect(task.attributes.conversations).toEqual({
      preceded_by: 'Bot',
      language: 'en',
      conversation_attribute_8: 'contact_requested',
      conversation_attribute_9: session.handoff!.sentiment,
      conversation_measure_8: Math.round((Date.parse(requestedAt) - Date.parse(session.startedAt)) / 1000),
      conversation_id: session.handoff!.interactionSid,
      initiated_by: 'Customer',
      communication_channel: 'Sms',
      media: [{ conversation_sid: session.handoff!.conversationSid }],
      direction: 'Inbound',
    });
  });

  it.each([
    ['cancel', 'canceled'],
    ['timeout', 'timeout'],
  ] as const)('records a handoff nobody took (%s), and the session going on with the AI', async (action, reason) => {
    const contact = newContactNumber();
    await reply(contact, 'agent');
    const { handoff } = await sessionOf(contact);
    await flex(action, { taskSid: handoff!.taskSid });
    await idle();
    await reply(contact, 'What are your opening hours?');
    const session = await sessionOf(contact);
    expect(session.status).toBe('ai');
    const { outcome } = await outcomeOf(session);
    expect(outcome).toMatchObject({ aiTurns: 1, answeredTurns: 0, notSureTurns: 0 });
    expect(outcome!.handoff).toEqual({
      reasonCode: 'contact_requested',
      requestedAt: handoff!.requestedAt,
      sentiment: handoff!.sentiment,
      language: 'en',
      canceledAt: expect.stringMatching(ISO),
      canceledReason: expect.any(String),
    });
    if (action === 'timeout') expect(outcome!.handoff!.canceledReason).toBe(reason);
    // The steady AI turn after it is on the contact record, and reaches the index with the next copy.
    expect(session.outcome?.aiTurns).toBe(2);
  });

  it('ends a session that went idle when the contact texts again, at its last activity', async () => {
    const contact = newContactNumber();
    await reply(contact, 'Do you sell pizza?');
    const stored = (await readContact(contact))!.record;
    const hoursAgo = new Date(Date.now() - 5 * 3_600_000).toISOString();
    await writeContact(contact, { ...stored, session: { ...stored.session!, lastActivityAt: hoursAgo } });
    const idleSession = stored.session!;

    await reply(contact, 'What are your opening hours?');
    const next = await sessionOf(contact);
    expect(next.id).not.toBe(idleSession.id);
    const ended = (await outcomeOf(idleSession)).outcome;
    expect(ended).toMatchObject({ endedAt: hoursAgo, aiTurns: 1, notSureTurns: 1 });
    expect(ended!.unanswered).toEqual([
      { question: 'Do you sell pizza?', nearestTopic: null, score: null, at: expect.stringMatching(ISO) },
    ]);
    expect((await outcomeOf(next)).outcome).toMatchObject({ aiTurns: 1, answeredTurns: 1 });
  });

  it('keeps working for a session stored before insights, counting from its next text', async () => {
    const contact = newContactNumber();
    await reply(contact, 'What are your opening hours?');
    const stored = (await readContact(contact))!.record;
    const { outcome: _dropped, ...legacy } = stored.session!;
    await writeContact(contact, { ...stored, session: legacy });

    expect(await reply(contact, 'Do you accept PayPal?')).toMatch(/PayPal/i);
    const session = await sessionOf(contact);
    expect(session.id).toBe(legacy.id);
    const { outcome } = await outcomeOf(session);
    expect(outcome).toEqual({
      sessionId: session.id,
      twilioNumber: stackEnv().TWILIO_PHONE_NUMBER,
      startedAt: legacy.startedAt,
      aiTurns: 1,
      answeredTurns: 1,
      notSureTurns: 0,
      unanswered: [],
    });
  });

  it('answers the contact when the copy to the index fails, and the next copy catches up', async () => {
    const contact = newContactNumber();
    await injectFault({ method: 'POST', path: '/Maps/insights-', status: 503, code: 20503, times: 3 });
    try {
      expect(await reply(contact, 'Do you sell pizza?')).toMatch(/\w/);
    } finally {
      await clearFaults();
    }
    const first = await sessionOf(contact);
    expect((await outcomeOf(first)).outcome).toBeUndefined();
    await reply(contact, 'Do you have a store in Paris?');
    const session = await sessionOf(contact);
    expect((await outcomeOf(session)).outcome).toMatchObject({ aiTurns: 2, notSureTurns: 2 });
  });

  it('reads only the sessions of the window and of the number asked for', async () => {
    const contact = newContactNumber();
    await reply(contact, 'What are your opening hours?');
    const session = await sessionOf(contact);
    const read = (window: { from: Date; to: Date; twilioNumber?: string }) =>
      readSessionOutcomes(twilioClient(), stackEnv().SYNC_SERVICE_SID, window).then((outcomes) =>
        outcomes.some((outcome) => outcome.sessionId === session.id),
      );
    const started = new Date(session.startedAt);
    expect(await read({ from: started, to: new Date(started.getTime() + 1) })).toBe(true);
    expect(await read({ from: new Date(started.getTime() + 1), to: new Date(Date.now() + 60_000) })).toBe(false);
    expect(await read({ from: new Date(started.getTime() - 60_000), to: started })).toBe(false);
    expect(await read({ from: startedAt, to: new Date(Date.now() + 60_000), twilioNumber: '+15005550009' })).toBe(
      false,
    );
  });

  it('reads the suggestions reps taught, none when nobody has taught any yet', async () => {
    const { SYNC_SERVICE_SID } = stackEnv();
    const client = twilioClient();
    const map = client.sync.v1.services(SYNC_SERVICE_SID).syncMaps;
    try {
      await map('kb-suggestions').remove();
    } catch {
      // Not there yet.
    }
    expect(await readTaughtSuggestions(client, SYNC_SERVICE_SID)).toEqual([]);
    await map.create({ uniqueName: 'kb-suggestions' });
    const taught = Array.from({ length: 130 }, (_, i) => ({
      kind: 'taught',
      question: `Do you ship to Mars ${i}?`,
      topic: i % 2 ? 'International shipping' : null,
      ...(i % 2 ? {} : { draftAnswer: 'Not yet.' }),
      taskSid: `WT${String(i).padStart(32, '0')}`,
      workerSid: `WK${'0'.repeat(32)}`,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    }));
    for (const [i, data] of taught.entries()) {
      await map('kb-suggestions').syncMapItems.create({ key: `taught-${data.taskSid}-${i}`, data });
    }
    expect(await readTaughtSuggestions(client, SYNC_SERVICE_SID)).toEqual(taught);
  });
});
