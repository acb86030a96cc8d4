/** TaskRouter's resources as the emulator keeps them, and the workspace Flex provisions ("Flex Task Assignment"). */
import { newSid } from '../../sid';

export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
export type ReservationStatus =
  'pending' | 'accepted' | 'wrapping' | 'completed' | 'canceled' | 'rescinded' | 'rejected';

export interface Activity {
  sid: string;
  name: string;
  available: boolean;
}

export interface TaskQueue {
  sid: string;
  friendlyName: string;
  targetWorkers: string;
  taskOrder: 'FIFO' | 'LIFO';
  createdAt: number;
  updatedAt: number;
}

export interface TaskChannel {
  sid: string;
  uniqueName: string;
  friendlyName: string;
  channelOptimizedRouting: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Workflow {
  sid: string;
  friendlyName: string;
  /** The JSON document as given (`{"task_routing": {"filters": […], "default_filter": {…}}}`). */
  configuration: string;
  assignmentCallbackUrl: string | null;
  fallbackAssignmentCallbackUrl: string | null;
  taskReservationTimeout: number;
  createdAt: number;
  updatedAt: number;
}

export interface Worker {
  sid: string;
  friendlyName: string;
  /** JSON, as given. */
  attributes: string;
  activity: Activity;
  createdAt: number;
  updatedAt: number;
  statusChangedAt: number;
}

export interface Reservation {
  sid: string;
  taskSid: string;
  workerSid: string;
  status: ReservationStatus;
  createdAt: number;
  updatedAt: number;
}

export interface Task {
  sid: string;
  workspaceSid: string;
  /** JSON, as given or as the emulator last wrote it. */
  attributes: string;
  assignmentStatus: AssignmentStatus;
  /** Why it was canceled or completed. */
  reason: string | null;
  priority: number;
  timeout: number;
  workflowSid: string | null;
  queueSid: string | null;
  channelSid: string;
  createdAt: number;
  updatedAt: number;
  queueEnteredAt: number | null;
  /** The ETag: bumped by every change. */
  revision: number;
  reservations: Reservation[];
}

export interface Workspace {
  sid: string;
  friendlyName: string;
  eventCallbackUrl: string | null;
  /** Comma-separated event types; null sends every event. */
  eventsFilter: string | null;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: 'FIFO' | 'LIFO';
  defaultActivity: Activity;
  timeoutActivity: Activity;
  createdAt: number;
  updatedAt: number;
  activities: Activity[];
  queues: Map<string, TaskQueue>;
  channels: Map<string, TaskChannel>;
  workflows: Map<string, Workflow>;
  workers: Map<string, Worker>;
  tasks: Map<string, Task>;
}

export const FINAL_STATUSES: readonly AssignmentStatus[] = ['completed', 'canceled'];

export function isFinal(task: Task): boolean {
  return FINAL_STATUSES.includes(task.assignmentStatus);
}

/** The SIDs of what Flex provisions, fixed at start so a reset brings back the same resources. */
export interface FlexWorkspaceSids {
  workspace: string;
  workflow: string;
  queue: string;
  worker: string;
  channels: Record<'default' | 'voice' | 'chat' | 'sms', string>;
}

export function newFlexWorkspaceSids(): FlexWorkspaceSids {
  return {
    workspace: newSid('WS'),
    workflow: newSid('WW'),
    queue: newSid('WQ'),
    worker: newSid('WK'),
    channels: { default: newSid('TC'), voice: newSid('TC'), chat: newSid('TC'), sms: newSid('TC') },
  };
}

/** The handoff workflow: handed-off tasks go to the queue ahead of the default filter (the same queue here). */
export function flexWorkflowConfiguration(queueSid: string): string {
  return JSON.stringify({
    task_routing: {
      filters: [
        { filter_friendly_name: 'Handed off', expression: 'handedOff == true', targets: [{ queue: queueSid }] },
      ],
      default_filter: { queue: queueSid },
    },
  });
}

/** "Flex Task Assignment" as a new Flex account has it, with one available worker, "Alice Rep". */
export function flexWorkspace(sids: FlexWorkspaceSids, eventCallbackUrl: string | null, now: number): Workspace {
  const activity = (name: string, available: boolean): Activity => ({ sid: newSid('WA'), name, available });
  const activities = [
    activity('Offline', false),
    activity('Available', true),
    activity('Unavailable', false),
    activity('Break', false),
  ];
  const [offline, available] = activities;
  const stamps = { createdAt: now, updatedAt: now };
  const queue: TaskQueue = {
    sid: sids.queue,
    friendlyName: 'Everyone',
    targetWorkers: '1==1',
    taskOrder: 'FIFO',
    ...stamps,
  };
  const workflow: Workflow = {
    sid: sids.workflow,
    friendlyName: 'Assign to Anyone',
    configuration: flexWorkflowConfiguration(queue.sid),
    assignmentCallbackUrl: null,
    fallbackAssignmentCallbackUrl: null,
    taskReservationTimeout: 120,
    ...stamps,
  };
  const worker: Worker = {
    sid: sids.worker,
    friendlyName: 'Alice Rep',
    attributes: JSON.stringify({
      contact_uri: 'client:alice_rep',
      full_name: 'Alice Rep',
      email: 'alice@example.com',
      routing: { skills: [], levels: {} },
    }),
    activity: available,
    ...stamps,
    statusChangedAt: now,
  };
  const channels = (Object.entries(sids.channels) as [keyof FlexWorkspaceSids['channels'], string][]).map(
    ([uniqueName, sid]): TaskChannel => ({
      sid,
      uniqueName,
      friendlyName: uniqueName[0].toUpperCase() + uniqueName.slice(1),
      channelOptimizedRouting: false,
      ...stamps,
    }),
  );
  return {
    sid: sids.workspace,
    friendlyName: 'Flex Task Assignment',
    eventCallbackUrl,
    eventsFilter: null,
    multiTaskEnabled: true,
    prioritizeQueueOrder: 'FIFO',
    defaultActivity: offline,
    timeoutActivity: offline,
    ...stamps,
    activities,
    queues: new Map([[queue.sid, queue]]),
    channels: new Map(channels.map((channel) => [channel.sid, channel])),
    workflows: new Map([[workflow.sid, workflow]]),
    workers: new Map([[worker.sid, worker]]),
    tasks: new Map(),
  };
}

/** The worker's identity in Conversations and Flex: its `contact_uri` without the `client:` scheme. */
export function workerIdentity(worker: Worker): string {
  const contactUri = (parseObject(worker.attributes) as { contact_uri?: unknown }).contact_uri;
  return typeof contactUri === 'string' ? contactUri.replace(/^client:/, '') : worker.sid;
}

/** A JSON object's members; {} for anything else (attributes are checked to be objects when written). */
export function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
