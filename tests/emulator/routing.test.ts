import { compileTemplate, matchTemplate, RouteTable } from '../../emulator/router';
import { findOperation } from '../../emulator/specs';
import { parseMessagingTwiml, TwimlError } from '../../emulator/twiml';

describe('path templates', () => {
  it('match whole paths and decode their parameters', () => {
    const template = compileTemplate('/v1/Services/{ServiceSid}/Maps/{MapSid}/Items/{Key}');
    expect(matchTemplate(template, '/v1/Services/IS1/Maps/contacts/Items/a%20b%2Fc')).toEqual({
      ServiceSid: 'IS1',
      MapSid: 'contacts',
      Key: 'a b/c',
    });
    expect(matchTemplate(template, '/v1/Services/IS1/Maps/contacts/Items')).toBeUndefined();
    expect(matchTemplate(compileTemplate('/x/{Sid}.json'), '/x/SM1.json')).toEqual({ Sid: 'SM1' });
    expect(matchTemplate(compileTemplate('/x/{Sid}.json'), '/x/SM1xjson')).toBeUndefined();
  });

  it('prefer literal segments, and tell a wrong method from a missing path', () => {
    const table = new RouteTable([
      { method: 'GET', path: '/n/{Sid}.json', handler: 'by sid' },
      { method: 'GET', path: '/n/Local.json', handler: 'local' },
    ]);
    expect(table.match('GET', '/n/Local.json')).toMatchObject({ kind: 'found', handler: 'local' });
    expect(table.match('GET', '/n/PN1.json')).toMatchObject({
      kind: 'found',
      handler: 'by sid',
      params: { Sid: 'PN1' },
    });
    expect(table.match('POST', '/n/PN1.json')).toEqual({ kind: 'method-not-allowed' });
    expect(table.match('GET', '/elsewhere')).toEqual({ kind: 'not-found' });
  });

  it('find spec operations by product host, path and method', () => {
    const local = findOperation('api', 'GET', '/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/Local.json');
    expect(local).toMatchObject({
      kind: 'found',
      handler: { operation: { operationId: 'ListIncomingPhoneNumberLocal' } },
    });
    const item = findOperation('sync', 'POST', '/v1/Services/IS1/Maps/MP1/Items/k');
    expect(item).toMatchObject({
      kind: 'found',
      handler: { template: '/v1/Services/{ServiceSid}/Maps/{MapSid}/Items/{Key}' },
    });
    expect(findOperation('flex-api', 'POST', '/v1/Interactions').kind).toBe('found');
    expect(findOperation('sync', 'PUT', '/v1/Services').kind).toBe('method-not-allowed');
    expect(findOperation('mcs.us1', 'POST', '/v1/Services/IS1/Media').kind).toBe('not-found');
  });
});

describe('messaging TwiML', () => {
  it('reads messages as text or Body/Media nouns, with entities and attributes', () => {
    const twiml = `<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <Message>Fish &amp; chips: 42</Message>
        <Message to="+14155550100"><Body>See this</Body><Media> https://example.com/a.png </Media></Message>
      </Response>`;
    expect(parseMessagingTwiml(twiml)).toEqual([
      { body: 'Fish & chips: 42', media: [], to: undefined, from: undefined },
      { body: 'See this', media: ['https://example.com/a.png'], to: '+14155550100', from: undefined },
    ]);
    expect(parseMessagingTwiml('<Response/>')).toEqual([]);
  });

  it('refuses what Twilio could not parse', () => {
    expect(() => parseMessagingTwiml('<Response><Message>open</Response>')).toThrow(TwimlError);
    expect(() => parseMessagingTwiml('<Reply>hi</Reply>')).toThrow(/no <Response>/);
  });
});
