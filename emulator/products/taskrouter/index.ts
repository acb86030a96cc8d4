/**
 * TaskRouter (taskrouter.twilio.com/v1): the workspace Flex provisions, its workflows, queues, task channels
 * and workers, and Tasks with their reservations, `EvaluateTaskAttributes`, If-Match and lifecycle events.
 */
import { z } from 'zod';
import { parseBody } from '../../control';
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
import type { Route } from '../../router';
import { newSid } from '../../sid';
import type { Store } from '../../store';
import { evaluateExpression } from '../../../taskrouter-expressions';
import { checkAttributes, checkConfiguration, checkExpression, checkRevision, ordering } from './checks';
import { TaskRouter } from './engine';
import { type AssignmentStatus, parseObject, type Task, type TaskChannel, type Workspace } from './model';
import {
  renderChannel,
  renderQueue,
  renderReservation,
  renderTask,
  renderWorker,
  renderWorkflow,
  renderWorkspace,
  SUB,
} from './render';

const WORKSPACES = '/v1/Workspaces';
const W = `${WORKSPACES}/{WorkspaceSid}`;

interface WorkspaceUpdate {
  FriendlyName?: string;
  EventCallbackUrl?: string;
  EventsFilter?: string;
  MultiTaskEnabled?: boolean;
  PrioritizeQueueOrder?: 'FIFO' | 'LIFO';
}

interface WorkflowUpdate {
  FriendlyName?: string;
  Configuration?: string;
  AssignmentCallbackUrl?: string;
  FallbackAssignmentCallbackUrl?: string;
  TaskReservationTimeout?: number;
}

interface TaskCreate {
  WorkflowSid?: string;
  TaskQueueSid?: string;
  TaskChannel?: string;
  Attributes?: string;
  Priority?: number;
  Timeout?: number;
}

interface TaskUpdate {
  Attributes?: string;
  AssignmentStatus?: AssignmentStatus;
  Reason?: string;
  Priority?: number;
}

interface TaskList {
  Priority?: number;
  AssignmentStatus?: string[];
  WorkflowSid?: string;
  WorkflowName?: string;
  TaskQueueSid?: string;
  TaskQueueName?: string;
  EvaluateTaskAttributes?: string;
  Ordering?: string;
}

const ReleaseBody = z.object({ order: z.enum(['original', 'reverse']).default('original') });

export class TaskRouterProduct implements Product {
  readonly sub = SUB;
  readonly taskRouter: TaskRouter;

  readonly routes: ApiRoute[] = [
    { method: 'GET', path: WORKSPACES, handler: (req) => this.listWorkspaces(req) },
    { method: 'GET', path: `${WORKSPACES}/{Sid}`, handler: (req) => this.workspaceResult(this.workspace(req, 'Sid')) },
    { method: 'POST', path: `${WORKSPACES}/{Sid}`, handler: (req) => this.updateWorkspace(req) },
    { method: 'GET', path: `${W}/Workflows`, handler: (req) => this.listWorkflows(req) },
    { method: 'GET', path: `${W}/Workflows/{Sid}`, handler: (req) => this.fetchWorkflow(req) },
    { method: 'POST', path: `${W}/Workflows/{Sid}`, handler: (req) => this.updateWorkflow(req) },
    { method: 'GET', path: `${W}/TaskQueues`, handler: (req) => this.listQueues(req) },
    { method: 'POST', path: `${W}/TaskQueues`, handler: (req) => this.createQueue(req) },
    { method: 'GET', path: `${W}/TaskQueues/{Sid}`, handler: (req) => this.fetchQueue(req) },
    { method: 'GET', path: `${W}/TaskChannels`, handler: (req) => this.listChannels(req) },
    { method: 'POST', path: `${W}/TaskChannels`, handler: (req) => this.createChannel(req) },
    { method: 'GET', path: `${W}/TaskChannels/{Sid}`, handler: (req) => this.fetchChannel(req) },
    { method: 'GET', path: `${W}/Workers`, handler: (req) => this.listWorkers(req) },
    { method: 'GET', path: `${W}/Workers/{Sid}`, handler: (req) => this.fetchWorker(req) },
    { method: 'GET', path: `${W}/Tasks`, handler: (req) => this.listTasks(req) },
    { method: 'POST', path: `${W}/Tasks`, handler: (req) => this.createTask(req) },
    { method: 'GET', path: `${W}/Tasks/{Sid}`, handler: (req) => this.taskResult(200, req, this.task(req, 'Sid')) },
    { method: 'POST', path: `${W}/Tasks/{Sid}`, handler: (req) => this.updateTask(req) },
    { method: 'DELETE', path: `${W}/Tasks/{Sid}`, handler: (req) => this.deleteTask(req) },
    { method: 'GET', path: `${W}/Tasks/{TaskSid}/Reservations`, handler: (req) => this.listReservations(req) },
    { method: 'GET', path: `${W}/Tasks/{TaskSid}/Reservations/{Sid}`, handler: (req) => this.fetchReservation(req) },
  ];

