/**
 * Messaging v1 (messaging.twilio.com): Messaging Services with their inbound settings and phone-number senders,
 * A2P 10DLC campaigns (`Compliance/Usa2p`) and toll-free verifications; control routes that seed the shapes
 * real accounts have (more numbers, a service holding them, a campaign, a verification).
 */
import { z } from 'zod';
import { ControlError, parseBody } from '../../control';
import { notFound } from '../../errors';
import { v1Page } from '../../paging';
import {
  type ApiRequest,
  type ApiResult,
  type ApiRoute,
  type ControlHandler,
  inputOf,
  type Product,
} from '../../product';
import type { Route } from '../../router';
import type { Store } from '../../store';
import type { Messaging } from '../messaging/engine';
import type { PhoneNumber } from '../messaging/model';
import { renderNumber } from '../messaging/render';
import { type CampaignStatus, type MessagingService, MessagingServices, type ServiceSettings } from './engine';
import { renderCampaign, renderSender, renderService, renderTollfreeVerification, SUB } from './render';

const SERVICES = '/v1/Services';
const SENDERS = `${SERVICES}/{ServiceSid}/PhoneNumbers`;
const CAMPAIGNS = `${SERVICES}/{MessagingServiceSid}/Compliance/Usa2p`;
const TOLLFREE = '/v1/Tollfree/Verifications';

interface CampaignInput {
  BrandRegistrationSid: string;
  Description: string;
  MessageFlow: string;
  MessageSamples: string[];
  UsAppToPersonUsecase: string;
  HasEmbeddedLinks: boolean;
  HasEmbeddedPhone: boolean;
}

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number');

const NumberBody = z.object({ phoneNumber: E164, smsUrl: z.string().optional() });

const ServiceBody = z.object({
  friendlyName: z.string().default('Contact center'),
  inboundRequestUrl: z.string().nullable().default(null),
  useInboundWebhookOnNumber: z.boolean().default(false),
  numbers: z.array(E164).default([]),
  /** Registers an A2P campaign in this status; none without it. */
  campaign: z.enum(['IN_PROGRESS', 'VERIFIED', 'FAILED']).optional(),
});

const TollfreeBody = z.object({
  phoneNumber: E164,
  status: z.enum(['PENDING_REVIEW', 'IN_REVIEW', 'TWILIO_APPROVED', 'TWILIO_REJECTED']),
});

export class MessagingServicesProduct implements Product {
  readonly sub = SUB;
  readonly services: MessagingServices;

  readonly routes: ApiRoute[] = [
    { method: 'POST', path: SERVICES, handler: (req) => this.createService(req) },
    { method: 'GET', path: SERVICES, handler: (req) => this.listServices(req) },
    { method: 'GET', path: `${SERVICES}/{Sid}`, handler: (req) => this.fetchService(req) },
    { method: 'POST', path: `${SERVICES}/{Sid}`, handler: (req) => this.updateService(req) },
    { method: 'DELETE', path: `${SERVICES}/{Sid}`, handler: (req) => this.deleteService(req) },
    { method: 'POST', path: SENDERS, handler: (req) => this.addSender(req) },
    { method: 'GET', path: SENDERS, handler: (req) => this.listSenders(req) },
    { method: 'GET', path: `${SENDERS}/{Sid}`, handler: (req) => this.fetchSender(req) },
    { method: 'DELETE', path: `${SENDERS}/{Sid}`, handler: (req) => this.removeSender(req) },
    { method: 'POST', path: CAMPAIGNS, handler: (req) => this.createCampaign(req) },
    { method: 'GET', path: CAMPAIGNS, handler: (req) => this.listCampaigns(req) },
    { method: 'GET', path: `${CAMPAIGNS}/{Sid}`, handler: (req) => this.fetchCampaign(req) },
    { method: 'GET', path: TOLLFREE, handler: (req) => this.listTollfreeVerifications(req) },
    { method: 'GET', path: `${TOLLFREE}/{Sid}`, handler: (req) => this.fetchTollfreeVerification(req) },
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    { method: 'POST', path: '/__emulator/phone-numbers', handler: ({ body }) => this.seedNumber(body) },
    { method: 'POST', path: '/__emulator/messaging-services', handler: ({ body }) => this.seedService(body) },
    { method: 'POST', path: '/__emulator/tollfree-verifications', handler: ({ body }) => this.seedTollfree(body) },
  ];

