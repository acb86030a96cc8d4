/** API v2010 JSON for Messaging's resources: RFC 2822 dates, relative `uri`s, counts as strings. */
import { rfc2822Date, shape, snakeCaseKeys, twilioUrl } from '../../resources';
import type { EmulatorAccount } from '../../store';
import { segmentCount } from './segments';
import type { Media, Message, PhoneNumber } from './model';

export const API_VERSION = '2010-04-01';

function accountPath(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}`;
}

export function renderAccount(account: EmulatorAccount, createdAt: number) {
  const path = accountPath(account.sid);
  return shape('api.v2010.account', {
    auth_token: account.authToken,
    date_created: rfc2822Date(createdAt),
    date_updated: rfc2822Date(createdAt),
    friendly_name: 'Flex SMS Handoff (emulator)',
    owner_account_sid: account.sid,
    sid: account.sid,
    status: 'active',
    subresource_uris: {
      incoming_phone_numbers: `${path}/IncomingPhoneNumbers.json`,
      messages: `${path}/Messages.json`,
    },
    type: 'Full',
    uri: `${path}.json`,
  });
}

/** Where the media's bytes are downloaded (with basic auth), as in the webhook's `MediaUrl{N}`. */
export function mediaUrl(accountSid: string, media: Media): string {
  return twilioUrl('api', `${accountPath(accountSid)}/Messages/${media.messageSid}/Media/${media.sid}`);
}

export function renderMessage(accountSid: string, message: Message) {
  const path = `${accountPath(accountSid)}/Messages/${message.sid}`;
  return shape('api.v2010.account.message', {
    body: message.body,
    num_segments: String(segmentCount(message.body)),
    direction: message.direction,
    from: message.from,
    to: message.to,
    date_updated: rfc2822Date(message.sentAt),
    error_message: message.errorMessage,
    uri: `${path}.json`,
    account_sid: accountSid,
    num_media: String(message.direction === 'inbound' ? message.media.length : message.mediaUrls.length),
    status: message.status,
    messaging_service_sid: message.messagingServiceSid,
    sid: message.sid,
    date_sent: rfc2822Date(message.sentAt),
    date_created: rfc2822Date(message.createdAt),
    error_code: message.errorCode,
    price_unit: 'USD',
    api_version: API_VERSION,
    subresource_uris: { media: `${path}/Media.json`, feedback: `${path}/Feedback.json` },
  });
}

export function renderMedia(accountSid: string, media: Media) {
  return shape('api.v2010.account.message.media', {
    account_sid: accountSid,
    content_type: media.contentType,
    date_created: rfc2822Date(media.createdAt),
    date_updated: rfc2822Date(media.createdAt),
    parent_sid: media.messageSid,
    sid: media.sid,
    uri: `${accountPath(accountSid)}/Messages/${media.messageSid}/Media/${media.sid}.json`,
  });
}

export function renderNumber(accountSid: string, number: PhoneNumber) {
  return shape('api.v2010.account.incoming_phone_number', {
    ...snakeCaseKeys(number.settings),
    account_sid: accountSid,
    address_requirements: 'none',
    api_version: API_VERSION,
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822Date(number.createdAt),
    date_updated: rfc2822Date(number.updatedAt),
    phone_number: number.phoneNumber,
    origin: 'twilio',
    sid: number.sid,
    uri: `${accountPath(accountSid)}/IncomingPhoneNumbers/${number.sid}.json`,
    voice_receive_mode: 'voice',
    voice_caller_id_lookup: false,
    emergency_status: 'Inactive',
    emergency_address_status: 'unregistered',
    status: 'in-use',
    type: 'local',
  });
}
