/** TaskRouter's JSON, shaped by the spec's schemas: ISO 8601 dates, absolute `url`s and `links`. */
import { isoDate, shape, twilioUrl } from '../../resources';
import type { Reservation, Task, TaskChannel, TaskQueue, Worker, Workflow, Workspace } from './model';

export const SUB = 'taskrouter';

const workspacePath = (workspace: Workspace) => `/v1/Workspaces/${workspace.sid}`;
const url = (path: string) => twilioUrl(SUB, path);

const dates = (resource: { createdAt: number; updatedAt: number }) => ({
  date_created: isoDate(resource.createdAt),
  date_updated: isoDate(resource.updatedAt),
});

export function renderWorkspace(accountSid: string, workspace: Workspace) {
  const self = url(workspacePath(workspace));
  return shape('taskrouter.v1.workspace', {
    account_sid: accountSid,
    ...dates(workspace),
    default_activity_name: workspace.defaultActivity.name,
    default_activity_sid: workspace.defaultActivity.sid,
    event_callback_url: workspace.eventCallbackUrl,
    events_filter: workspace.eventsFilter,
    friendly_name: workspace.friendlyName,
    multi_task_enabled: workspace.multiTaskEnabled,
    sid: workspace.sid,
    timeout_activity_name: workspace.timeoutActivity.name,
    timeout_activity_sid: workspace.timeoutActivity.sid,
    prioritize_queue_order: workspace.prioritizeQueueOrder,
    url: self,
    links: {
      activities: `${self}/Activities`,
      events: `${self}/Events`,
      statistics: `${self}/Statistics`,
      task_channels: `${self}/TaskChannels`,
      task_queues: `${self}/TaskQueues`,
      tasks: `${self}/Tasks`,
      workers: `${self}/Workers`,
      workflows: `${self}/Workflows`,
    },
  });
}

export function renderWorkflow(accountSid: string, workspace: Workspace, workflow: Workflow) {
  const self = url(`${workspacePath(workspace)}/Workflows/${workflow.sid}`);
  return shape('taskrouter.v1.workspace.workflow', {
    account_sid: accountSid,
    assignment_callback_url: workflow.assignmentCallbackUrl,
    configuration: workflow.configuration,
    ...dates(workflow),
    document_content_type: 'application/json',
    fallback_assignment_callback_url: workflow.fallbackAssignmentCallbackUrl,
    friendly_name: workflow.friendlyName,
    sid: workflow.sid,
    task_reservation_timeout: workflow.taskReservationTimeout,
    workspace_sid: workspace.sid,
    url: self,
    links: { statistics: `${self}/Statistics`, real_time_statistics: `${self}/RealTimeStatistics` },
  });
}

export function renderQueue(accountSid: string, workspace: Workspace, queue: TaskQueue) {
  const self = url(`${workspacePath(workspace)}/TaskQueues/${queue.sid}`);
  return shape('taskrouter.v1.workspace.task_queue', {
    account_sid: accountSid,
    ...dates(queue),
    friendly_name: queue.friendlyName,
    max_reserved_workers: 1,
    sid: queue.sid,
    target_workers: queue.targetWorkers,
    task_order: queue.taskOrder,
    url: self,
    workspace_sid: workspace.sid,
    links: { workspace: url(workspacePath(workspace)), statistics: `${self}/Statistics` },
  });
}

export function renderChannel(accountSid: string, workspace: Workspace, channel: TaskChannel) {
  return shape('taskrouter.v1.workspace.task_channel', {
    account_sid: accountSid,
    ...dates(channel),
    friendly_name: channel.friendlyName,
    sid: channel.sid,
    unique_name: channel.uniqueName,
    workspace_sid: workspace.sid,
    channel_optimized_routing: channel.channelOptimizedRouting,
    url: url(`${workspacePath(workspace)}/TaskChannels/${channel.sid}`),
    links: { workspace: url(workspacePath(workspace)) },
  });
}

export function renderWorker(accountSid: string, workspace: Workspace, worker: Worker) {
  const self = url(`${workspacePath(workspace)}/Workers/${worker.sid}`);
  return shape('taskrouter.v1.workspace.worker', {
    account_sid: accountSid,
    activity_name: worker.activity.name,
    activity_sid: worker.activity.sid,
    attributes: worker.attributes,
    available: worker.activity.available,
    ...dates(worker),
    date_status_changed: isoDate(worker.statusChangedAt),
    friendly_name: worker.friendlyName,
    sid: worker.sid,
    workspace_sid: workspace.sid,
    url: self,
    links: {
      channels: `${self}/Channels`,
      reservations: `${self}/Reservations`,
      workspace: url(workspacePath(workspace)),
    },
  });
}

export function renderTask(accountSid: string, workspace: Workspace, task: Task, now: number) {
  const self = url(`${workspacePath(workspace)}/Tasks/${task.sid}`);
  const queue = task.queueSid ? workspace.queues.get(task.queueSid) : undefined;
  const workflow = task.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
  return shape('taskrouter.v1.workspace.task', {
    account_sid: accountSid,
    age: Math.floor((now - task.createdAt) / 1000),
    assignment_status: task.assignmentStatus,
    attributes: task.attributes,
    ...dates(task),
    task_queue_entered_date: task.queueEnteredAt === null ? null : isoDate(task.queueEnteredAt),
    priority: task.priority,
    reason: task.reason,
    sid: task.sid,
    task_queue_sid: task.queueSid,
    task_queue_friendly_name: queue?.friendlyName,
    task_channel_sid: task.channelSid,
    task_channel_unique_name: workspace.channels.get(task.channelSid)?.uniqueName,
    timeout: task.timeout,
    workflow_sid: task.workflowSid,
    workflow_friendly_name: workflow?.friendlyName,
    workspace_sid: workspace.sid,
    url: self,
    links: {
      task_queue: queue && url(`${workspacePath(workspace)}/TaskQueues/${queue.sid}`),
      workflow: workflow && url(`${workspacePath(workspace)}/Workflows/${workflow.sid}`),
      workspace: url(workspacePath(workspace)),
      reservations: `${self}/Reservations`,
    },
    virtual_start_time: isoDate(task.createdAt),
    ignore_capacity: false,
  });
}

export function renderReservation(accountSid: string, workspace: Workspace, task: Task, reservation: Reservation) {
  const worker = workspace.workers.get(reservation.workerSid);
  return shape('taskrouter.v1.workspace.task.task_reservation', {
    account_sid: accountSid,
    ...dates(reservation),
    reservation_status: reservation.status,
    sid: reservation.sid,
    task_sid: task.sid,
    worker_name: worker?.friendlyName,
    worker_sid: reservation.workerSid,
    workspace_sid: workspace.sid,
    url: url(`${workspacePath(workspace)}/Tasks/${task.sid}/Reservations/${reservation.sid}`),
    links: {
      task: url(`${workspacePath(workspace)}/Tasks/${task.sid}`),
      worker: url(`${workspacePath(workspace)}/Workers/${reservation.workerSid}`),
      workspace: url(workspacePath(workspace)),
    },
  });
}