  readonly controlRoutes: Route<ControlHandler>[] = [
    {
      method: 'POST',
      path: '/__emulator/taskrouter/hold',
      handler: () => {
        this.taskRouter.events.hold();
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/__emulator/taskrouter/release',
      handler: ({ body }) => {
        const { order } = parseBody(ReleaseBody, body);
        return { status: 200, json: { released: this.taskRouter.events.release(order) } };
      },
    },
  ];

  constructor(
    private readonly store: Store,
    outbox: Outbox,
    eventCallbackUrl: string | undefined,
  ) {
    this.taskRouter = new TaskRouter(store, outbox, eventCallbackUrl);
  }

  reset(): void {
    this.taskRouter.reset();
  }

  // Workspaces

  private listWorkspaces(req: ApiRequest): ApiResult {
    const { FriendlyName } = inputOf<{ FriendlyName?: string }>(req);
    const workspaces = [...this.taskRouter.workspaces.values()].filter(
      (w) => FriendlyName === undefined || w.friendlyName === FriendlyName,
    );
    return this.page(req, 'workspaces', workspaces, (w) => renderWorkspace(this.accountSid, w));
  }

  private updateWorkspace(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req, 'Sid');
    const input = inputOf<WorkspaceUpdate>(req);
    if (input.FriendlyName !== undefined) workspace.friendlyName = input.FriendlyName;
    // An empty value clears the callback or the filter.
    if (input.EventCallbackUrl !== undefined) workspace.eventCallbackUrl = input.EventCallbackUrl || null;
    if (input.EventsFilter !== undefined) workspace.eventsFilter = input.EventsFilter || null;
    if (input.MultiTaskEnabled !== undefined) workspace.multiTaskEnabled = input.MultiTaskEnabled;
    if (input.PrioritizeQueueOrder !== undefined) workspace.prioritizeQueueOrder = input.PrioritizeQueueOrder;
    workspace.updatedAt = this.store.clock.now();
    return this.workspaceResult(workspace);
  }

  private workspaceResult(workspace: Workspace): ApiResult {
    return { status: 200, json: renderWorkspace(this.accountSid, workspace) };
  }

  private workspace(req: ApiRequest, param = 'WorkspaceSid'): Workspace {
    const workspace = this.taskRouter.workspaces.get(req.params[param]);
    if (!workspace) throw notFound(req.path);
    return workspace;
  }

  // Workflows

  private listWorkflows(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const { FriendlyName } = inputOf<{ FriendlyName?: string }>(req);
    const workflows = [...workspace.workflows.values()].filter(
      (w) => FriendlyName === undefined || w.friendlyName === FriendlyName,
    );
    return this.page(req, 'workflows', workflows, (w) => renderWorkflow(this.accountSid, workspace, w));
  }

  private fetchWorkflow(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    return { status: 200, json: renderWorkflow(this.accountSid, workspace, this.member(req, workspace.workflows)) };
  }

  private updateWorkflow(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const workflow = this.member(req, workspace.workflows);
    const input = inputOf<WorkflowUpdate>(req);
    if (input.Configuration !== undefined) {
      checkConfiguration(workspace, input.Configuration);
      workflow.configuration = input.Configuration;
    }
    if (input.FriendlyName !== undefined) workflow.friendlyName = input.FriendlyName;
    if (input.AssignmentCallbackUrl !== undefined) workflow.assignmentCallbackUrl = input.AssignmentCallbackUrl || null;
    if (input.FallbackAssignmentCallbackUrl !== undefined) {
      workflow.fallbackAssignmentCallbackUrl = input.FallbackAssignmentCallbackUrl || null;
    }
    if (input.TaskReservationTimeout !== undefined) workflow.taskReservationTimeout = input.TaskReservationTimeout;
    workflow.updatedAt = this.store.clock.now();
    return { status: 200, json: renderWorkflow(this.accountSid, workspace, workflow) };
  }

  // Task queues and task channels

  private listQueues(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const { FriendlyName } = inputOf<{ FriendlyName?: string }>(req);
    const queues = [...workspace.queues.values()].filter(
      (q) => FriendlyName === undefined || q.friendlyName === FriendlyName,
    );
    return this.page(req, 'task_queues', queues, (q) => renderQueue(this.accountSid, workspace, q));
  }

