import {
  conversationsMediaUrl,
  isPermanentError,
  isServerError,
  isTwilioUrl,
  readConversationAttributes,
  readTwilioError,
  retryOnServerError,
  rewriteTwilioUrl,
  writeConversationAttributes,
} from '../../../assets/twilio/gateway.private';

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

describe('a Twilio failure', () => {
  const answered = Object.assign(new Error('The requested resource was not found'), { status: 404, code: 20404 });

  it('reads as status, code and message, also when Twilio was never reached', () => {
    expect(readTwilioError(answered)).toEqual({
      status: 404,
      code: 20404,
      message: 'The requested resource was not found',
    });
    expect(readTwilioError(new Error('socket hang up'))).toEqual({ message: 'socket hang up' });
    expect(readTwilioError(undefined)).toEqual({ message: 'undefined' });
  });

  it('is permanent for a 4xx other than a rate limit, a server error for a 5xx', () => {
    expect(isPermanentError(answered)).toBe(true);
    expect(isPermanentError({ status: 429, code: 20429 })).toBe(false);
    expect(isPermanentError({ status: 503 })).toBe(false);
    expect(isPermanentError(new Error('socket hang up'))).toBe(false);
    expect(isServerError({ status: 503 })).toBe(true);
    expect(isServerError(answered)).toBe(false);
  });

  it('is retried on a 5xx only', async () => {
    const serverError = jest.fn().mockRejectedValueOnce({ status: 500 }).mockResolvedValue('ok');
    await expect(retryOnServerError(serverError)).resolves.toBe('ok');
    expect(serverError).toHaveBeenCalledTimes(2);
    const notFound = jest.fn().mockRejectedValue(answered);
    await expect(retryOnServerError(notFound)).rejects.toBe(answered);
    expect(notFound).toHaveBeenCalledTimes(1);
  });
});

describe("a handoff conversation's attributes", () => {
  it('are read back as the handoff wrote them', () => {
    const attributes = { contact: '+14155550100', sessionId: 'm3k9x2abc', attempt: 2 };
    expect(readConversationAttributes(writeConversationAttributes(attributes))).toEqual(attributes);
  });

  it('are empty, not an error, for anyone else or for attributes that are not JSON', () => {
    expect(readConversationAttributes('{"contact": 14155550100, "attempt": "2"}')).toEqual({});
    expect(readConversationAttributes('{not json')).toEqual({});
    expect(readConversationAttributes('[]')).toEqual({});
    expect(readConversationAttributes(null)).toEqual({});
  });
});

describe('conversation media', () => {
  it('live in the Media Content Service of the Conversations service', () => {
    expect(conversationsMediaUrl('IS1')).toBe('https://mcs.us1.twilio.com/v1/Services/IS1/Media');
    expect(conversationsMediaUrl('IS1', 'ME1')).toBe('https://mcs.us1.twilio.com/v1/Services/IS1/Media/ME1/Content');
  });
});
