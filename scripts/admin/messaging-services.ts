/**
 * Where texts to the handoff's numbers really go, and whether carriers deliver what it sends from them.
 *
 * A number in a Messaging Service (every US 10DLC number is, for its A2P campaign) follows the service's inbound
 * settings, not its own SMS URL: the service's InboundRequestUrl wins unless the service defers to its senders
 * (UseInboundWebhookOnNumber), and without either Twilio drops the text. Setup makes the service defer; when the
 * service has other senders, it first gives each of them the service's URL as its own, so their texts keep
 * going where they went (with --force only, as with another deployment's webhook).
 *
 * Compliance is reported, never waived or blocked: a US long code needs a verified A2P 10DLC campaign on its
 * service, a toll-free number an approved verification; registration is between the customer and Twilio.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { ENDPOINTS, endpointUrl, hostOf } from './deployment';
import { type FieldChange, LARGEST_PAGE, type Step } from './step';
import type { AccountNumber } from './numbers';

export interface ServiceSender {
  sid: string;
  phoneNumber: string;
}

export interface MessagingServiceInfo {
  sid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  inboundMethod: string | null;
  useInboundWebhookOnNumber: boolean;
  senders: ServiceSender[];
}

/** Every Messaging Service of the account with its phone-number senders (Twilio has no lookup by number). */
export async function readMessagingServices(client: TwilioClient): Promise<MessagingServiceInfo[]> {
  const services = await retryOnServerError(() => client.messaging.v1.services.list({ pageSize: LARGEST_PAGE }));
  return Promise.all(
    services.map(async (service) => {
      const senders = await retryOnServerError(() =>
        client.messaging.v1.services(service.sid).phoneNumbers.list({ pageSize: LARGEST_PAGE }),
      );
      return {
        sid: service.sid,
        friendlyName: service.friendlyName,
        inboundRequestUrl: service.inboundRequestUrl || null,
        inboundMethod: service.inboundMethod,
        useInboundWebhookOnNumber: service.useInboundWebhookOnNumber === true,
        senders: senders.map(({ sid, phoneNumber }) => ({ sid, phoneNumber })),
      };
    }),
  );
}

export function serviceOf(
  services: readonly MessagingServiceInfo[],
  numberSid: string,
): MessagingServiceInfo | undefined {
  return services.find((service) => service.senders.some((sender) => sender.sid === numberSid));
}

const list = (items: readonly string[]) => items.join(', ');

/**
 * The service holding some of the handoff's numbers (`ours`): fine when it defers to them, or sends its texts
 * to this deployment; otherwise setup makes it defer, keeping its other senders' texts where they went.
 */
