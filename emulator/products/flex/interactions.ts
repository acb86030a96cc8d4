/**
 * Flex Interactions as Flex runs them: an interaction binds a channel to an existing Conversation and, after
 * answering, routes a TaskRouter task through the workflow with Flex's own attributes added. Closing the
 * interaction channel closes the conversation and wraps up (or completes) its tasks.
 */
import { TwilioError } from '../../errors';
import type { Outbox } from '../../outbox';
import { newSid } from '../../sid';
import type { Conversations } from '../conversations/engine';
import type { Conversation } from '../conversations/model';
import type { TaskRouter } from '../taskrouter/engine';
import type { Task, TaskChannel, Workflow, Workspace } from '../taskrouter/model';

export type ChannelStatus = 'setup' | 'active' | 'failed' | 'closed' | 'inactive';

export interface ChannelParticipant {
  sid: string;
  type: 'customer' | 'agent';
  /** The agent's worker and reservation, as Flex reports them. */
  routingProperties: Record<string, string> | null;
}

export interface InteractionChannel {
  sid: string;
  interactionSid: string;
  type: string;
  status: ChannelStatus;
  errorCode: number | null;
  errorMessage: string | null;
  conversationSid: string;
  taskSids: string[];
  participants: ChannelParticipant[];
}

export interface Interaction {
  sid: string;
  /** The `Channel` and `Routing` parameters, as given. */
  channelInput: Record<string, unknown>;
  routingInput: Record<string, unknown>;
  channel: InteractionChannel;
  interactionContextSid: string | null;
  webhookTtid: string | null;
}

/** Where the task of a new interaction goes, checked when the interaction is created. */
interface RoutingTarget {
  workspace: Workspace;
  workflow: Workflow;
  taskChannel: TaskChannel;
  attributes: Record<string, unknown>;
  priority?: number;
  timeout?: number;
}

export interface NewInteraction {
  channel: unknown;
  routing: unknown;
  interactionContextSid?: string;
  webhookTtid?: string;
}

const CHANNEL_TYPES = ['voice', 'sms', 'email', 'web', 'whatsapp', 'chat', 'messenger', 'gbm'];
/** Flex's code for a channel that failed to set up (a downstream error). */
const CHANNEL_SETUP_FAILED = 45770;

