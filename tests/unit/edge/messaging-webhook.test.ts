import { parseInboundSms } from '../../../assets/edge/messaging-webhook.private';

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