export function messagingServiceStep(
  client: TwilioClient,
  service: MessagingServiceInfo,
  ours: readonly AccountNumber[],
  others: readonly AccountNumber[],
  domain: string | undefined,
): Step {
  const numbers = list(ours.map((n) => n.phoneNumber));
  const subject = `Messaging Service "${service.friendlyName}" (${service.sid}) of ${numbers}`;
  const base = { id: 'messaging-service', subject, setting: true };
  if (service.useInboundWebhookOnNumber) {
    return { ...base, status: 'ok', detail: `defers to its numbers' own SMS URLs (${numbers})`, changes: [] };
  }
  const current = service.inboundRequestUrl;
  const sms = domain && endpointUrl(domain, 'sms');
  if (sms && current === sms) {
    return { ...base, status: 'ok', detail: `sends texts to ${numbers} to ${sms}`, changes: [] };
  }
  const where = current ? `to ${current}` : 'nowhere: it drops them (no incoming-message URL)';
  const consequence =
    `No Flex task will be created: texts to ${numbers} go ${where}, not to ${ENDPOINTS.sms}; ` +
    "a number in a Messaging Service follows the service's incoming-message setting, not its own SMS URL";
  const detail = `its incoming-message setting sends texts ${where}, not to the numbers' own SMS URLs`;
  if (!domain) {
    const fix = 'Pass --domain <your service domain>, or deploy first (npm run deploy)';
    return { ...base, status: 'broken', detail, consequence, fix, changes: [] };
  }
  const defer: FieldChange = { field: 'UseInboundWebhookOnNumber', from: 'false', to: 'true' };
  // Deferring would change where the other senders' texts go: each first gets the service's URL as its own.
  const moved = current ? others.filter((n) => n.smsUrl !== current) : others;
  const keep: FieldChange[] = current
    ? moved.map((n) => ({ field: `${n.phoneNumber} SmsUrl`, from: n.smsUrl, to: current }))
    : [];
  const changes = [...keep, defer];
  const apply = async () => {
    for (const number of current ? moved : []) {
      await client
        .incomingPhoneNumbers(number.sid)
        .update({ smsUrl: current!, smsMethod: service.inboundMethod ?? 'POST' });
    }
    await client.messaging.v1.services(service.sid).update({ useInboundWebhookOnNumber: true });
    return `defers to its numbers' own SMS URLs${keep.length ? `; kept ${list(moved.map((n) => n.phoneNumber))} on ${current}` : ''}`;
  };
  if (others.length === 0) {
    return {
      ...base,
      status: 'fixable',
      detail,
      consequence,
      fix: 'npm run setup',
      changes,
      action: 'make it defer to its numbers',
      apply,
    };
  }
  const otherNumbers = list(others.map((n) => n.phoneNumber));
  const elsewhere = hostOf(current);
  return {
    ...base,
    status: 'conflict',
    detail: `${detail}; it also serves ${otherNumbers}`,
    consequence,
    fix: `npm run setup -- --force makes it defer to its numbers, ${
      current
        ? `first setting ${otherNumbers} to ${current} so their texts still go to ${elsewhere}`
        : `after which ${otherNumbers} use their own SMS URLs instead of being dropped`
    }; or take ${numbers} out of the service (Console → Messaging → Services → ${service.friendlyName} → Sender Pool)`,
    changes,
    action: 'make it defer to its numbers',
    apply,
  };
}

const A2P_DOCS = 'https://www.twilio.com/docs/messaging/compliance/a2p-10dlc';
const TOLLFREE_DOCS = 'https://www.twilio.com/docs/messaging/compliance/toll-free/console-onboarding';

type NumberKind = 'us-long-code' | 'toll-free' | 'other';

/** US long codes (10DLC) and North American toll-free numbers are the ones carriers register. */
export function numberKind(phoneNumber: string): NumberKind {
  const parsed = parsePhoneNumberFromString(phoneNumber);
  if (!parsed || parsed.countryCallingCode !== '1') return 'other';
  const type = parsed.getType();
  if (type === 'TOLL_FREE') return 'toll-free';
  const local = type === 'FIXED_LINE' || type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
  return local && parsed.country === 'US' ? 'us-long-code' : 'other';
}

/** A warning: the handoff works, but carriers may filter what it sends. Never blocks setup or the doctor. */
function complianceWarning(subject: string, detail: string, consequence: string, fix: string): Step {
  return { id: 'compliance', subject, status: 'warning', detail, consequence, fix, changes: [] };
}

export async function complianceStep(
  client: TwilioClient,
  number: AccountNumber,
  service: MessagingServiceInfo | undefined,
): Promise<Step | undefined> {
  const kind = numberKind(number.phoneNumber);
  if (kind === 'other') return undefined;
  if (kind === 'us-long-code') {
    const subject = `A2P 10DLC registration of ${number.phoneNumber}`;
    const consequence =
      'US carriers filter texts from an unregistered number: contacts may not get the AI’s answers or the reps’ ' +
      'replies (error 30034)';
    const fix = `Register a campaign: Console → Messaging → Regulatory Compliance → A2P 10DLC (${A2P_DOCS})`;
    if (!service) {
      const detail = 'the number is in no Messaging Service, so no A2P campaign covers it';
      return complianceWarning(subject, detail, consequence, `Add it to a Messaging Service with a campaign. ${fix}`);
    }
    const campaigns = await retryOnServerError(() => client.messaging.v1.services(service.sid).usAppToPerson.list());
    const verified = campaigns.find((campaign) => campaign.campaignStatus === 'VERIFIED');
    if (verified)
      return { id: 'compliance', subject, status: 'ok', detail: `campaign ${verified.sid} is verified`, changes: [] };
    const detail = campaigns.length
      ? `the campaign of Messaging Service ${service.sid} is ${list(campaigns.map((c) => c.campaignStatus ?? 'unknown'))}, not VERIFIED`
      : `Messaging Service ${service.sid} has no A2P 10DLC campaign`;
    return complianceWarning(subject, detail, consequence, fix);
  }
  const subject = `Toll-free verification of ${number.phoneNumber}`;
  const verifications = await retryOnServerError(() =>
    client.messaging.v1.tollfreeVerifications.list({ tollfreePhoneNumberSid: number.sid }),
  );
  if (verifications.some((v) => v.status === 'TWILIO_APPROVED')) {
    return { id: 'compliance', subject, status: 'ok', detail: 'approved', changes: [] };
  }
  const detail = verifications.length
    ? `the verification is ${list(verifications.map((v) => v.status))}, not approved`
    : 'the number has no toll-free verification';
  return complianceWarning(
    subject,
    detail,
    'Carriers block texts from an unverified toll-free number: contacts may not get the AI’s answers or the reps’ replies (error 30032)',
    `Submit a verification: Console → Messaging → Regulatory Compliance → Toll-Free Verifications (${TOLLFREE_DOCS})`,
  );
}