  constructor(
    private readonly store: Store,
    private readonly messaging: Messaging,
  ) {
    this.services = new MessagingServices(store.clock, messaging);
  }

  reset(): void {
    this.services.reset();
  }

  // Services

  private createService(req: ApiRequest): ApiResult {
    const service = this.services.create(inputOf<Partial<ServiceSettings> & { FriendlyName: string }>(req));
    return { status: 201, json: renderService(this.accountSid, service) };
  }

  private listServices(req: ApiRequest): ApiResult {
    const all = [...this.services.services.values()];
    return { status: 200, json: v1Page(SUB, req, 'services', all, (s) => renderService(this.accountSid, s)) };
  }

  private fetchService(req: ApiRequest): ApiResult {
    return { status: 200, json: renderService(this.accountSid, this.service(req, req.params.Sid)) };
  }

  private updateService(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.Sid);
    this.services.update(service, inputOf<Partial<ServiceSettings>>(req));
    return { status: 200, json: renderService(this.accountSid, service) };
  }

  private deleteService(req: ApiRequest): ApiResult {
    this.services.delete(this.service(req, req.params.Sid));
    return { status: 204 };
  }

  private service(req: ApiRequest, sid: string): MessagingService {
    const service = this.services.services.get(sid);
    if (!service) throw notFound(req.path);
    return service;
  }

  // Senders

  private addSender(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const { PhoneNumberSid } = inputOf<{ PhoneNumberSid: string }>(req);
    const number = this.messaging.numbers.get(PhoneNumberSid);
    if (!number) throw notFound(`/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers/${PhoneNumberSid}`);
    this.services.addSender(service, number);
    return { status: 201, json: renderSender(this.accountSid, service.sid, number, this.store.clock.now()) };
  }

  private listSenders(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const json = v1Page(SUB, req, 'phone_numbers', service.senders, (sender) =>
      renderSender(this.accountSid, service.sid, this.number(sender.numberSid), sender.addedAt),
    );
    return { status: 200, json };
  }

  private fetchSender(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    const sender = service.senders.find((s) => s.numberSid === req.params.Sid);
    if (!sender) throw notFound(req.path);
    return {
      status: 200,
      json: renderSender(this.accountSid, service.sid, this.number(sender.numberSid), sender.addedAt),
    };
  }

  private removeSender(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.ServiceSid);
    if (!this.services.removeSender(service, req.params.Sid)) throw notFound(req.path);
    return { status: 204 };
  }

  private number(sid: string): PhoneNumber {
    const number = this.messaging.numbers.get(sid);
    if (!number) throw new Error(`Sender ${sid} is not a number of the account`);
    return number;
  }

  // A2P 10DLC campaigns: registered as IN_PROGRESS; the carriers' vetting is played with the control API.

  private createCampaign(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.MessagingServiceSid);
    const input = inputOf<CampaignInput>(req);
    const campaign = this.services.addCampaign({
      serviceSid: service.sid,
      brandRegistrationSid: input.BrandRegistrationSid,
      description: input.Description,
      messageFlow: input.MessageFlow,
      messageSamples: input.MessageSamples,
      usecase: input.UsAppToPersonUsecase,
      hasEmbeddedLinks: input.HasEmbeddedLinks,
      hasEmbeddedPhone: input.HasEmbeddedPhone,
      status: 'IN_PROGRESS',
    });
    return { status: 201, json: renderCampaign(this.accountSid, campaign) };
  }

  private listCampaigns(req: ApiRequest): ApiResult {
    const service = this.service(req, req.params.MessagingServiceSid);
    const campaigns = this.services.campaignsOf(service.sid);
    return { status: 200, json: v1Page(SUB, req, 'compliance', campaigns, (c) => renderCampaign(this.accountSid, c)) };
  }

  private fetchCampaign(req: ApiRequest): ApiResult {
    const campaign = this.services.campaigns.get(req.params.Sid);
    if (!campaign || campaign.serviceSid !== req.params.MessagingServiceSid) throw notFound(req.path);
    return { status: 200, json: renderCampaign(this.accountSid, campaign) };
  }

  // Toll-free verifications

  private listTollfreeVerifications(req: ApiRequest): ApiResult {
    const { TollfreePhoneNumberSid, Status } = inputOf<{ TollfreePhoneNumberSid?: string; Status?: string }>(req);
    const verifications = [...this.services.tollfreeVerifications.values()].filter(
      (v) =>
        (TollfreePhoneNumberSid === undefined || v.numberSid === TollfreePhoneNumberSid) &&
        (Status === undefined || v.status === Status),
    );
    const json = v1Page(SUB, req, 'verifications', verifications, (v) =>
      renderTollfreeVerification(this.accountSid, v),
    );
    return { status: 200, json };
  }

  private fetchTollfreeVerification(req: ApiRequest): ApiResult {
    const verification = this.services.tollfreeVerifications.get(req.params.Sid);
    if (!verification) throw notFound(req.path);
    return { status: 200, json: renderTollfreeVerification(this.accountSid, verification) };
  }

  // Control: the shapes of real accounts

  private seedNumber(body: unknown) {
    const { phoneNumber, smsUrl } = parseBody(NumberBody, body);
    if (this.messaging.numberByPhone(phoneNumber)) {
      throw new ControlError(409, `${phoneNumber} is already a number of this account`);
    }
    return { status: 201, json: renderNumber(this.accountSid, this.messaging.addNumber(phoneNumber, smsUrl)) };
  }

  private seedService(body: unknown) {
    const seed = parseBody(ServiceBody, body);
    const numbers = seed.numbers.map((phoneNumber) => {
      const number = this.messaging.numberByPhone(phoneNumber);
      if (!number) throw new ControlError(404, `${phoneNumber} is not a number of this account`);
      const owner = this.services.serviceOf(number.sid);
      if (owner) throw new ControlError(409, `${phoneNumber} is already in Messaging Service ${owner.sid}`);
      return number;
    });
    const service = this.services.create({
      FriendlyName: seed.friendlyName,
      InboundRequestUrl: seed.inboundRequestUrl,
      UseInboundWebhookOnNumber: seed.useInboundWebhookOnNumber,
    });
    for (const number of numbers) this.services.addSender(service, number);
    const campaign = seed.campaign && this.seedCampaign(service, seed.campaign);
    return { status: 201, json: { sid: service.sid, campaignSid: campaign ? campaign.sid : null } };
  }

  private seedCampaign(service: MessagingService, status: CampaignStatus) {
    return this.services.addCampaign({
      serviceSid: service.sid,
      brandRegistrationSid: `BN${'0'.repeat(32)}`,
      description: 'Customer care conversations by SMS',
      messageFlow: 'Customers text our support number first',
      messageSamples: ['Hi, how can we help?', 'A rep will text you shortly.'],
      usecase: 'CUSTOMER_CARE',
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
      status,
    });
  }

  private seedTollfree(body: unknown) {
    const { phoneNumber, status } = parseBody(TollfreeBody, body);
    const number = this.messaging.numberByPhone(phoneNumber);
    if (!number) throw new ControlError(404, `${phoneNumber} is not a number of this account`);
    const verification = this.services.addTollfreeVerification(number, status);
    return { status: 201, json: { sid: verification.sid } };
  }

  private get accountSid(): string {
    return this.store.account.sid;
  }
}
