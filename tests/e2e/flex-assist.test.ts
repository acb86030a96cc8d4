/**
 * /flex/assist through the real twilio-run on the emulator: the rep's Flex token is checked with the emulator's
 * iam (as Twilio's twilio-flex-token-validator does), CORS answers the Flex UI only, and a rep is served only a
 * handoff task they hold. Every rejection writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { TAUGHT_SUGGESTIONS_MAP } from '../../assets/insights/sessions-index.private';
import {
  control,
  expectNoSpecViolations,
  newContactNumber,
  readContact,
  reply,
  stackEnv,
  twilioClient,
} from '../support/e2e';
import { flex, idle, tasksOf } from '../support/flex';

expectNoSpecViolations();

const FLEX_ORIGIN = 'https://flex.twilio.com';
const RETURNS_ANSWER = /You can return unworn items with tags within 30 days of delivery/;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** As the plugin calls it: a form (a CORS "simple request", no preflight) from the Flex UI's origin. */
async function assist(
  fields: Record<string, string | null | undefined>,
  origin: string | null = FLEX_ORIGIN,
): Promise<Answer> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.set(name, value ?? '');
  const response = await fetch(`${stackEnv().FUNCTIONS_URL}/flex/assist`, {
    method: 'POST',
    headers: origin ? { Origin: origin } : {},
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

interface Token {
  token: string;
  workerSid: string;
}

const tokenFor = (options: object = {}) => control<Token>('POST', '/flex/tokens', options);

/** A contact asks how to return an item, then for a person; the rep (Alice unless told) accepts the task. */
async function handedOffTask(contact = newContactNumber(), workerSid?: string): Promise<string> {
  await reply(contact, 'how do I return an item');
  await reply(contact, 'I want to talk to a person');
  await idle();
  const [task] = await tasksOf(contact);
  await flex('accept', { taskSid: task.sid, ...(workerSid && { workerSid }) });
  await idle();
  return task.sid;
}

/** What rep assist has stored for a task (contract 2's items). */
async function taughtFor(taskSid: string) {
  try {
    const items = await twilioClient()
      .sync.v1.services(stackEnv().SYNC_SERVICE_SID)
      .syncMaps(TAUGHT_SUGGESTIONS_MAP)
      .syncMapItems.list({ pageSize: 100 });
    return items.filter((item) => item.key.startsWith(`taught-${taskSid}-`));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return [];
    throw error;
  }
}

const forgedTaskSid = () => `WT${randomBytes(16).toString('hex')}`;

let alice: Token;
let taskSid: string;
let contact: string;

beforeAll(async () => {
  alice = await tokenFor();
  contact = newContactNumber();
  taskSid = await handedOffTask(contact);
});

describe('suggest', () => {
  test('answers the returns topic, alone, for the question the contact asked before asking for a person, with CORS for Flex', async () => {
    const answer = await assist({ Token: alice.token, action: 'suggest', taskSid });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(FLEX_ORIGIN);
    expect(answer.body.question).toBe('how do I return an item');
    const suggestions = answer.body.suggestions as { topic: string; answer: string; confident: boolean }[];
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]).toMatchObject({
      topic: 'Returns',
      confident: true,
      answer: expect.stringMatching(RETURNS_ANSWER),
    });
    expect(answer.body.topics).toEqual(expect.arrayContaining(['Returns', 'Opening hours']));
    // The embedded engine's answers are the topics themselves: no drafted reply to ask for.
    expect(answer.body.drafts).toBe(false);
    const draft = await assist({ Token: alice.token, action: 'draft', taskSid });
    expect(draft).toMatchObject({ status: 200, body: { questionId: null } });
  });

  test('when the AI could not answer and handed off, the question it missed, with the closest topics for the rep to judge', async () => {
    const other = newContactNumber();
    await reply(other, 'Do you rent snowmobiles?');
    await reply(other, 'Can I rent a canoe for the weekend?');
    await idle();
    const [task] = await tasksOf(other);
    expect(task.attributes.handoffReasonCode).toBe('ai_unable');
    await flex('accept', { taskSid: task.sid });
    await idle();
    const answer = await assist({ Token: alice.token, action: 'suggest', taskSid: task.sid });
    expect(answer.body.question).toBe('Can I rent a canoe for the weekend?');
    const suggestions = answer.body.suggestions as { confident: boolean }[];
    expect(suggestions.length).toBeLessThanOrEqual(3);
    expect(suggestions.every((suggestion) => !suggestion.confident)).toBe(true);
  });

  test("follows the contact's latest question once they write again", async () => {
    const other = newContactNumber();
    const task = await handedOffTask(other);
    await reply(other, 'and how long does a refund take?');
    await idle();
    const answer = await assist({ Token: alice.token, action: 'suggest', taskSid: task });
    expect(answer.body.question).toBe('and how long does a refund take?');
    expect((answer.body.suggestions as { topic: string }[])[0].topic).toBe('Refund timing');
  });
});

