/**
 * TaskRouter's state and the task lifecycle shared by the REST API, Flex Interactions and the rep playback:
 * workflow routing, reservations, wrap-up, completion, cancelation and deletion, each with its events.
 */
import { newSid } from '../../sid';
import type { Outbox } from '../../outbox';
import type { Store } from '../../store';
import { evaluateExpression } from '../../../taskrouter-expressions';
import { TaskRouterEvents } from './events';
import {
  type AssignmentStatus,
  type FlexWorkspaceSids,
  flexWorkspace,
  newFlexWorkspaceSids,
  parseObject,
  type Reservation,
  type Task,
  type TaskChannel,
  type TaskQueue,
  type Worker,
  type Workflow,
  type Workspace,
} from './model';

/** A workflow's `Configuration` document, as far as routing reads it. */
export interface WorkflowConfiguration {
  task_routing: {
    filters?: { filter_friendly_name?: string; expression: string; targets: { queue: string }[] }[];
    default_filter?: { queue: string };
  };
}

export interface NewTask {
  workflow?: Workflow;
  /** Straight into this queue, without a workflow. */
  queue?: TaskQueue;
  channel: TaskChannel;
  /** A JSON object. */
  attributes: string;
  priority?: number;
  timeout?: number;
}

/** Which assignment statuses a task may move to through the REST API, and from where (Twilio's rules). */
const ALLOWED_FROM: Partial<Record<AssignmentStatus, readonly AssignmentStatus[]>> = {
  canceled: ['pending', 'reserved'],
  wrapping: ['assigned'],
  completed: ['assigned', 'wrapping'],
};

const DEFAULT_TIMEOUT_SECONDS = 86_400;

export class TaskRouter {
  readonly workspaces = new Map<string, Workspace>();
  readonly events: TaskRouterEvents;
  readonly sids: FlexWorkspaceSids = newFlexWorkspaceSids();

  constructor(
    private readonly store: Store,
    outbox: Outbox,
    private readonly eventCallbackUrl: string | undefined,
  ) {
    this.events = new TaskRouterEvents(store, outbox);
    this.seed();
  }

  /** Back to the seeded workspace as it was at start. */
  reset(): void {
    this.workspaces.clear();
    this.events.reset();
    this.seed();
  }

  get flexWorkspace(): Workspace {
    return this.workspaces.get(this.sids.workspace)!;
  }

  findTask(sid: string): { workspace: Workspace; task: Task } | undefined {
    for (const workspace of this.workspaces.values()) {
      const task = workspace.tasks.get(sid);
      if (task) return { workspace, task };
    }
    return undefined;
  }

  /** The queue of the first workflow filter the attributes match, else of the default filter. */
  route(workspace: Workspace, workflow: Workflow, attributes: string): TaskQueue | undefined {
    const { task_routing: routing } = JSON.parse(workflow.configuration) as WorkflowConfiguration;
    const values = parseObject(attributes);
    const filter = (routing.filters ?? []).find((f) => evaluateExpression(f.expression, values));
    const queueSid = filter ? filter.targets[0]?.queue : routing.default_filter?.queue;
    return queueSid ? workspace.queues.get(queueSid) : undefined;
  }

  createTask(workspace: Workspace, input: NewTask): Task {
    const now = this.now();
    const queue = input.queue ?? (input.workflow && this.route(workspace, input.workflow, input.attributes));
    const task: Task = {
      sid: newSid('WT'),
      workspaceSid: workspace.sid,
      attributes: input.attributes,
      assignmentStatus: 'pending',
      reason: null,
      priority: input.priority ?? 0,
      timeout: input.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      workflowSid: input.workflow?.sid ?? null,
      queueSid: queue?.sid ?? null,
      channelSid: input.channel.sid,
      createdAt: now,
      updatedAt: now,
      queueEnteredAt: queue ? now : null,
      revision: 0,
      reservations: [],
    };
    workspace.tasks.set(task.sid, task);
    this.events.emitTask(workspace, 'task.created', task, `Task ${task.sid} created`);
    if (queue) {
      this.events.emitTask(
        workspace,
        'task-queue.entered',
        task,
        `Task ${task.sid} entered TaskQueue ${queue.friendlyName}`,
      );
    }
    return task;
  }

