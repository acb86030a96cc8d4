/**
 * Messaging Services as a real account has them: senders (the account's numbers, each in at most one service),
 * the inbound settings that decide where a text to a sender goes, A2P 10DLC campaigns and toll-free
 * verifications. Their inbound rule is what `Messaging` asks before it delivers a text.
 */
import type { Clock } from '../../clock';
import { TwilioError } from '../../errors';
import { newSid } from '../../sid';
import type { Messaging } from '../messaging/engine';
import type { InboundTarget, PhoneNumber } from '../messaging/model';

/** The service's settings the emulator keeps, named as the Services parameters that set them. */
export interface ServiceSettings {
  FriendlyName: string;
  InboundRequestUrl: string | null;
  InboundMethod: string;
  FallbackUrl: string | null;
  FallbackMethod: string;
  StatusCallback: string | null;
  Usecase: string;
  UseInboundWebhookOnNumber: boolean;
}

export interface MessagingService {
  sid: string;
  settings: ServiceSettings;
  /** The numbers' SIDs (PN…), in the order they were added. */
  senders: { numberSid: string; addedAt: number }[];
  createdAt: number;
  updatedAt: number;
}

/** Campaign status as Twilio reports it; only VERIFIED lets a 10DLC number's texts through carriers. */
export type CampaignStatus = 'IN_PROGRESS' | 'VERIFIED' | 'FAILED';

export interface Campaign {
  sid: string;
  serviceSid: string;
  brandRegistrationSid: string;
  description: string;
  messageFlow: string;
  messageSamples: string[];
  usecase: string;
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  status: CampaignStatus;
  createdAt: number;
  updatedAt: number;
}

export type TollfreeStatus = 'PENDING_REVIEW' | 'IN_REVIEW' | 'TWILIO_APPROVED' | 'TWILIO_REJECTED';

export interface TollfreeVerification {
  sid: string;
  numberSid: string;
  phoneNumber: string;
  status: TollfreeStatus;
  createdAt: number;
  updatedAt: number;
}

export class MessagingServices {
  readonly services = new Map<string, MessagingService>();
  readonly campaigns = new Map<string, Campaign>();
  readonly tollfreeVerifications = new Map<string, TollfreeVerification>();

  constructor(
    private readonly clock: Clock,
    private readonly messaging: Messaging,
  ) {
    messaging.routeInboundWith((number) => this.inboundTarget(number));
  }

  reset(): void {
    this.services.clear();
    this.campaigns.clear();
    this.tollfreeVerifications.clear();
  }

  create(settings: Partial<ServiceSettings> & { FriendlyName: string }): MessagingService {
    const now = this.clock.now();
    const service: MessagingService = {
      sid: newSid('MG'),
      settings: {
        InboundRequestUrl: null,
        InboundMethod: 'POST',
        FallbackUrl: null,
        FallbackMethod: 'POST',
        StatusCallback: null,
        Usecase: 'undeclared',
        // Opt-in in the API: the service's own InboundRequestUrl wins unless it is set.
        UseInboundWebhookOnNumber: false,
        ...settings,
      },
      senders: [],
      createdAt: now,
      updatedAt: now,
    };
    this.services.set(service.sid, service);
    return service;
  }

  update(service: MessagingService, settings: Partial<ServiceSettings>): void {
    for (const [name, value] of Object.entries(settings)) {
      if (value !== undefined) Object.assign(service.settings, { [name]: value });
    }
    service.updatedAt = this.clock.now();
  }

  delete(service: MessagingService): void {
    this.services.delete(service.sid);
    for (const campaign of this.campaignsOf(service.sid)) this.campaigns.delete(campaign.sid);
  }

  /** A number belongs to one service at most: Twilio refuses a second (21712). */
  addSender(service: MessagingService, number: PhoneNumber): void {
    const owner = this.serviceOf(number.sid);
    if (owner) {
      throw new TwilioError(
        409,
        21712,
        `Phone Number ${number.phoneNumber} is already associated with Messaging Service ${owner.sid}`,
      );
    }
    service.senders.push({ numberSid: number.sid, addedAt: this.clock.now() });
  }

  removeSender(service: MessagingService, numberSid: string): boolean {
    const before = service.senders.length;
    service.senders = service.senders.filter((sender) => sender.numberSid !== numberSid);
    return service.senders.length < before;
  }

  serviceOf(numberSid: string): MessagingService | undefined {
    return [...this.services.values()].find((s) => s.senders.some((sender) => sender.numberSid === numberSid));
  }

  campaignsOf(serviceSid: string): Campaign[] {
    return [...this.campaigns.values()].filter((campaign) => campaign.serviceSid === serviceSid);
  }

  /** A service has one A2P campaign at most (Twilio: 21711 for a second). */
  addCampaign(fields: Omit<Campaign, 'sid' | 'createdAt' | 'updatedAt'>): Campaign {
    if (this.campaignsOf(fields.serviceSid).length) {
      throw new TwilioError(409, 21711, `Messaging Service ${fields.serviceSid} already has an A2P campaign`);
    }
    const now = this.clock.now();
    const campaign: Campaign = { ...fields, sid: newSid('QE'), createdAt: now, updatedAt: now };
    this.campaigns.set(campaign.sid, campaign);
    return campaign;
  }

  addTollfreeVerification(number: PhoneNumber, status: TollfreeStatus): TollfreeVerification {
    const now = this.clock.now();
    const verification: TollfreeVerification = {
      sid: newSid('HH'),
      numberSid: number.sid,
      phoneNumber: number.phoneNumber,
      status,
      createdAt: now,
      updatedAt: now,
    };
    this.tollfreeVerifications.set(verification.sid, verification);
    return verification;
  }

  /**
   * Twilio's precedence for a text to a number in a service: the service's inbound settings win. Deferring
   * (UseInboundWebhookOnNumber) uses the number's own SmsUrl; otherwise the service's InboundRequestUrl, and
   * without one the text is dropped unlogged (the spec: "receiving inbound messages is disabled"). A number outside every service uses its own SmsUrl.
   */
  inboundTarget(number: PhoneNumber): InboundTarget {
    const service = this.serviceOf(number.sid);
    if (!service || service.settings.UseInboundWebhookOnNumber) {
      return { url: number.settings.SmsUrl, via: service ? `the number (${service.sid} defers to it)` : 'the number' };
    }
    return { url: service.settings.InboundRequestUrl, via: `Messaging Service ${service.sid}` };
  }

  numberSids(service: MessagingService): string[] {
    return service.senders.map((sender) => sender.numberSid).filter((sid) => this.messaging.numbers.has(sid));
  }
}