export class Interactions {
  readonly interactions = new Map<string, Interaction>();
  /** Set by a test: the next interaction answers as usual, then its task is canceled. */
  failNext = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly conversations: Conversations,
    private readonly taskRouter: TaskRouter,
  ) {}

  reset(): void {
    this.interactions.clear();
    this.failNext = false;
  }

  /** Checks the request and answers at once; the task is routed after the answer, as Flex does. */
  create(input: NewInteraction): Interaction {
    const channelInput = asObject(input.channel, 'Channel');
    const type = channelInput.type;
    if (typeof type !== 'string' || !CHANNEL_TYPES.includes(type)) {
      throw new TwilioError(400, 20001, `Channel type must be one of ${CHANNEL_TYPES.join(', ')}`);
    }
    const conversation = this.mediaChannel(channelInput);
    const routingInput = asObject(input.routing ?? {}, 'Routing');
    const target = this.routingTarget(routingInput);
    const interactionSid = newSid('KD');
    const interaction: Interaction = {
      sid: interactionSid,
      channelInput,
      routingInput,
      channel: {
        sid: newSid('UO'),
        interactionSid,
        type,
        status: 'setup',
        errorCode: null,
        errorMessage: null,
        conversationSid: conversation.sid,
        taskSids: [],
        participants: [],
      },
      interactionContextSid: input.interactionContextSid ?? null,
      webhookTtid: input.webhookTtid ?? null,
    };
    this.interactions.set(interaction.sid, interaction);
    const fail = this.failNext;
    this.failNext = false;
    this.outbox.defer(() => this.route(interaction, target, fail));
    return interaction;
  }

  /** The interaction channel a task belongs to. */
  channelOfTask(taskSid: string): InteractionChannel | undefined {
    for (const { channel } of this.interactions.values()) if (channel.taskSids.includes(taskSid)) return channel;
    return undefined;
  }

  /**
   * Closes the channel and its conversation; live tasks wrap up, or complete when Routing's status is
   * `closed`, and tasks nobody accepted are canceled. Closing a closed channel changes nothing.
   */
  closeChannel(channel: InteractionChannel, routingStatus: 'wrapup' | 'closed' = 'wrapup'): void {
    if (channel.status === 'closed') return;
    channel.status = 'closed';
    const conversation = this.conversations.findConversation(channel.conversationSid);
    if (conversation && conversation.state !== 'closed') {
      this.conversations.changeState(conversation, 'closed', 'API', true);
    }
    for (const taskSid of channel.taskSids) {
      const found = this.taskRouter.findTask(taskSid);
      if (!found) continue;
      const { workspace, task } = found;
      if (task.assignmentStatus === 'pending' || task.assignmentStatus === 'reserved') {
        this.taskRouter.cancel(workspace, task, 'Interaction channel closed');
      } else if (routingStatus === 'closed' && isLive(task)) {
        this.taskRouter.complete(workspace, task, 'Interaction channel closed');
      } else if (task.assignmentStatus === 'assigned') {
        this.taskRouter.wrapUp(workspace, task);
      }
    }
  }

  /**
   * Creates the task with what Flex adds to the routing attributes, or cancels it when told to fail. Flex fills
   * the `conversations` object Flex Insights reads (initiated_by, communication_channel, media, direction: the
   * Interactions API's own example, https://www.twilio.com/docs/flex/developer/conversations/interactions-api)
   * into the one the routing attributes bring, whose other keys stay.
   */
  private route(interaction: Interaction, target: RoutingTarget, fail: boolean): void {
    const { channel } = interaction;
    const initiatedBy = interaction.channelInput.initiated_by === 'agent' ? 'agent' : 'customer';
    const given = target.attributes.conversations;
    const attributes = {
      ...target.attributes,
      conversationSid: channel.conversationSid,
      channelType: channel.type,
      initiatedBy,
      direction: initiatedBy === 'agent' ? 'outbound' : 'inbound',
      flexInteractionSid: interaction.sid,
      flexInteractionChannelSid: channel.sid,
      conversations: {
        ...(typeof given === 'object' && given !== null && !Array.isArray(given) ? given : {}),
        conversation_id: interaction.sid,
        initiated_by: capitalized(initiatedBy),
        communication_channel: capitalized(channel.type),
        media: [{ conversation_sid: channel.conversationSid }],
        direction: initiatedBy === 'agent' ? 'Outbound' : 'Inbound',
      },
    };
    const task = this.taskRouter.createTask(target.workspace, {
      workflow: target.workflow,
      channel: target.taskChannel,
      attributes: JSON.stringify(attributes),
      priority: target.priority,
      timeout: target.timeout,
    });
    channel.taskSids.push(task.sid);
    if (fail) {
      channel.status = 'failed';
      channel.errorCode = CHANNEL_SETUP_FAILED;
      channel.errorMessage = 'Failed to create InteractionChannel. Downstream Error.';
      this.taskRouter.cancel(target.workspace, task, 'Interaction channel setup failed');
      return;
    }
    channel.status = 'active';
    channel.participants.push({ sid: newSid('UT'), type: 'customer', routingProperties: null });
  }

  /** The existing conversation the channel binds to (`properties.media_channel_sid`). */
  private mediaChannel(channel: Record<string, unknown>): Conversation {
    const properties = channel.properties as { media_channel_sid?: unknown } | undefined;
    const sid = properties?.media_channel_sid;
    if (typeof sid !== 'string') {
      throw new TwilioError(
        400,
        20001,
        'Channel.properties.media_channel_sid is required: the emulator binds interactions to existing conversations',
      );
    }
    const conversation = this.conversations.findConversation(sid);
    if (!conversation) throw new TwilioError(404, 20404, `Conversation ${sid} was not found`);
    if (conversation.state === 'closed') {
      throw new TwilioError(
        400,
        45354,
        `Failed to create Channel because the Conversation ${sid} is in a closed state`,
      );
    }
    return conversation;
  }

  private routingTarget(routing: Record<string, unknown>): RoutingTarget {
    const properties = asObject(routing.properties ?? {}, 'Routing.properties');
    const { workspace_sid, workflow_sid, task_channel_unique_name = 'default', priority, timeout } = properties;
    const invalid = (what: string) => new TwilioError(400, 20001, `Routing.properties.${what} is not valid`);
    const workspace = typeof workspace_sid === 'string' ? this.taskRouter.workspaces.get(workspace_sid) : undefined;
    if (!workspace) throw invalid(`workspace_sid ${String(workspace_sid)}`);
    const workflow = typeof workflow_sid === 'string' ? workspace.workflows.get(workflow_sid) : undefined;
    if (!workflow) throw invalid(`workflow_sid ${String(workflow_sid)}`);
    const taskChannel = [...workspace.channels.values()].find(
      (c) => c.uniqueName === task_channel_unique_name || c.sid === task_channel_unique_name,
    );
    if (!taskChannel) throw invalid(`task_channel_unique_name ${String(task_channel_unique_name)}`);
    const attributes =
      typeof properties.attributes === 'string'
        ? asObject(parseJson(properties.attributes), 'Routing.properties.attributes')
        : asObject(properties.attributes ?? {}, 'Routing.properties.attributes');
    return {
      workspace,
      workflow,
      taskChannel,
      attributes,
      priority: typeof priority === 'number' ? priority : undefined,
      timeout: typeof timeout === 'number' ? timeout : undefined,
    };
  }
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function isLive(task: Task): boolean {
  return task.assignmentStatus === 'assigned' || task.assignmentStatus === 'wrapping';
}

function asObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TwilioError(400, 20001, `${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
