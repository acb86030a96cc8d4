/**
 * Control routes that play the rep in the Flex UI and Twilio's own moves on a task: list the tasks, accept or
 * decline, reply, edit the task's attributes, end and complete; cancel, time out, delete; and make the next
 * interaction fail.
 */
import { z } from 'zod';
import { ControlError, parseBody } from '../../control';
import { TwilioError } from '../../errors';
import type { ControlHandler, ControlResult } from '../../product';
import type { Route } from '../../router';
import { newSid } from '../../sid';
import type { Conversations } from '../conversations/engine';
import type { Conversation } from '../conversations/model';
import type { TaskRouter } from '../taskrouter/engine';
import { isFinal, parseObject, type Task, type Worker, workerIdentity, type Workspace } from '../taskrouter/model';
import type { Interactions } from './interactions';

const TaskBody = z.object({ taskSid: z.string() });
const AcceptBody = TaskBody.extend({ workerSid: z.string().optional() });
const ReplyBody = TaskBody.extend({
  body: z.string().default(''),
  media: z
    .array(z.object({ contentType: z.string(), base64: z.string(), filename: z.string().optional() }))
    .default([]),
});
const AttributesBody = TaskBody.extend({ attributes: z.record(z.string(), z.unknown()) });
const CancelBody = TaskBody.extend({ reason: z.string().optional() });

interface TaskContext {
  workspace: Workspace;
  task: Task;
}

