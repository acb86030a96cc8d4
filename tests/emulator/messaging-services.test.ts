/**
 * Messaging Services in the emulator follow Twilio's inbound precedence: a number's Messaging Service decides
 * where its texts go (its InboundRequestUrl, the number's own SmsUrl when it defers, nowhere without either),
 * and a conversation that binds the contact still captures the text first; a Flex messaging address
 * (Conversations address configuration with autocreation) makes a conversation for a text none binds.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { type RunningEmulator, startEmulator } from '../../emulator';
import { control, controlOk, sdkClient } from '../../emulator/testing';
import { WebhookReceiver } from './webhook-receiver';

let emulator: RunningEmulator;
let client: TwilioClient;
let receiver: WebhookReceiver;

const CONTACT = '+14155550123';
const US_LONG_CODE = '+12025550142';

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  emulator = await startEmulator({ smsUrl: `${receiver.url}/sms` });
  receiver.authToken = emulator.account.authToken;
  client = sdkClient(emulator);
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

beforeEach(async () => {
  await controlOk(emulator, 'POST', '/reset');
  receiver.deliveries.length = 0;
});

async function numberSid(phoneNumber: string): Promise<string> {
  const [number] = await client.incomingPhoneNumbers.list({ phoneNumber });
  return number.sid;
}

it('sends a text to the service InboundRequestUrl, not the number SmsUrl, unless the service defers', async () => {
  const service = await client.messaging.v1.services.create({
    friendlyName: 'Notifications',
    inboundRequestUrl: `${receiver.url}/other-integration`,
  });
  await client.messaging.v1.services(service.sid).phoneNumbers.create({
    phoneNumberSid: await numberSid(emulator.phoneNumber),
  });
  expect(service.useInboundWebhookOnNumber).toBe(false);

  await controlOk(emulator, 'POST', '/sms', { from: CONTACT, body: 'to the service' });
  expect(receiver.at('/other-integration').map((d) => d.params.Body)).toEqual(['to the service']);
  expect(receiver.at('/sms')).toEqual([]);

  await client.messaging.v1.services(service.sid).update({ useInboundWebhookOnNumber: true });
  await controlOk(emulator, 'POST', '/sms', { from: CONTACT, body: 'to the number' });
  expect(receiver.at('/sms').map((d) => d.params.Body)).toEqual(['to the number']);
  expect(receiver.at('/sms')[0].signatureValid).toBe(true);
});

it('drops a text when the service neither has an InboundRequestUrl nor defers', async () => {
  await controlOk(emulator, 'POST', '/messaging-services', { numbers: [emulator.phoneNumber] });
  const answer = await control<{ error: string }>(emulator, 'POST', '/sms', { from: CONTACT, body: 'lost' });
  expect(answer.status).toBe(409);
  expect(answer.json.error).toMatch(/Messaging Service MG[0-9a-f]{32} has no URL/);
  expect(receiver.deliveries).toEqual([]);
});

it('keeps a number in one service, lists senders, campaigns and toll-free verifications as the spec shapes them', async () => {
  await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: US_LONG_CODE });
  const seeded = await controlOk<{ sid: string; campaignSid: string }>(emulator, 'POST', '/messaging-services', {
    numbers: [US_LONG_CODE],
    campaign: 'VERIFIED',
  });
  const senders = await client.messaging.v1.services(seeded.sid).phoneNumbers.list();
  expect(senders.map((s) => [s.phoneNumber, s.countryCode])).toEqual([[US_LONG_CODE, 'US']]);
  const [campaign] = await client.messaging.v1.services(seeded.sid).usAppToPerson.list();
  expect([campaign.sid, campaign.campaignStatus]).toEqual([seeded.campaignSid, 'VERIFIED']);

  const other = await client.messaging.v1.services.create({ friendlyName: 'Marketing' });
  await expect(
    client.messaging.v1.services(other.sid).phoneNumbers.create({ phoneNumberSid: senders[0].sid }),
  ).rejects.toMatchObject({ status: 409, code: 21712 });

  const tollfree = '+18445550100';
  await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: tollfree });
  await controlOk(emulator, 'POST', '/tollfree-verifications', { phoneNumber: tollfree, status: 'IN_REVIEW' });
  const verifications = await client.messaging.v1.tollfreeVerifications.list({
    tollfreePhoneNumberSid: await numberSid(tollfree),
  });
  expect(verifications.map((v) => v.status)).toEqual(['IN_REVIEW']);

  const violations = await controlOk<unknown[]>(emulator, 'GET', '/violations');
  expect(violations).toEqual([]);
});

it('makes a conversation for a text to a Flex messaging address that none binds; the number webhook fires too', async () => {
  const address = await client.conversations.v1.addressConfigurations.create({
    type: 'sms',
    address: emulator.phoneNumber,
    'autoCreation.enabled': true,
    'autoCreation.type': 'default',
  });
  await controlOk(emulator, 'POST', '/sms', { from: CONTACT, body: 'first' });
  await controlOk(emulator, 'POST', '/sms', { from: CONTACT, body: 'second' });
  const conversations = await client.conversations.v1.conversations.list();
  expect(conversations).toHaveLength(1); // the second text joins the conversation the first one made
  const messages = await client.conversations.v1.conversations(conversations[0].sid).messages.list();
  expect(messages.map((m) => [m.author, m.body])).toEqual([
    [CONTACT, 'first'],
    [CONTACT, 'second'],
  ]);
  expect(receiver.at('/sms').map((d) => d.params.Body)).toEqual(['first', 'second']);

  await client.conversations.v1.addressConfigurations(address.sid).remove();
  await controlOk(emulator, 'POST', '/sms', { from: '+14155550199', body: 'after' });
  expect(await client.conversations.v1.conversations.list()).toHaveLength(1);
});

it('forgets added numbers and services on reset', async () => {
  await controlOk(emulator, 'POST', '/phone-numbers', { phoneNumber: US_LONG_CODE });
  await controlOk(emulator, 'POST', '/messaging-services', { numbers: [US_LONG_CODE] });
  await controlOk(emulator, 'POST', '/reset');
  expect((await client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber)).toEqual([emulator.phoneNumber]);
  expect(await client.messaging.v1.services.list()).toEqual([]);
});