  private createQueue(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const { FriendlyName, TargetWorkers, TaskOrder } = inputOf<{
      FriendlyName: string;
      TargetWorkers?: string;
      TaskOrder?: 'FIFO' | 'LIFO';
    }>(req);
    if (TargetWorkers !== undefined) checkExpression(TargetWorkers, 'TargetWorkers');
    const now = this.store.clock.now();
    const queue = {
      sid: newSid('WQ'),
      friendlyName: FriendlyName,
      targetWorkers: TargetWorkers ?? '1==1',
      taskOrder: TaskOrder ?? 'FIFO',
      createdAt: now,
      updatedAt: now,
    };
    workspace.queues.set(queue.sid, queue);
    return { status: 201, json: renderQueue(this.accountSid, workspace, queue) };
  }

  private fetchQueue(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    return { status: 200, json: renderQueue(this.accountSid, workspace, this.member(req, workspace.queues)) };
  }

  private listChannels(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const channels = [...workspace.channels.values()];
    return this.page(req, 'channels', channels, (c) => renderChannel(this.accountSid, workspace, c));
  }

  private createChannel(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const input = inputOf<{ FriendlyName: string; UniqueName: string; ChannelOptimizedRouting?: boolean }>(req);
    if (channelNamed(workspace, input.UniqueName)) {
      throw new TwilioError(409, 20001, `A TaskChannel with UniqueName ${input.UniqueName} already exists`);
    }
    const now = this.store.clock.now();
    const channel: TaskChannel = {
      sid: newSid('TC'),
      uniqueName: input.UniqueName,
      friendlyName: input.FriendlyName,
      channelOptimizedRouting: input.ChannelOptimizedRouting ?? false,
      createdAt: now,
      updatedAt: now,
    };
    workspace.channels.set(channel.sid, channel);
    return { status: 201, json: renderChannel(this.accountSid, workspace, channel) };
  }

  /** By SID or unique name, as Twilio accepts both. */
  private fetchChannel(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const channel = workspace.channels.get(req.params.Sid) ?? channelNamed(workspace, req.params.Sid);
    if (!channel) throw notFound(req.path);
    return { status: 200, json: renderChannel(this.accountSid, workspace, channel) };
  }

  // Workers

  private listWorkers(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const { FriendlyName, Available } = inputOf<{ FriendlyName?: string; Available?: string }>(req);
    const workers = [...workspace.workers.values()].filter(
      (w) =>
        (FriendlyName === undefined || w.friendlyName === FriendlyName) &&
        (Available === undefined || String(w.activity.available) === Available.toLowerCase()),
    );
    return this.page(req, 'workers', workers, (w) => renderWorker(this.accountSid, workspace, w));
  }

  private fetchWorker(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    return { status: 200, json: renderWorker(this.accountSid, workspace, this.member(req, workspace.workers)) };
  }

  // Tasks

  private listTasks(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const input = inputOf<TaskList>(req);
    const statuses = input.AssignmentStatus?.flatMap((s) => s.split(',')).map((s) => s.trim());
    const expression = input.EvaluateTaskAttributes && checkExpression(input.EvaluateTaskAttributes);
    const queueNamed = (sid: string | null) => (sid ? workspace.queues.get(sid)?.friendlyName : undefined);
    const workflowNamed = (sid: string | null) => (sid ? workspace.workflows.get(sid)?.friendlyName : undefined);
    const tasks = [...workspace.tasks.values()]
      .filter(
        (t) =>
          (!statuses || statuses.includes(t.assignmentStatus)) &&
          (input.Priority === undefined || t.priority === input.Priority) &&
          (input.WorkflowSid === undefined || t.workflowSid === input.WorkflowSid) &&
          (input.WorkflowName === undefined || workflowNamed(t.workflowSid) === input.WorkflowName) &&
          (input.TaskQueueSid === undefined || t.queueSid === input.TaskQueueSid) &&
          (input.TaskQueueName === undefined || queueNamed(t.queueSid) === input.TaskQueueName) &&
          (!expression || evaluateExpression(expression, parseObject(t.attributes))),
      )
      .sort(ordering(input.Ordering));
    const now = this.store.clock.now();
    return this.page(req, 'tasks', tasks, (t) => renderTask(this.accountSid, workspace, t, now));
  }