  /** Whether the REST API may move the task to `status`. */
  mayMove(task: Task, status: AssignmentStatus): boolean {
    return ALLOWED_FROM[status]?.includes(task.assignmentStatus) ?? false;
  }

  updateAttributes(workspace: Workspace, task: Task, attributes: string): void {
    task.attributes = attributes;
    this.touch(task);
    this.events.emitTask(workspace, 'task.updated', task, `Task ${task.sid} updated`);
  }

  updatePriority(workspace: Workspace, task: Task, priority: number): void {
    task.priority = priority;
    this.touch(task);
    this.events.emitTask(workspace, 'task.updated', task, `Task ${task.sid} updated`);
  }

  /** The worker is offered the task and accepts it at once, as a rep clicking Accept in Flex. */
  reserveAndAccept(workspace: Workspace, task: Task, worker: Worker): Reservation {
    return this.answerOffer(workspace, task, worker, 'accepted');
  }

  /** The worker declines the offer: the task goes back to waiting in its queue. */
  reserveAndReject(workspace: Workspace, task: Task, worker: Worker): Reservation {
    return this.answerOffer(workspace, task, worker, 'rejected');
  }

  /** Reserves the task for the worker (reservation.created), who accepts or rejects the offer at once. */
  private answerOffer(workspace: Workspace, task: Task, worker: Worker, answer: 'accepted' | 'rejected'): Reservation {
    const now = this.now();
    const reservation: Reservation = {
      sid: newSid('WR'),
      taskSid: task.sid,
      workerSid: worker.sid,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    task.reservations.push(reservation);
    task.assignmentStatus = 'reserved';
    this.touch(task);
    this.events.emitReservation(workspace, 'reservation.created', task, reservation, worker);
    reservation.status = answer;
    reservation.updatedAt = now;
    task.assignmentStatus = answer === 'accepted' ? 'assigned' : 'pending';
    this.touch(task);
    this.events.emitReservation(workspace, `reservation.${answer}`, task, reservation, worker);
    return reservation;
  }

  wrapUp(workspace: Workspace, task: Task): void {
    this.settle(task, 'wrapping', null);
    this.events.emitTask(workspace, 'task.wrapup', task, `Task ${task.sid} wrapping up`);
  }

  complete(workspace: Workspace, task: Task, reason = 'Task completed'): void {
    this.settle(task, 'completed', reason);
    this.events.emitTask(workspace, 'task.completed', task, `Task ${task.sid} completed`);
  }

  cancel(workspace: Workspace, task: Task, reason = 'Task canceled'): void {
    this.settle(task, 'canceled', reason);
    this.events.emitTask(workspace, 'task.canceled', task, `Task ${task.sid} canceled`);
  }

  /** Nobody took the task in time: the workflow times out and cancels it. */
  timeOut(workspace: Workspace, task: Task): void {
    this.events.emitTask(workspace, 'workflow.timeout', task, `Task ${task.sid} timed out of its workflow`);
    this.cancel(workspace, task, 'Workflow Timeout');
  }

  deleteTask(workspace: Workspace, task: Task): void {
    workspace.tasks.delete(task.sid);
    this.events.emitTask(workspace, 'task.deleted', task, `Task ${task.sid} deleted`);
  }

  /** Moves the task and its live reservations along with it. */
  private settle(task: Task, status: 'wrapping' | 'completed' | 'canceled', reason: string | null): void {
    task.assignmentStatus = status;
    task.reason = reason;
    for (const reservation of task.reservations) {
      if (reservation.status === 'pending') reservation.status = status === 'canceled' ? 'canceled' : 'rescinded';
      else if (reservation.status === 'accepted' || reservation.status === 'wrapping') {
        reservation.status = status === 'wrapping' ? 'wrapping' : 'completed';
      } else continue;
      reservation.updatedAt = this.now();
    }
    this.touch(task);
  }

  private touch(task: Task): void {
    task.revision += 1;
    task.updatedAt = this.now();
  }

  private seed(): void {
    const workspace = flexWorkspace(this.sids, this.eventCallbackUrl ?? null, this.now());
    this.workspaces.set(workspace.sid, workspace);
  }

  private now(): number {
    return this.store.clock.now();
  }
}
