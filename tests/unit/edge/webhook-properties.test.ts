/**
 * Properties of every webhook's edge, through the handler (parse, validate, the domain, the HTTP answer): random
 * and hostile parameter sets, validly signed so they reach the parser, never get a 5xx (nor /sms/inbound's
 * apology, its answer to the unexpected), and every 4xx names the field it is about. Parameters that do parse
 * go on to the domain, which talks to an in-process emulator.
 */
import { TASKROUTER_EVENTS } from '../../../scripts/admin/webhooks';
import { functionsConfigFor } from '../../../scripts/local-stack';
import fc from 'fast-check';
import twilio from 'twilio';
import type { RunningEmulator } from '../../../emulator';
import { startEmulator } from '../../../emulator';
import { handler as smsInbound } from '../../../functions/sms/inbound.protected';
import { handler as flexHandoff } from '../../../functions/flex/handoff';
import { handler as taskrouterEvent } from '../../../functions/taskrouter/event';
import { handler as conversationsEvent } from '../../../functions/conversations/event.protected';

/** The runtime's `Twilio.Response`, as much of it as the functions use. */
class RuntimeResponse {
  statusCode = 200;
  body: unknown;
  setStatusCode(status: number) {
    this.statusCode = status;
  }
  appendHeader() {}
  setBody(body: unknown) {
    this.body = body;
  }
}
(globalThis as unknown as { Twilio: unknown }).Twilio = { Response: RuntimeResponse, twiml: twilio.twiml };

type Handler = typeof smsInbound;
type Params = Record<string, string>;

const DOMAIN = 'example.twil.io';
const API_KEY = 'k'.repeat(32);
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
  // Hundreds of rejected requests log a warning each; what matters here is the answers.
  for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterAll(() => emulator.close());

function context(path: string) {
  const { sid, authToken } = emulator.account;
  return {
    ...functionsConfigFor(emulator, API_KEY),
    DOMAIN_NAME: DOMAIN,
    PATH: path,
    getTwilioClient: (options: twilio.ClientOpts) => twilio(sid, authToken, options),
  };
}

interface Answer {
  status: number;
  /** The JSON error's message and details, or the TwiML. */
  text: string;
}

/** Calls a handler as twilio-run would: the URL's query merged into the event, signed as Twilio signs. */
async function call(handler: Handler, path: string, params: Params, query: Params = {}): Promise<Answer> {
  const search = new URLSearchParams(query).toString();
  const url = `https://${DOMAIN}${path}${search ? `?${search}` : ''}`;
  const headers: Record<string, string> =
    path === '/flex/handoff'
      ? { authorization: `Bearer ${API_KEY}` }
      : { 'x-twilio-signature': twilio.getExpectedTwilioSignature(emulator.account.authToken, url, params) };
  const event = { ...params, ...query, request: { headers, cookies: {} } };
  // The wrapper always answers through the callback, errors included.
  let answer: unknown;
  await handler(context(path) as never, event, (_error, response) => {
    answer = response;
  });
  if (answer instanceof RuntimeResponse) return { status: answer.statusCode, text: JSON.stringify(answer.body ?? '') };
  return { status: 200, text: String(answer) };
}

/** Strings a hostile or careless sender might put anywhere. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '__proto__',
    'constructor',
    'null',
    'undefined',
    '[]',
    '{}',
    '{"__proto__":{"x":1}}',
    'NaN',
    '-1',
    '1e309',
    '99999999999999999999',
    '+',
    '+0',
    '+1',
    '+14155550100',
    '+1415555010012345',
    '0014155550100',
    'javascript:alert(1)',
    'https://evil.example/media.jpg',
    'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
    '<Response><Say>hi</Say></Response>',
    "'; DROP TABLE contacts; --",
    '%00%0d%0a',
    '🙂'.repeat(900),
    'x'.repeat(5000),
  ),
);

/** A parameter set: a valid one with some of its fields replaced or dropped, and hostile extra parameters. */
function paramSets(valid: Params, fieldsOfInterest: string[] = []): fc.Arbitrary<Params> {
  const fields = [...new Set([...Object.keys(valid), ...fieldsOfInterest])];
  const change = fc.option(fc.option(hostile, { nil: undefined }), { nil: null, freq: 2 });
  return fc
    .tuple(
      fc.record(Object.fromEntries(fields.map((field) => [field, change]))),
      fc.dictionary(
        fc.oneof(
          fc.string({ minLength: 1 }),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
        ),
        hostile,
        { maxKeys: 3 },
      ),
    )
    .map(([changes, extra]) => {
      const params: Params = {};
      // Unknown parameters first, so the named fields keep their generated values; `request` is the runtime's.
      for (const [key, value] of Object.entries(extra)) {
        // Own properties even for `__proto__`, as a form parser may hand them over.
        if (key !== 'request') Object.defineProperty(params, key, { value, enumerable: true, writable: true });
      }
      for (const field of fields) {
        const changed = (changes as Record<string, string | undefined | null>)[field];
        // null: unchanged; undefined: dropped; a string: replaced.
        const value = changed === null ? valid[field] : changed;
        if (value === undefined) delete params[field];
        else params[field] = value;
      }
      return params;
    });
}