  private createTask(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const input = inputOf<TaskCreate>(req);
    const workflow = input.WorkflowSid === undefined ? undefined : workspace.workflows.get(input.WorkflowSid);
    const queue = input.TaskQueueSid === undefined ? undefined : workspace.queues.get(input.TaskQueueSid);
    if (input.WorkflowSid !== undefined && !workflow) {
      throw new TwilioError(400, 20001, `Workflow ${input.WorkflowSid} is not in this workspace`);
    }
    if (input.TaskQueueSid !== undefined && !queue) {
      throw new TwilioError(400, 20001, `TaskQueue ${input.TaskQueueSid} is not in this workspace`);
    }
    if (!workflow && !queue) throw new TwilioError(400, 20001, 'A WorkflowSid or a TaskQueueSid is required');
    const channel = this.taskChannel(workspace, input.TaskChannel ?? 'default');
    const task = this.taskRouter.createTask(workspace, {
      workflow,
      queue,
      channel,
      attributes: checkAttributes(input.Attributes ?? '{}'),
      priority: input.Priority,
      timeout: input.Timeout,
    });
    return this.taskResult(201, req, task);
  }

  private updateTask(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const task = this.task(req, 'Sid');
    checkRevision(req, task);
    const { Attributes, AssignmentStatus, Reason, Priority } = inputOf<TaskUpdate>(req);
    if (AssignmentStatus !== undefined && !this.taskRouter.mayMove(task, AssignmentStatus)) {
      throw new TwilioError(
        400,
        20001,
        `Task ${task.sid} cannot move from ${task.assignmentStatus} to ${AssignmentStatus}`,
      );
    }
    if (Attributes !== undefined) this.taskRouter.updateAttributes(workspace, task, checkAttributes(Attributes));
    if (Priority !== undefined) this.taskRouter.updatePriority(workspace, task, Priority);
    if (AssignmentStatus === 'canceled') this.taskRouter.cancel(workspace, task, Reason);
    if (AssignmentStatus === 'wrapping') this.taskRouter.wrapUp(workspace, task);
    if (AssignmentStatus === 'completed') this.taskRouter.complete(workspace, task, Reason);
    return this.taskResult(200, req, task);
  }

  private deleteTask(req: ApiRequest): ApiResult {
    const task = this.task(req, 'Sid');
    checkRevision(req, task);
    this.taskRouter.deleteTask(this.workspace(req), task);
    return { status: 204 };
  }

  private task(req: ApiRequest, param: 'Sid' | 'TaskSid'): Task {
    const task = this.workspace(req).tasks.get(req.params[param]);
    if (!task) throw notFound(req.path);
    return task;
  }

  /** The task with its revision as the ETag, which `If-Match` then names. */
  private taskResult(status: number, req: ApiRequest, task: Task): ApiResult {
    const json = renderTask(this.accountSid, this.workspace(req), task, this.store.clock.now());
    return { status, json, headers: { ETag: String(task.revision) } };
  }

  private taskChannel(workspace: Workspace, sidOrName: string): TaskChannel {
    const channel = workspace.channels.get(sidOrName) ?? channelNamed(workspace, sidOrName);
    if (!channel) throw new TwilioError(400, 20001, `TaskChannel ${sidOrName} is not in this workspace`);
    return channel;
  }

  // Reservations

  private listReservations(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const task = this.task(req, 'TaskSid');
    const { ReservationStatus, WorkerSid } = inputOf<{ ReservationStatus?: string; WorkerSid?: string }>(req);
    const reservations = task.reservations.filter(
      (r) =>
        (ReservationStatus === undefined || r.status === ReservationStatus) &&
        (WorkerSid === undefined || r.workerSid === WorkerSid),
    );
    return this.page(req, 'reservations', reservations, (r) => renderReservation(this.accountSid, workspace, task, r));
  }

  private fetchReservation(req: ApiRequest): ApiResult {
    const workspace = this.workspace(req);
    const task = this.task(req, 'TaskSid');
    const reservation = task.reservations.find((r) => r.sid === req.params.Sid);
    if (!reservation) throw notFound(req.path);
    return { status: 200, json: renderReservation(this.accountSid, workspace, task, reservation) };
  }

  // Shared

  private member<T>(req: ApiRequest, members: Map<string, T>): T {
    const member = members.get(req.params.Sid);
    if (!member) throw notFound(req.path);
    return member;
  }

  private page<T>(req: ApiRequest, key: string, items: T[], render: (item: T) => unknown): ApiResult {
    return { status: 200, json: v1Page(SUB, req, key, items, render) };
  }

  private get accountSid(): string {
    return this.store.account.sid;
  }
}

function channelNamed(workspace: Workspace, uniqueName: string): TaskChannel | undefined {
  return [...workspace.channels.values()].find((c) => c.uniqueName === uniqueName);
}