export interface FlexAddress {
  sid: string;
  address: string;
  friendlyName: string | null;
  autoCreation: { type?: string; studio_flow_sid?: string | null; conversation_service_sid?: string | null };
}

/** The SMS address configurations with autocreation on: Flex messaging addresses, in Flex's words. */
export async function readFlexAddresses(client: TwilioClient): Promise<FlexAddress[]> {
  const addresses = await retryOnServerError(() => client.conversations.v1.addressConfigurations.list({ type: 'sms' }));
  return addresses
    .map(({ sid, address, friendlyName, autoCreation }) => ({
      sid,
      address,
      friendlyName,
      autoCreation: (autoCreation ?? {}) as FlexAddress['autoCreation'] & { enabled?: boolean },
    }))
    .filter((a) => a.autoCreation.enabled === true);
}

/**
 * A number that is also a Flex messaging address: every text no conversation holds opens a Flex conversation and
 * task of its own, beside the AI. Setup removes the address only with a yes, printing how to restore it.
 */
export function flexAddressStep(client: TwilioClient, number: AccountNumber, address: FlexAddress): Step {
  const { type = 'default', studio_flow_sid: flow, conversation_service_sid: service } = address.autoCreation;
  const name = address.friendlyName ? `"${address.friendlyName}" ` : '';
  const what = `autocreation ${type}${flow ? ` to Studio flow ${flow}` : ''}${service ? ` in ${service}` : ''}`;
  const restore = [
    'Type=sms',
    `Address=${address.address}`,
    ...(address.friendlyName ? [`FriendlyName=${address.friendlyName}`] : []),
    'AutoCreation.Enabled=true',
    `AutoCreation.Type=${type}`,
    ...(flow ? [`AutoCreation.StudioFlowSid=${flow}`] : []),
    ...(service ? [`AutoCreation.ConversationServiceSid=${service}`] : []),
  ].join(' ');
  return {
    id: 'flex-address',
    subject: `Flex messaging address ${number.phoneNumber}`,
    setting: true,
    status: 'fixable',
    detail: `${number.phoneNumber} is a Flex messaging address ${name}(${address.sid}, ${what})`,
    consequence:
      `Texts to ${number.phoneNumber} bypass the AI: each new contact opens a Flex conversation and task ` +
      'straight away (Conversations autocreation), beside the AI answering the same text',
    fix: 'npm run setup -- --yes removes the address and prints how to restore it (Console → Flex → Messaging)',
    changes: [{ field: `Conversations address ${address.sid}`, from: what, to: '(removed)' }],
    confirm: `Remove the Flex messaging address ${number.phoneNumber} (${address.sid}) so its texts reach the AI first?`,
    action: 'remove it',
    apply: async () => {
      await client.conversations.v1.addressConfigurations(address.sid).remove();
      return `removed ${address.sid} (${what}); to restore it: POST https://conversations.twilio.com/v1/Configuration/Addresses ${restore}`;
    },
  };
}