export function playbackRoutes(
  interactions: Interactions,
  conversations: Conversations,
  taskRouter: TaskRouter,
): Route<ControlHandler>[] {
  const taskOf = (taskSid: string): TaskContext => {
    const found = taskRouter.findTask(taskSid);
    if (!found) throw new ControlError(404, `No task ${taskSid}`);
    return found;
  };
  const live = (taskSid: string): TaskContext => {
    const context = taskOf(taskSid);
    if (isFinal(context.task)) throw new ControlError(409, `Task ${taskSid} is ${context.task.assignmentStatus}`);
    return context;
  };
  const conversationOf = (task: Task): Conversation | undefined => {
    const sid = interactions.channelOfTask(task.sid)?.conversationSid ?? parseObject(task.attributes).conversationSid;
    return typeof sid === 'string' ? conversations.findConversation(sid) : undefined;
  };
  /** The worker who accepted the task. */
  const assignee = ({ workspace, task }: TaskContext): Worker => {
    const reservation = task.reservations.find((r) => r.status === 'accepted' || r.status === 'wrapping');
    const worker = reservation && workspace.workers.get(reservation.workerSid);
    if (!worker) throw new ControlError(409, `Task ${task.sid} is ${task.assignmentStatus}: nobody accepted it`);
    return worker;
  };

  const accept = ({ taskSid, workerSid }: z.infer<typeof AcceptBody>) => {
    const { workspace, task } = live(taskSid);
    if (task.assignmentStatus !== 'pending') throw new ControlError(409, `Task ${taskSid} is ${task.assignmentStatus}`);
    const worker = workspace.workers.get(workerSid ?? taskRouter.sids.worker);
    if (!worker) throw new ControlError(404, `No worker ${workerSid}`);
    const conversation = conversationOf(task);
    if (conversation?.state === 'closed') throw new ControlError(409, `Conversation ${conversation.sid} is closed`);
    const reservation = taskRouter.reserveAndAccept(workspace, task, worker);
    // Flex adds the rep to the task's conversation once they accept.
    const identity = workerIdentity(worker);
    const participant =
      conversation &&
      (conversations.participant(conversation, identity) ??
        twilioCall(() => conversations.addParticipant(conversation, { identity, attributes: '{}' }, true)));
    interactions.channelOfTask(task.sid)?.participants.push({
      sid: newSid('UT'),
      type: 'agent',
      routingProperties: { workspace_sid: workspace.sid, worker_sid: worker.sid, reservation_sid: reservation.sid },
    });
    const participantSid = participant?.sid ?? null;
    return ok({ taskSid, reservationSid: reservation.sid, workerSid: worker.sid, identity, participantSid });
  };

  const decline = ({ taskSid, workerSid }: z.infer<typeof AcceptBody>) => {
    const { workspace, task } = live(taskSid);
    if (task.assignmentStatus !== 'pending') throw new ControlError(409, `Task ${taskSid} is ${task.assignmentStatus}`);
    const worker = workspace.workers.get(workerSid ?? taskRouter.sids.worker);
    if (!worker) throw new ControlError(404, `No worker ${workerSid}`);
    const reservation = taskRouter.reserveAndReject(workspace, task, worker);
    return ok({ taskSid, reservationSid: reservation.sid, assignmentStatus: task.assignmentStatus });
  };

  /** What the Flex UI's task list knows: every task of the Flex workspace, newest first. */
  const tasks = (): ControlResult => {
    const workspace = taskRouter.workspaces.get(taskRouter.sids.workspace);
    const all = workspace ? [...workspace.tasks.values()] : [];
    return ok(
      all
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((task) => ({
          sid: task.sid,
          assignmentStatus: task.assignmentStatus,
          reason: task.reason,
          attributes: parseObject(task.attributes),
          conversationSid: conversationOf(task)?.sid ?? null,
          dateCreated: new Date(task.createdAt).toISOString(),
          dateUpdated: new Date(task.updatedAt).toISOString(),
        })),
    );
  };

  const reply = ({ taskSid, body, media }: z.infer<typeof ReplyBody>) => {
    const context = live(taskSid);
    const identity = workerIdentity(assignee(context));
    const conversation = conversationOf(context.task);
    if (!conversation) throw new ControlError(409, `Task ${taskSid} has no conversation to reply in`);
    const message = twilioCall(() =>
      conversations.addMessage(
        conversation,
        {
          author: identity,
          body: body || undefined,
          attributes: '{}',
          media: media.map(({ contentType, base64, filename }) =>
            conversations.uploadMedia(conversation, identity, {
              contentType,
              bytes: Buffer.from(base64, 'base64'),
              filename,
            }),
          ),
          source: 'SDK',
        },
        true,
      ),
    );
    return ok({ messageSid: message.sid, index: message.index, conversationSid: conversation.sid });
  };

  const updateAttributes = ({ taskSid, attributes }: z.infer<typeof AttributesBody>) => {
    const { workspace, task } = live(taskSid);
    const merged = { ...parseObject(task.attributes), ...attributes };
    taskRouter.updateAttributes(workspace, task, JSON.stringify(merged));
    return ok({ taskSid, attributes: merged });
  };

  /** The rep ends the chat (the channel closes: conversation closed, task wrapping), then completes the task. */
  const complete = ({ taskSid }: z.infer<typeof TaskBody>) => {
    const context = live(taskSid);
    assignee(context);
    const channel = interactions.channelOfTask(taskSid);
    if (channel) interactions.closeChannel(channel);
    else if (context.task.assignmentStatus === 'assigned') taskRouter.wrapUp(context.workspace, context.task);
    taskRouter.complete(context.workspace, context.task, 'Task completed by the rep');
    return ok({ taskSid, assignmentStatus: context.task.assignmentStatus });
  };

  const cancel = ({ taskSid, reason }: z.infer<typeof CancelBody>) => {
    const { workspace, task } = live(taskSid);
    taskRouter.cancel(workspace, task, reason);
    return ok({ taskSid, assignmentStatus: task.assignmentStatus });
  };

  const timeout = ({ taskSid }: z.infer<typeof TaskBody>) => {
    const { workspace, task } = live(taskSid);
    taskRouter.timeOut(workspace, task);
    return ok({ taskSid, assignmentStatus: task.assignmentStatus });
  };

  const remove = ({ taskSid }: z.infer<typeof TaskBody>) => {
    const { workspace, task } = taskOf(taskSid);
    taskRouter.deleteTask(workspace, task);
    return ok({ taskSid, deleted: true });
  };

  const route = <T>(name: string, schema: z.ZodType<T>, play: (body: T) => ControlResult): Route<ControlHandler> => ({
    method: 'POST',
    path: `/__emulator/flex/${name}`,
    handler: ({ body }) => play(parseBody(schema, body)),
  });

  return [
    {
      method: 'POST',
      path: '/__emulator/flex/fail-next-interaction',
      handler: () => {
        interactions.failNext = true;
        return { status: 204 };
      },
    },
    { method: 'GET', path: '/__emulator/flex/tasks', handler: tasks },
    route('accept', AcceptBody, accept),
    route('decline', AcceptBody, decline),
    route('reply', ReplyBody, reply),
    route('update-attributes', AttributesBody, updateAttributes),
    route('complete', TaskBody, complete),
    route('cancel', CancelBody, cancel),
    route('timeout', TaskBody, timeout),
    route('delete', TaskBody, remove),
  ];
}

function ok(json: unknown): ControlResult {
  return { status: 200, json };
}

/** Twilio refusing what the rep tried (a closed conversation) is answered as a control error. */
function twilioCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof TwilioError) throw new ControlError(409, `Twilio refused: ${error.code} ${error.message}`);
    throw error;
  }
}
