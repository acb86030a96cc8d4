/**
 * Conversations address configurations (`/v1/Configuration/Addresses`): how Flex messaging addresses are made.
 * With autocreation on, a text to the address that no open conversation binds becomes a new conversation with
 * the contact as SMS participant (Flex's usually runs Studio → Send to Flex), while the number's own webhook
 * fires independently, as Twilio does both.
 */
import { notFound, TwilioError } from '../../errors';
import { v1Page } from '../../paging';
import { type ApiRequest, type ApiResult, inputOf } from '../../product';
import { isoDate, shape, twilioUrl } from '../../resources';
import { newSid } from '../../sid';
import type { Store } from '../../store';
import type { Message } from '../messaging/model';
import type { Conversations } from './engine';
import { SUB } from './render';

export const ADDRESSES = '/v1/Configuration/Addresses';

interface AddressInput {
  Type?: 'sms' | 'whatsapp' | 'messenger' | 'gbm' | 'email' | 'rcs' | 'apple' | 'chat';
  Address?: string;
  FriendlyName?: string;
  'AutoCreation.Enabled'?: boolean;
  'AutoCreation.Type'?: 'webhook' | 'studio' | 'default';
  'AutoCreation.ConversationServiceSid'?: string;
  'AutoCreation.WebhookUrl'?: string;
  'AutoCreation.WebhookMethod'?: string;
  'AutoCreation.WebhookFilters'?: string[];
  'AutoCreation.StudioFlowSid'?: string;
  'AutoCreation.StudioRetryCount'?: number;
}

interface AddressConfiguration {
  sid: string;
  type: string;
  address: string;
  friendlyName: string | null;
  autoCreation: {
    enabled: boolean;
    type: string;
    conversation_service_sid: string | null;
    webhook_url: string | null;
    webhook_method: string | null;
    webhook_filters: string[] | null;
    studio_flow_sid: string | null;
    studio_retry_count: number | null;
  };
  createdAt: number;
  updatedAt: number;
}

export class AddressConfigurations {
  private readonly addresses = new Map<string, AddressConfiguration>();

  constructor(private readonly store: Store) {}

  reset(): void {
    this.addresses.clear();
  }

  /** After a bound conversation had its chance: an address with autocreation makes a new one for the text. */
  autocreate(text: Message, conversations: Conversations): void {
    if (conversations.bindingHolder({ address: text.from, proxyAddress: text.to })) return;
    const config = [...this.addresses.values()].find((a) => a.address === text.to && a.autoCreation.enabled);
    if (!config) return;
    const serviceSid = config.autoCreation.conversation_service_sid ?? conversations.defaultServiceSid;
    const service = conversations.services.get(serviceSid);
    if (!service) return; // Twilio logs the failure; the text is not lost for the number's webhook
    const conversation = conversations.createConversation(service, { attributes: '{}', timers: {} });
    conversations.addParticipant(
      conversation,
      { attributes: '{}', binding: { address: text.from, proxyAddress: text.to } },
      true,
    );
    conversations.captureInbound(text);
  }

  create(req: ApiRequest): ApiResult {
    const input = inputOf<AddressInput>(req);
    const address = input.Address!;
    if ([...this.addresses.values()].some((a) => a.address === address && a.type === input.Type)) {
      throw new TwilioError(409, 50351, `An address configuration for ${address} already exists`);
    }
    const now = this.store.clock.now();
    const config: AddressConfiguration = {
      sid: newSid('IG'),
      type: input.Type!,
      address,
      friendlyName: input.FriendlyName ?? null,
      autoCreation: {
        enabled: false,
        type: 'default',
        conversation_service_sid: null,
        webhook_url: null,
        webhook_method: null,
        webhook_filters: null,
        studio_flow_sid: null,
        studio_retry_count: null,
      },
      createdAt: now,
      updatedAt: now,
    };
    this.apply(config, input);
    this.addresses.set(config.sid, config);
    return { status: 201, json: this.render(config) };
  }

  list(req: ApiRequest): ApiResult {
    const { Type } = inputOf<{ Type?: string }>(req);
    const all = [...this.addresses.values()].filter((a) => Type === undefined || a.type === Type);
    return { status: 200, json: v1Page(SUB, req, 'address_configurations', all, (a) => this.render(a)) };
  }

  fetch(req: ApiRequest): ApiResult {
    return { status: 200, json: this.render(this.find(req)) };
  }

  update(req: ApiRequest): ApiResult {
    const config = this.find(req);
    this.apply(config, inputOf<AddressInput>(req));
    config.updatedAt = this.store.clock.now();
    return { status: 200, json: this.render(config) };
  }

  delete(req: ApiRequest): ApiResult {
    this.addresses.delete(this.find(req).sid);
    return { status: 204 };
  }

  private find(req: ApiRequest): AddressConfiguration {
    const config = this.addresses.get(req.params.Sid);
    if (!config) throw notFound(req.path);
    return config;
  }

  private apply(config: AddressConfiguration, input: AddressInput): void {
    const auto = config.autoCreation;
    if (input.FriendlyName !== undefined) config.friendlyName = input.FriendlyName;
    if (input['AutoCreation.Enabled'] !== undefined) auto.enabled = input['AutoCreation.Enabled'];
    if (input['AutoCreation.Type'] !== undefined) auto.type = input['AutoCreation.Type'];
    auto.conversation_service_sid = input['AutoCreation.ConversationServiceSid'] ?? auto.conversation_service_sid;
    auto.webhook_url = input['AutoCreation.WebhookUrl'] ?? auto.webhook_url;
    auto.webhook_method = input['AutoCreation.WebhookMethod'] ?? auto.webhook_method;
    auto.webhook_filters = input['AutoCreation.WebhookFilters'] ?? auto.webhook_filters;
    auto.studio_flow_sid = input['AutoCreation.StudioFlowSid'] ?? auto.studio_flow_sid;
    auto.studio_retry_count = input['AutoCreation.StudioRetryCount'] ?? auto.studio_retry_count;
  }

  private render(config: AddressConfiguration) {
    return shape('conversations.v1.configuration_address', {
      sid: config.sid,
      account_sid: this.store.account.sid,
      type: config.type,
      address: config.address,
      friendly_name: config.friendlyName,
      auto_creation: config.autoCreation,
      date_created: isoDate(config.createdAt),
      date_updated: isoDate(config.updatedAt),
      url: twilioUrl(SUB, `${ADDRESSES}/${config.sid}`),
      address_country: null,
    });
  }
}
