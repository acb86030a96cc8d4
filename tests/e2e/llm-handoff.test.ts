/**
 * The LLM engine end to end: twilio-run serves the functions with AI_PROVIDER=openai against a local fake
 * OpenAI-compatible server, on a stack of its own (the shared one runs the embedded engine).
 */
import { startStack, type RunningStack } from '../../scripts/local-stack';
import { startFakeOpenAi, textOf, type FakeOpenAi } from '../support/fake-openai';
import { control, newContactNumber, readContact, reply, violations } from '../support/e2e';
import { flex, idle, tasksOf } from '../support/flex';

let fake: FakeOpenAi;
let stack: RunningStack;
const sharedStackEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  fake = await startFakeOpenAi({ fallback: { content: 'Our stores are open 9am to 8pm, Monday to Saturday.' } });
  stack = await startStack({
    config: {
      AI_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-test-key-never-shown',
      OPENAI_MODEL: 'gpt-test',
      LLM_TIMEOUT_MS: '2000',
    },
  });
  // The support helpers read the stack from the environment: point them at this one for this file.
  for (const [key, value] of Object.entries(stack.env)) {
    sharedStackEnv[key] = process.env[key];
    process.env[key] = value;
  }
}, 60_000);

afterAll(async () => {
  expect(await violations()).toEqual([]);
  Object.assign(process.env, sharedStackEnv);
  await stack?.stop();
  await fake?.close();
});

beforeEach(() => fake.reset());

it('answers from the knowledge base the model was given', async () => {
  fake.script([{ content: '**Hours:** we are open 9am-8pm, Mon-Sat.' }]);
  const answer = await reply(newContactNumber(), 'When are you open?');
  expect(answer).toBe('Hours: we are open 9am-8pm, Mon-Sat.');
  const system = textOf(fake.requests[0].body.messages[0]);
  expect(system).toMatch(/opening hours/i);
  expect(system).not.toContain('sk-test-key-never-shown');
});

it('hands off through the tool, and its reason, summary, sentiment, language and custom data reach the Flex task', async () => {
  const contact = newContactNumber();
  fake.script([
    {
      content: 'Voy a conectarte con una persona de nuestro equipo.',
      toolCalls: [
        { name: 'set_custom_data', arguments: { key: 'flex_order_id', value: 'A-1001' } },
        {
          name: 'handoff_to_human',
          arguments: {
            reason: 'disputes a double charge and is fed up',
            reason_code: 'frustrated',
            summary: 'El cliente reclama un pedido A-1001 que no llegó.',
            sentiment: 'negative',
            language: 'es',
          },
        },
      ],
    },
  ]);
  const answer = await reply(contact, 'Mi pedido A-1001 no ha llegado y estoy harto');
  expect(answer).toMatch(/persona/);
  await idle();

  const session = (await readContact(contact))!.record.session!;
  expect(session.status).toBe('handed_off');
  const [task] = await tasksOf(contact);
  expect(task.attributes).toMatchObject({
    from: contact,
    handedOff: true,
    handoffReason: 'disputes a double charge and is fed up',
    handoffReasonCode: 'frustrated',
    handoffSummary: 'El cliente reclama un pedido A-1001 que no llegó.',
    handoffSentiment: 'negative',
    handoffLanguage: 'es',
    flex_order_id: 'A-1001',
  });
});

it('still answers, with the embedded engine, when the model fails', async () => {
  fake.script([{ status: 500 }]);
  const answer = await reply(newContactNumber(), 'What is your return policy?');
  expect(answer).toMatch(/return/i);
});

describe("rep assist's drafted reply", () => {
  /** A handoff after a returns question, accepted by Alice: the task and her Flex token. */
  async function acceptedHandoff() {
    const contact = newContactNumber();
    await reply(contact, 'how do I return an item');
    await reply(contact, 'I want to talk to a person');
    await idle();
    const [task] = await tasksOf(contact);
    await flex('accept', { taskSid: task.sid });
    await idle();
    const { token } = await control<{ token: string }>('POST', '/flex/tokens', {});
    return { taskSid: task.sid, token };
  }

  async function assist(action: 'suggest' | 'draft', taskSid: string, token: string) {
    const response = await fetch(`${stack.env.FUNCTIONS_URL}/flex/assist`, {
      method: 'POST',
      body: new URLSearchParams({ Token: token, action, taskSid }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { drafts?: boolean; draft?: string; suggestions: { topic: string }[] };
  }

  it('the topics come at once, saying a draft can be asked for, with no model call', async () => {
    const { taskSid, token } = await acceptedHandoff();
    fake.reset();
    const answer = await assist('suggest', taskSid, token);
    expect(answer).toMatchObject({ drafts: true, suggestions: [{ topic: 'Returns' }] });
    expect(fake.requests).toHaveLength(0);
  });

  it('comes from the model, grounded in the knowledge base and the conversation, with no tools', async () => {
    const { taskSid, token } = await acceptedHandoff();
    fake.reset();
    fake.script([{ content: 'Sure! Start your return at **acmeoutfitters.example/returns**; it is free in the US.' }]);
    const answer = await assist('draft', taskSid, token);
    expect(answer.draft).toBe('Sure! Start your return at acmeoutfitters.example/returns; it is free in the US.');
    const request = fake.requests[0].body;
    expect(request.tools).toBeUndefined();
    const system = textOf(request.messages[0]);
    expect(system).toMatch(/draft/i);
    expect(system).toContain('## Returns');
    expect(textOf(request.messages.at(-1)!)).toBe('how do I return an item');
  });

  it('is none when the model has none (NONE) or fails', async () => {
    const { taskSid, token } = await acceptedHandoff();
    for (const response of [{ content: 'NONE' }, { status: 500 }]) {
      fake.reset();
      fake.script([response]);
      const answer = await assist('draft', taskSid, token);
      expect(answer.draft).toBeUndefined();
    }
  });
});
