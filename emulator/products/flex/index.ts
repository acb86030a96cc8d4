/**
 * Flex Interactions (flex-api.twilio.com/v1): create an interaction on an existing Conversation, read it and
 * its channels, close a channel; the control routes that play the rep in the Flex UI; and the Plugins API
 * (`plugins.ts`), on the same host.
 */
import { notFound, TwilioError } from '../../errors';
import type { Outbox } from '../../outbox';
import { v1Page } from '../../paging';
import {
  type ApiRequest,
  type ApiResult,
  type ApiRoute,
  type ControlHandler,
  inputOf,
  type Product,
} from '../../product';
import { shape, twilioUrl } from '../../resources';
import type { Route } from '../../router';
import type { Store } from '../../store';
import type { Conversations } from '../conversations/engine';
import type { TaskRouter } from '../taskrouter/engine';
import { type Interaction, type InteractionChannel, Interactions, type NewInteraction } from './interactions';
import { playbackRoutes } from './playback';
import { PluginService } from './plugins';

const SUB = 'flex-api';
const INTERACTIONS = '/v1/Interactions';
const CHANNELS = `${INTERACTIONS}/{InteractionSid}/Channels`;

export class FlexProduct implements Product {
  readonly sub = SUB;
  readonly interactions: Interactions;
  readonly plugins: PluginService;
  readonly controlRoutes: Route<ControlHandler>[];

  readonly routes: ApiRoute[];
  private readonly interactionRoutes: ApiRoute[] = [
    { method: 'POST', path: INTERACTIONS, handler: (req) => this.createInteraction(req) },
    { method: 'GET', path: `${INTERACTIONS}/{Sid}`, handler: (req) => this.fetchInteraction(req) },
    { method: 'GET', path: CHANNELS, handler: (req) => this.listChannels(req) },
    { method: 'GET', path: `${CHANNELS}/{Sid}`, handler: (req) => this.fetchChannel(req) },
    { method: 'POST', path: `${CHANNELS}/{Sid}`, handler: (req) => this.updateChannel(req) },
    { method: 'GET', path: `${CHANNELS}/{ChannelSid}/Participants`, handler: (req) => this.listParticipants(req) },
  ];

  constructor(store: Store, outbox: Outbox, conversations: Conversations, taskRouter: TaskRouter) {
    this.interactions = new Interactions(outbox, conversations, taskRouter);
    this.plugins = new PluginService(store.account.sid, () => store.clock.now());
    this.routes = [...this.interactionRoutes, ...this.plugins.routes];
    this.controlRoutes = [
      ...playbackRoutes(this.interactions, conversations, taskRouter),
      ...this.plugins.controlRoutes,
    ];
  }

  reset(): void {
    this.interactions.reset();
    this.plugins.reset();
  }

  /** Answered before the task exists: Flex routes it asynchronously. */
  private createInteraction(req: ApiRequest): ApiResult {
    const { Channel, Routing, InteractionContextSid, WebhookTtid } = inputOf<{
      Channel: unknown;
      Routing?: unknown;
      InteractionContextSid?: string;
      WebhookTtid?: string;
    }>(req);
    const input: NewInteraction = {
      channel: Channel,
      routing: Routing,
      interactionContextSid: InteractionContextSid,
      webhookTtid: WebhookTtid,
    };
    return { status: 201, json: renderInteraction(this.interactions.create(input)) };
  }

  private fetchInteraction(req: ApiRequest): ApiResult {
    return { status: 200, json: renderInteraction(this.interaction(req, req.params.Sid)) };
  }

  private listChannels(req: ApiRequest): ApiResult {
    const { channel } = this.interaction(req, req.params.InteractionSid);
    return { status: 200, json: v1Page(SUB, req, 'channels', [channel], renderChannel) };
  }

  private fetchChannel(req: ApiRequest): ApiResult {
    return { status: 200, json: renderChannel(this.channel(req, req.params.Sid)) };
  }

  /** `Status=closed` closes the channel; `Routing={"status":"closed"}` completes its tasks instead of wrap-up. */
  private updateChannel(req: ApiRequest): ApiResult {
    const channel = this.channel(req, req.params.Sid);
    const { Status, Routing } = inputOf<{ Status: 'closed' | 'inactive'; Routing?: unknown }>(req);
    const routingStatus = (Routing as { status?: unknown } | undefined)?.status;
    if (routingStatus !== undefined && routingStatus !== 'closed' && routingStatus !== 'wrapup') {
      throw new TwilioError(400, 45359, 'Routing status must be closed or wrapup');
    }
    if (Status === 'closed') this.interactions.closeChannel(channel, routingStatus);
    else if (channel.status !== 'closed') channel.status = 'inactive';
    return { status: 200, json: renderChannel(channel) };
  }

  private listParticipants(req: ApiRequest): ApiResult {
    const channel = this.channel(req, req.params.ChannelSid);
    const render = (participant: InteractionChannel['participants'][number]) =>
      shape('flex.v1.interaction.interaction_channel.interaction_channel_participant', {
        sid: participant.sid,
        type: participant.type,
        interaction_sid: channel.interactionSid,
        channel_sid: channel.sid,
        url: twilioUrl(SUB, `${channelPath(channel)}/Participants/${participant.sid}`),
        routing_properties: participant.routingProperties,
      });
    return { status: 200, json: v1Page(SUB, req, 'participants', channel.participants, render) };
  }

  private interaction(req: ApiRequest, sid: string): Interaction {
    const interaction = this.interactions.interactions.get(sid);
    if (!interaction) throw notFound(req.path);
    return interaction;
  }

  private channel(req: ApiRequest, sid: string): InteractionChannel {
    const { channel } = this.interaction(req, req.params.InteractionSid);
    if (channel.sid !== sid) throw notFound(req.path);
    return channel;
  }
}

function channelPath(channel: InteractionChannel): string {
  return `${INTERACTIONS}/${channel.interactionSid}/Channels/${channel.sid}`;
}

function renderInteraction(interaction: Interaction) {
  const self = twilioUrl(SUB, `${INTERACTIONS}/${interaction.sid}`);
  return shape('flex.v1.interaction', {
    sid: interaction.sid,
    channel: { ...interaction.channelInput, sid: interaction.channel.sid },
    routing: interaction.routingInput,
    url: self,
    links: { channels: `${self}/Channels` },
    interaction_context_sid: interaction.interactionContextSid,
    webhook_ttid: interaction.webhookTtid,
  });
}

function renderChannel(channel: InteractionChannel) {
  const self = twilioUrl(SUB, channelPath(channel));
  return shape('flex.v1.interaction.interaction_channel', {
    sid: channel.sid,
    interaction_sid: channel.interactionSid,
    type: channel.type,
    status: channel.status,
    error_code: channel.errorCode,
    error_message: channel.errorMessage,
    url: self,
    links: {
      participants: `${self}/Participants`,
      invites: `${self}/Invites`,
      transfers: `${self}/Transfers`,
    },
  });
}
