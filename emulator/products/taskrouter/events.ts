/**
 * TaskRouter's event callbacks: signed, form-encoded POSTs to the workspace's EventCallbackUrl, filtered by its
 * EventsFilter, delivered one at a time in order; and the same events published to Event Streams
 * (`com.twilio.taskrouter.<event>`, schema TaskRouter.WDSEvent: the callback's fields in snake case under
 * `data.payload`), whatever the callback. Tests can hold them back and release them in reverse to play events
 * arriving out of order.
 */
import type { Outbox, OutgoingWebhook } from '../../outbox';
import { snakeCaseKeys, twilioUrl } from '../../resources';
import { newSid } from '../../sid';
import type { Store } from '../../store';
import type { EventStreams } from '../events/engine';
import type { Reservation, Task, Worker, Workspace } from './model';

export type TaskEventType =
  | 'task.created'
  | 'task-queue.entered'
  | 'task.updated'
  | 'task.wrapup'
  | 'task.completed'
  | 'task.canceled'
  | 'task.deleted'
  | 'workflow.timeout'
  | 'reservation.created'
  | 'reservation.accepted'
  | 'reservation.rejected';

const TIMEOUT_MS = 15_000; // Twilio waits 15 s for the callback's answer

export class TaskRouterEvents {
  /** Events held back by a test; undefined while they flow. */
  private held: OutgoingWebhook[] | undefined;
  private streams: EventStreams | undefined;

  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
  ) {}

  /** Publishes every event to Event Streams too, for the sinks subscribed to it. */
  publishTo(streams: EventStreams): void {
    this.streams = streams;
  }

  emitTask(workspace: Workspace, eventType: TaskEventType, task: Task, description: string): void {
    this.emit(workspace, eventType, 'task', task.sid, description, taskParams(workspace, task, this.now()));
  }

  emitReservation(
    workspace: Workspace,
    eventType: TaskEventType,
    task: Task,
    reservation: Reservation,
    worker: Worker,
  ): void {
    this.emit(
      workspace,
      eventType,
      'reservation',
      reservation.sid,
      `Reservation ${reservation.sid} ${eventType.split('.')[1]} for Worker ${worker.friendlyName}`,
      {
        ...taskParams(workspace, task, this.now()),
        ReservationSid: reservation.sid,
        WorkerSid: worker.sid,
        WorkerName: worker.friendlyName,
        WorkerAttributes: worker.attributes,
        WorkerActivitySid: worker.activity.sid,
        WorkerActivityName: worker.activity.name,
      },
    );
  }

  hold(): void {
    this.held ??= [];
  }

  /** Sends what was held, in order or reversed, and lets later events flow; answers how many were held. */
  release(order: 'original' | 'reverse' = 'original'): number {
    const held = this.held ?? [];
    this.held = undefined;
    for (const webhook of order === 'reverse' ? [...held].reverse() : held) void this.outbox.enqueue(webhook);
    return held.length;
  }

  reset(): void {
    this.held = undefined;
  }

  private emit(
    workspace: Workspace,
    eventType: TaskEventType,
    resourceType: string,
    resourceSid: string,
    description: string,
    fields: Record<string, string>,
  ): void {
    const now = this.now();
    const params: Record<string, string> = {
      AccountSid: this.store.account.sid,
      WorkspaceSid: workspace.sid,
      WorkspaceName: workspace.friendlyName,
      EventType: eventType,
      EventDescription: description,
      ResourceType: resourceType,
      ResourceSid: resourceSid,
      Sid: newSid('EV'),
      Timestamp: String(Math.floor(now / 1000)),
      TimestampMs: String(now),
      ...fields,
    };
    const url = workspace.eventCallbackUrl;
    const webhooks: OutgoingWebhook[] = [
      ...(url && wanted(workspace, eventType)
        ? [{ product: 'taskrouter', url, eventType, timeoutMs: TIMEOUT_MS, params }]
        : []),
      ...(this.streams?.deliveries(
        `com.twilio.taskrouter.${eventType}`,
        twilioUrl('taskrouter', `/v1/Workspaces/${workspace.sid}`),
        'https://events-schemas.twilio.com/TaskRouter.WDSEvent/1',
        streamData(workspace, params, now),
      ) ?? []),
    ];
    for (const webhook of webhooks) {
      if (this.held) this.held.push(webhook);
      else void this.outbox.enqueue(webhook);
    }
  }

  private now(): number {
    return this.store.clock.now();
  }
}

function wanted(workspace: Workspace, eventType: string): boolean {
  if (!workspace.eventsFilter) return true;
  return workspace.eventsFilter.split(',').some((type) => type.trim() === eventType);
}

/** The task's fields as every task and reservation event carries them. */
function taskParams(workspace: Workspace, task: Task, now: number): Record<string, string> {
  const queue = task.queueSid ? workspace.queues.get(task.queueSid) : undefined;
  const workflow = task.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
  const channel = workspace.channels.get(task.channelSid);
  const params: Record<string, string> = {
    TaskSid: task.sid,
    TaskAttributes: task.attributes,
    TaskAssignmentStatus: task.assignmentStatus,
    TaskAge: String(Math.floor((now - task.createdAt) / 1000)),
    TaskPriority: String(task.priority),
    TaskDateCreated: String(Math.floor(task.createdAt / 1000)),
    TaskVersion: String(task.revision),
    TaskChannelSid: task.channelSid,
    TaskChannelUniqueName: channel?.uniqueName ?? '',
  };
  if (queue) Object.assign(params, { TaskQueueSid: queue.sid, TaskQueueName: queue.friendlyName });
  if (task.queueEnteredAt !== null) params.TaskQueueEnteredDate = String(Math.floor(task.queueEnteredAt / 1000));
  if (workflow) Object.assign(params, { WorkflowSid: workflow.sid, WorkflowName: workflow.friendlyName });
  if (task.assignmentStatus === 'canceled') params.TaskCanceledReason = task.reason ?? '';
  if (task.assignmentStatus === 'completed') params.TaskCompletedReason = task.reason ?? '';
  return params;
}

/** The event as Event Streams carries it: who published it, and the callback's fields in snake case. */
function streamData(workspace: Workspace, params: Record<string, string>, now: number) {
  const { EventType, ...fields } = params;
  const [group] = EventType.split('.');
  return {
    sid: params.Sid,
    name: EventType.replace(/(^|[.-])([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase()),
    account_sid: params.AccountSid,
    timestamp: new Date(now).toISOString(),
    level: 'INFO',
    group,
    product_name: 'TaskRouter',
    publisher: workspace.friendlyName,
    publisher_metadata: JSON.stringify({ workspace_sid: workspace.sid, workspace_name: workspace.friendlyName }),
    payload_type: 'application/json',
    payload: { ...snakeCaseKeys(fields), eventtype: EventType },
  };
}