describe('teach', () => {
  test('stores a pending knowledge-base suggestion, the question masked, with the retention TTL (contract 2)', async () => {
    const question = 'how do I return order 123456? mail me at jane.doe@example.com';
    const answer = await assist({ Token: alice.token, action: 'teach', taskSid, question, topic: 'Returns' });
    expect(answer.status).toBe(201);
    const [item, ...more] = await taughtFor(taskSid);
    expect(more).toEqual([]);
    expect(item.key).toBe(answer.body.key);
    expect(item.data).toEqual({
      kind: 'taught',
      question: 'how do I return order [number]? mail me at [email]',
      topic: 'Returns',
      taskSid,
      workerSid: alice.workerSid,
      at: expect.any(String),
    });
    const ttlMs = new Date(item.dateExpires).getTime() - Date.now();
    expect(ttlMs).toBeGreaterThan(29 * 86_400_000);
    expect(ttlMs).toBeLessThanOrEqual(30 * 86_400_000);
  });

  test("a new topic keeps the rep's reply, masked, as its draft answer", async () => {
    const task = await handedOffTask();
    const answer = await assist({
      Token: alice.token,
      action: 'teach',
      taskSid: task,
      question: 'do you ship to Mars?',
      topic: null,
      draftAnswer: 'Not yet, sorry! I noted it on your order 778899.',
    });
    expect(answer.status).toBe(201);
    const [item] = await taughtFor(task);
    expect(item.data).toMatchObject({
      question: 'do you ship to Mars?',
      topic: null,
      draftAnswer: 'Not yet, sorry! I noted it on your order [number].',
    });
  });

  test('a new topic without a draft answer, or a topic the knowledge base lacks, is 400 and writes nothing', async () => {
    const task = await handedOffTask();
    const noDraft = await assist({ Token: alice.token, action: 'teach', taskSid: task, question: 'q?', topic: '' });
    expect(noDraft.status).toBe(400);
    expect(noDraft.body).toMatchObject({ error: { code: 'bad_request', details: [{ field: 'draftAnswer' }] } });
    const unknown = await assist({ Token: alice.token, action: 'teach', taskSid: task, question: 'q?', topic: 'Pets' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'bad_request', message: expect.stringContaining('Pets') } });
    expect(await taughtFor(task)).toEqual([]);
  });
});

describe('every rejection, with nothing written', () => {
  const lesson = () => ({ action: 'teach', taskSid, question: 'how do I return an item', topic: 'Returns' });
  let before: { taught: number; contactRevision?: string };

  beforeAll(async () => {
    before = { taught: (await taughtFor(taskSid)).length, contactRevision: (await readContact(contact))?.revision };
  });
  afterAll(async () => {
    expect((await taughtFor(taskSid)).length).toBe(before.taught);
    expect((await readContact(contact))?.revision).toBe(before.contactRevision);
  });

  test('no token: 401 in the one error shape, with CORS so the plugin can read it', async () => {
    const answer = await assist(lesson());
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Token') } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(FLEX_ORIGIN);
  });

  test.each([
    ['a forged token', () => Promise.resolve({ token: `${alice.token.slice(0, -4)}AAAA` }), 'Invalid Access Token'],
    ['a token that is no token at all', () => Promise.resolve({ token: 'let-me-in' }), 'Invalid Access Token'],
    ['an expired token', () => tokenFor({ ttlSeconds: 0 }), 'expired'],
    ["another account's token", () => tokenFor({ accountSid: `AC${'0'.repeat(32)}` }), 'issuer/subject'],
  ])('%s: 403 naming why', async (_name, token, why) => {
    const { token: bad } = await token();
    for (const action of [lesson(), { action: 'suggest', taskSid }]) {
      const answer = await assist({ ...action, Token: bad });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: { code: 'forbidden', message: expect.stringContaining(why) } });
    }
  });

  test('a request from another page than Flex: 403, no CORS headers, even with a valid token', async () => {
    const answer = await assist({ ...lesson(), Token: alice.token }, 'https://evil.example');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
  });

  test('a task SID nobody has: 404', async () => {
    for (const action of ['suggest', 'teach']) {
      const answer = await assist({ ...lesson(), action, taskSid: forgedTaskSid(), Token: alice.token });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  test("a task that is not a handoff of ours, though it is the rep's: 404", async () => {
    const { FLEX_WORKSPACE_SID, FLEX_WORKFLOW_SID } = stackEnv();
    const other = await twilioClient()
      .taskrouter.v1.workspaces(FLEX_WORKSPACE_SID)
      .tasks.create({
        workflowSid: FLEX_WORKFLOW_SID,
        taskChannel: 'sms',
        attributes: JSON.stringify({ from: newContactNumber(), channelType: 'sms' }),
      });
    await flex('accept', { taskSid: other.sid });
    const answer = await assist({ Token: alice.token, action: 'suggest', taskSid: other.sid });
    expect(answer.status).toBe(404);
  });

  test("another rep's task: 403 for Alice, while Bob, who holds it, is served", async () => {
    const bob = await control<{ workerSid: string }>('POST', '/flex/workers', {
      friendlyName: 'Bob Rep',
      identity: 'bob_rep',
    });
    const bobsTask = await handedOffTask(newContactNumber(), bob.workerSid);
    const answer = await assist({ Token: alice.token, action: 'suggest', taskSid: bobsTask });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('alice_rep') } });
    const teach = await assist({ ...lesson(), taskSid: bobsTask, Token: alice.token });
    expect(teach.status).toBe(403);
    expect(await taughtFor(bobsTask)).toEqual([]);
    const bobsToken = await tokenFor({ workerSid: bob.workerSid });
    const served = await assist({ Token: bobsToken.token, action: 'suggest', taskSid: bobsTask });
    expect(served.status).toBe(200);
  });

  test('a bad action or task SID: 400 naming the field', async () => {
    const badAction = await assist({ Token: alice.token, action: 'delete', taskSid });
    expect(badAction.status).toBe(400);
    expect(badAction.body).toMatchObject({ error: { code: 'bad_request', details: [{ field: 'action' }] } });
    const badSid = await assist({ Token: alice.token, action: 'suggest', taskSid: 'CA123' });
    expect(badSid.status).toBe(400);
    expect(badSid.body).toMatchObject({ error: { details: [{ field: 'taskSid' }] } });
  });
});
