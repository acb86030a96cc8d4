import { keywordOf } from '../../assets/session/keywords.private';
import { maskPhoneNumbers } from '../../assets/runtime/logger.private';
import { toE164 } from '../../assets/edge/phone.private';
import { rewriteTwilioUrl, isTwilioUrl } from '../../assets/twilio/gateway.private';
import { loadConfig } from '../../assets/runtime/config.private';
import { parseInboundSms } from '../../assets/edge/messaging-webhook.private';

describe('keywords', () => {
  it.each([
    ['STOP', undefined, 'opt_out'],
    [' stopall ', undefined, 'opt_out'],
    ['Quit', undefined, 'opt_out'],
    ['please stop texting me', undefined, undefined],
    ['start', undefined, 'opt_in'],
    ['YES', undefined, 'opt_in'],
    ['help', undefined, 'help'],
    ['Arrêt', 'STOP', 'opt_out'],
    ['hello', 'START', 'opt_in'],
  ])('%p with OptOutType %p is %p', (body, optOutType, expected) => {
    expect(keywordOf(body, optOutType)).toBe(expected);
  });
});

describe('phone numbers', () => {
  it('normalises to E.164 and rejects what is not a number', () => {
    expect(toE164('+1 (415) 555-0100')).toBe('+14155550100');
    expect(toE164('+34 612 34 56 78')).toBe('+34612345678');
    expect(toE164('not-a-number')).toBeUndefined();
    expect(toE164('12')).toBeUndefined();
  });

  it('are masked in logs, keeping the last four digits', () => {
    expect(maskPhoneNumbers('from +14155550100 to (415) 555-0199')).toBe('from +***0100 to ***0199');
    expect(maskPhoneNumbers('SM0123456789abcdef0123456789abcdef took 125 ms at 2026-11-24T20:10:34Z')).toBe(
      'SM0123456789abcdef0123456789abcdef took 125 ms at 2026-11-24T20:10:34Z',
    );
  });
});

describe('the Twilio URL seam', () => {
  it('moves https://<sub>.twilio.com<path> under the base URL', () => {
    const base = 'http://127.0.0.1:3001/';
    expect(rewriteTwilioUrl('https://sync.twilio.com/v1/Services', base)).toBe(
      'http://127.0.0.1:3001/sync/v1/Services',
    );
    expect(rewriteTwilioUrl('https://mcs.us1.twilio.com/v1/Services/IS1/Media', base)).toBe(
      'http://127.0.0.1:3001/mcs.us1/v1/Services/IS1/Media',
    );
    expect(rewriteTwilioUrl('https://example.com/x', base)).toBe('https://example.com/x');
    expect(rewriteTwilioUrl('https://api.twilio.com/2010-04-01', undefined)).toBe('https://api.twilio.com/2010-04-01');
  });

  it('only treats Twilio hosts as Twilio', () => {
    expect(isTwilioUrl('https://api.twilio.com/2010-04-01/Accounts')).toBe(true);
    expect(isTwilioUrl('https://api.twilio.com.evil.example/')).toBe(false);
    expect(isTwilioUrl('http://api.twilio.com/')).toBe(false);
  });
});

describe('configuration', () => {
  const valid = {
    ACCOUNT_SID: 'AC' + 'a'.repeat(32),
    AUTH_TOKEN: 'token',
    SYNC_SERVICE_SID: 'IS' + 'b'.repeat(32),
    CONVERSATIONS_SERVICE_SID: 'IS' + 'c'.repeat(32),
    FLEX_WORKSPACE_SID: 'WS' + 'd'.repeat(32),
    FLEX_WORKFLOW_SID: 'WW' + 'e'.repeat(32),
  };

  it('applies defaults and parses lists', () => {
    const config = loadConfig({ ...valid, FORBIDDEN_TOPICS: ' Lawsuit, legal action ,', SESSION_IDLE_MINUTES: '' });
    expect(config.SESSION_IDLE_MINUTES).toBe(180);
    expect(config.FORBIDDEN_TOPICS).toEqual(['lawsuit', 'legal action']);
    expect(config.AI_AGENT_NAME).toBe('AI Assistant');
  });

  it('names every setting that is wrong', () => {
    expect(() => loadConfig({ ...valid, SYNC_SERVICE_SID: 'nope', SESSION_IDLE_MINUTES: '-1' })).toThrow(
      /SYNC_SERVICE_SID.*SESSION_IDLE_MINUTES/,
    );
  });
});

describe('the Messaging webhook', () => {
  const params = {
    MessageSid: 'MM' + '0'.repeat(32),
    AccountSid: 'AC' + '1'.repeat(32),
    From: '+14155550100',
    To: '+15005550006',
    Body: 'Hi',
    NumMedia: '1',
    MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM0/Media/ME0',
    MediaContentType0: 'image/jpeg',
    SmsStatus: 'received',
  };

  it('parses a Twilio MMS webhook, ignoring parameters it does not know', () => {
    expect(parseInboundSms({ ...params, SomeNewTwilioField: 'x' })).toEqual({
      messageSid: params.MessageSid,
      from: '+14155550100',
      to: '+15005550006',
      body: 'Hi',
      media: [{ url: params.MediaUrl0, contentType: 'image/jpeg' }],
      optOutType: undefined,
    });
  });

  it('rejects more media than Twilio sends', () => {
    expect(() => parseInboundSms({ ...params, NumMedia: '11' })).toThrow(/Invalid Messaging webhook/);
  });
});
