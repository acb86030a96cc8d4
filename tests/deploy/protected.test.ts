/**
 * The functions only Twilio calls are deployed `protected`, so that Twilio's gateway turns unsigned requests away
 * before any code runs; the in-code signature check stays behind it. /taskrouter/event stays public: Event Streams
 * deliveries (CloudEvents JSON signed with `bodySHA256`) may reach it, and Twilio documents no gateway check for
 * those. /flex/handoff stays public for its bearer key. Run against the build (`npm run build`) served by the real
 * twilio-run behind a stand-in for the gateway.
 */
import type { ChildProcess } from 'node:child_process';
import twilio from 'twilio';
import { freePort, startFunctions } from '../../scripts/local-stack';
import { deployedFunctions, type Gateway, startGateway } from '../support/protected-gateway';

const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const AUTH_TOKEN = 'deploy-test-token';
const CONFIG = {
  ACCOUNT_SID,
  AUTH_TOKEN,
  // Nothing answers here: a request that got past the edge checks would fail loudly, not reach Twilio.
  TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
  SYNC_SERVICE_SID: `IS${'1'.repeat(32)}`,
  CONVERSATIONS_SERVICE_SID: `IS${'2'.repeat(32)}`,
  FLEX_WORKSPACE_SID: `WS${'3'.repeat(32)}`,
  FLEX_WORKFLOW_SID: `WW${'4'.repeat(32)}`,
  HANDOFF_API_KEY: 'k'.repeat(32),
};

let functions: ChildProcess;
let functionsUrl: string;
let gateway: Gateway;

beforeAll(async () => {
  const port = await freePort();
  functionsUrl = `http://localhost:${port}`;
  functions = await startFunctions(CONFIG, port, false);
  gateway = await startGateway({ functionsUrl, publicUrl: functionsUrl, authToken: AUTH_TOKEN });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  functions?.kill();
});

beforeEach(() => {
  gateway.forwarded.length = 0;
});

function post(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

const signature = (path: string, params: Record<string, string>, token = AUTH_TOKEN) =>
  twilio.getExpectedTwilioSignature(token, `${functionsUrl}${path}`, params);

describe('a deploy', () => {
  it('marks the webhooks only Twilio calls protected, and keeps /taskrouter/event, /flex/handoff and /flex/assist public', async () => {
    expect(Object.fromEntries(await deployedFunctions())).toEqual({
      '/sms/inbound': 'protected',
      '/conversations/event': 'protected',
      '/taskrouter/event': 'public',
      '/flex/handoff': 'public',
      '/flex/assist': 'public',
    });
  });

  it.each(['/sms/inbound', '/conversations/event'])(
    'turns an unsigned or wrongly signed request to %s away before the function runs',
    async (path) => {
      const params = { AccountSid: ACCOUNT_SID, EventType: 'onMessageAdded', From: '+14155550100' };
      expect((await post(path, params)).status).toBe(400);
      const forged = await post(path, params, { 'x-twilio-signature': signature(path, params, 'another-token') });
      expect(forged.status).toBe(400);
      expect(gateway.forwarded).toEqual([]);
    },
  );

  it('lets a signed request through to the function, whose own checks still run', async () => {
    const path = '/conversations/event';
    const params = { AccountSid: `AC${'b'.repeat(32)}`, EventType: 'onMessageAdded' };
    const answer = await post(path, params, { 'x-twilio-signature': signature(path, params) });
    expect(gateway.forwarded).toEqual([path]);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({
      error: { code: 'forbidden', message: 'AccountSid names another Twilio account' },
    });
  });

  it('leaves the public functions to their in-code checks', async () => {
    const unsignedEvent = await post('/taskrouter/event', { AccountSid: ACCOUNT_SID, EventType: 'task.created' });
    expect(unsignedEvent.status).toBe(403);
    const badKey = await post('/flex/handoff', { From: '+14155550100', reason: 'x' }, { authorization: 'Bearer no' });
    expect(badKey.status).toBe(403);
    // The Flex plugin's calls carry the rep's Flex token, no Twilio signature: the function checks the token.
    const noToken = await post('/flex/assist', { action: 'suggest', taskSid: `WT${'0'.repeat(32)}` });
    expect(noToken.status).toBe(401);
    expect(gateway.forwarded).toEqual(['/taskrouter/event', '/flex/handoff', '/flex/assist']);
  });
});