/** No 5xx; a 4xx's message or details name one of `fields`. */
function expectWellAnswered(answer: Answer, fields: string[]): void {
  expect(answer.status).toBeLessThan(500);
  expect(answer.text).not.toContain('something went wrong on our side');
  if (answer.status >= 400) {
    expect(fields.filter((field) => answer.text.includes(field))).not.toEqual([]);
  }
}

const RUNS = { numRuns: 60 };

describe('every webhook parser, through its handler, under random and hostile parameters', () => {
  it('the Messaging webhook (/sms/inbound)', async () => {
    const valid = {
      MessageSid: 'SM' + 'a'.repeat(32),
      AccountSid: '',
      From: '+14155550100',
      To: '+15005550006',
      Body: 'What are your opening hours?',
      NumMedia: '0',
    };
    const fields = ['MessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia', 'MediaUrl', 'MediaContentType'];
    await fc.assert(
      fc.asyncProperty(
        paramSets(valid, ['OptOutType', 'MediaUrl0', 'MediaContentType0', 'MediaUrl1']),
        fc.stringMatching(/^[0-9a-f]{32}$/),
        async (params, sid) => {
          if (params.AccountSid === '') params.AccountSid = emulator.account.sid;
          // Each message new, or the contact's record would answer as a redelivery.
          if (params.MessageSid === valid.MessageSid) params.MessageSid = `SM${sid}`;
          expectWellAnswered(await call(smsInbound, '/sms/inbound', params), fields);
        },
      ),
      RUNS,
    );
  });

  it("/flex/handoff's request", async () => {
    const valid = {
      From: '+14155550101',
      To: '+15005550006',
      reason: 'billing dispute',
      summary: 'Disputes a double charge',
      sentiment: 'negative',
      language: 'en-US',
      customData: '{"flex_order_id":"A1"}',
    };
    const fields = ['From', 'To', 'reason', 'summary', 'sentiment', 'language', 'customData'];
    await fc.assert(
      fc.asyncProperty(paramSets(valid), async (params) => {
        expectWellAnswered(await call(flexHandoff, '/flex/handoff', params), fields);
      }),
      RUNS,
    );
  });

  it('the TaskRouter event (the workspace callback, form-encoded)', async () => {
    const attributes = fc.oneof(
      hostile,
      fc.json(),
      fc
        .record({
          handedOff: fc.oneof(fc.boolean(), hostile),
          from: hostile,
          conversationSid: fc.oneof(hostile, fc.constant('CH' + 'b'.repeat(32))),
          flexInteractionSid: hostile,
          order_id: hostile,
        })
        .map((value) => JSON.stringify(value)),
    );
    const valid = {
      EventType: 'task.created',
      AccountSid: '',
      WorkspaceSid: '',
      TaskSid: 'WT' + 'c'.repeat(32),
      TaskAttributes: '{"handedOff":true,"from":"+14155550102","conversationSid":"CH' + 'b'.repeat(32) + '"}',
      WorkerName: 'Alice Rep',
    };
    // Every event the workspace sends us, and one it never should.
    const eventTypes = fc.constantFrom(...TASKROUTER_EVENTS, 'worker.activity.update');
    await fc.assert(
      fc.asyncProperty(paramSets(valid), eventTypes, attributes, async (params, eventType, taskAttributes) => {
        if (params.AccountSid === '') params.AccountSid = emulator.account.sid;
        if (params.WorkspaceSid === '') params.WorkspaceSid = emulator.workspaceSid;
        if (params.EventType === valid.EventType) params.EventType = eventType;
        if (params.TaskAttributes === valid.TaskAttributes) params.TaskAttributes = taskAttributes;
        expectWellAnswered(await call(taskrouterEvent, '/taskrouter/event', params), ['AccountSid']);
      }),
      RUNS,
    );
  });

  it('the Conversations event (service-level and a handoff’s own webhook)', async () => {
    const valid = {
      EventType: 'onMessageAdded',
      AccountSid: '',
      ChatServiceSid: '',
      ConversationSid: 'CH' + 'd'.repeat(32),
      MessageSid: 'IM' + 'e'.repeat(32),
      Author: 'alice',
      Body: 'Hi, this is Alice',
      Source: 'SDK',
      Media: '[{"Sid":"ME' + 'f'.repeat(32) + '","ContentType":"image/png"}]',
      StateTo: 'closed',
    };
    const handoffQuery = fc.option(fc.oneof(hostile, fc.constant('14155550103.abc123.1')), { nil: undefined });
    const eventTypes = fc.constantFrom('onMessageAdded', 'onConversationStateUpdated', 'onParticipantAdded');
    await fc.assert(
      fc.asyncProperty(paramSets(valid), eventTypes, handoffQuery, async (params, eventType, handoff) => {
        if (params.AccountSid === '') params.AccountSid = emulator.account.sid;
        if (params.ChatServiceSid === '') params.ChatServiceSid = emulator.conversationsServiceSid;
        if (params.EventType === valid.EventType) params.EventType = eventType;
        delete params.handoff;
        const query: Params = handoff === undefined ? {} : { handoff };
        expectWellAnswered(await call(conversationsEvent, '/conversations/event', params, query), ['AccountSid']);
      }),
      RUNS,
    );
  });
});
