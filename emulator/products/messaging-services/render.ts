/** Messaging v1 JSON for services, their senders, campaigns and toll-free verifications. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { isoDate, shape, snakeCaseKeys, twilioUrl } from '../../resources';
import type { PhoneNumber } from '../messaging/model';
import type { Campaign, MessagingService, TollfreeVerification } from './engine';

export const SUB = 'messaging';

const servicePath = (sid: string) => `/v1/Services/${sid}`;

export function renderService(accountSid: string, service: MessagingService) {
  const url = twilioUrl(SUB, servicePath(service.sid));
  const { UseInboundWebhookOnNumber, ...settings } = service.settings;
  return shape('messaging.v1.service', {
    ...snakeCaseKeys(settings),
    sid: service.sid,
    account_sid: accountSid,
    date_created: isoDate(service.createdAt),
    date_updated: isoDate(service.updatedAt),
    use_inbound_webhook_on_number: UseInboundWebhookOnNumber,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: 'inherit',
    fallback_to_long_code: true,
    area_code_geomatch: true,
    synchronous_validation: false,
    validity_period: 36000,
    us_app_to_person_registered: false,
    url,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
    },
  });
}

export function renderSender(accountSid: string, serviceSid: string, number: PhoneNumber, addedAt: number) {
  return shape('messaging.v1.service.phone_number', {
    sid: number.sid,
    account_sid: accountSid,
    service_sid: serviceSid,
    date_created: isoDate(addedAt),
    date_updated: isoDate(addedAt),
    phone_number: number.phoneNumber,
    country_code: parsePhoneNumberFromString(number.phoneNumber)?.country ?? null,
    capabilities: ['SMS', 'MMS'],
    url: twilioUrl(SUB, `${servicePath(serviceSid)}/PhoneNumbers/${number.sid}`),
  });
}

export function renderCampaign(accountSid: string, campaign: Campaign) {
  return shape('messaging.v1.service.us_app_to_person', {
    sid: campaign.sid,
    account_sid: accountSid,
    brand_registration_sid: campaign.brandRegistrationSid,
    messaging_service_sid: campaign.serviceSid,
    description: campaign.description,
    message_samples: campaign.messageSamples,
    us_app_to_person_usecase: campaign.usecase,
    has_embedded_links: campaign.hasEmbeddedLinks,
    has_embedded_phone: campaign.hasEmbeddedPhone,
    subscriber_opt_in: true,
    age_gated: false,
    direct_lending: false,
    campaign_status: campaign.status,
    campaign_id: campaign.status === 'VERIFIED' ? `C${campaign.sid.slice(2, 8).toUpperCase()}` : null,
    is_externally_registered: false,
    message_flow: campaign.messageFlow,
    opt_in_keywords: [],
    opt_out_keywords: [],
    help_keywords: [],
    date_created: isoDate(campaign.createdAt),
    date_updated: isoDate(campaign.updatedAt),
    url: twilioUrl(SUB, `${servicePath(campaign.serviceSid)}/Compliance/Usa2p/${campaign.sid}`),
    mock: false,
    errors: [],
  });
}

export function renderTollfreeVerification(accountSid: string, verification: TollfreeVerification) {
  return shape('messaging.v1.tollfree_verification', {
    sid: verification.sid,
    account_sid: accountSid,
    date_created: isoDate(verification.createdAt),
    date_updated: isoDate(verification.updatedAt),
    tollfree_phone_number_sid: verification.numberSid,
    tollfree_phone_number: verification.phoneNumber,
    status: verification.status,
    url: twilioUrl(SUB, `/v1/Tollfree/Verifications/${verification.sid}`),
  });
}
