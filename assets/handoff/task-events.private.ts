/**
 * The Flex task's life, from the workspace's event callback, applied to the contact's session. Events can
 * repeat and arrive out of order: each one only moves the session forward, and only for the conversation the
 * session is handed off to now (a late event of an earlier handoff changes nothing).
 */
import { z } from 'zod';
import type { Deps } from '../runtime/deps.private';
import type { ContactRecord, Session } from '../session/model.private';
import type * as Attributes from './task-attributes.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as SessionModule from '../session/model.private';
import type * as Outcome from '../insights/outcome.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { recordTaskMilestone } = load<typeof Outcome>('/insights/outcome.js');
const { customDataFromTask } = load<typeof Attributes>('/handoff/task-attributes.js');
const { closeConversation, closeHandoff } = load<typeof Gateway>('/twilio/gateway.js');
const { closeSession } = load<typeof SessionModule>('/session/model.js');

const TaskEventParams = z.looseObject({
  EventType: z.string().min(1),
  WorkspaceSid: z.string().min(1),
  TaskSid: z.string().optional(),
  TaskAttributes: z.string().optional(),
  WorkerName: z.string().optional(),
  TaskCanceledReason: z.string().optional(),
  /** When the event happened (the callback's; Event Streams deliveries have none here). */
  TimestampMs: z
    .string()
    .regex(/^\d{13}$/)
    .optional(),
});

export type TaskEvent = z.infer<typeof TaskEventParams> & { attributes: Record<string, unknown> };

/** The event, or undefined when it is not about a task (worker or queue events pass through untouched). */
export function parseTaskEvent(params: Record<string, string>): TaskEvent | undefined {
  const parsed = TaskEventParams.safeParse(params);
  if (!parsed.success || !parsed.data.TaskAttributes) return undefined;
  try {
    const attributes = JSON.parse(parsed.data.TaskAttributes) as unknown;
    if (typeof attributes !== 'object' || attributes === null) return undefined;
    return { ...parsed.data, attributes: attributes as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

const ENDED = new Set(['task.wrapup', 'task.completed']);
const ABANDONED = new Set(['task.canceled', 'task.deleted', 'workflow.timeout']);
const HANDLED = new Set(['task.created', 'reservation.accepted', 'task.updated', ...ENDED, ...ABANDONED]);

export type EventResult = 'applied' | 'ignored';

export async function handleTaskEvent(deps: Deps, event: TaskEvent): Promise<EventResult> {
  const { attributes } = event;
  const phone = typeof attributes.from === 'string' ? attributes.from : undefined;
  const conversationSid = attributes.conversationSid;
  if (event.WorkspaceSid !== deps.config.FLEX_WORKSPACE_SID || !HANDLED.has(event.EventType)) return 'ignored';
  if (!phone || attributes.handedOff !== true || typeof conversationSid !== 'string') return 'ignored';

  const isCurrent = (session: Session | undefined): session is Session =>
    session?.handoff?.conversationSid === conversationSid && session.status !== 'closed' && session.status !== 'ai';

  const endsHandoff = ENDED.has(event.EventType) || ABANDONED.has(event.EventType);
  const ended = await deps.store.update<Session | 'ignored' | undefined>(phone, async ({ record }) => {
    const session = record.session;
    if (!isCurrent(session)) return { result: 'ignored' };
    return { record: applyEvent(record, session, event, deps.now()), result: endsHandoff ? session : undefined };
  });
  if (ended === 'ignored') return 'ignored';
  if (ended === undefined) return 'applied';
  if (ABANDONED.has(event.EventType)) await giveContactBackToAi(deps, phone, ended, conversationSid);
  else await closeInteraction(deps, ended, conversationSid, attributes);
  return 'applied';
}

function applyEvent(record: ContactRecord, session: Session, event: TaskEvent, now: Date): ContactRecord {
  const handoff = session.handoff!;
  switch (event.EventType) {
    case 'task.created':
      return withSession(record, {
        ...session,
        handoff: { ...handoff, taskSid: event.TaskSid, taskStatus: handoff.taskStatus ?? 'queued' },
      });
    case 'reservation.accepted':
      return withSession(record, {
        ...recordTaskMilestone(session, { kind: 'accepted', at: happenedAt(event, now) }),
        handoff: { ...handoff, taskSid: event.TaskSid, taskStatus: 'assigned', workerName: event.WorkerName },
      });
    case 'task.updated':
      return withSession(record, {
        ...session,
        customData: { ...session.customData, ...customDataFromTask(event.attributes) },
      });
    case 'task.wrapup':
    case 'task.completed':
      return withSession(
        record,
        closeSession(session, event.EventType === 'task.wrapup' ? 'task_wrapup' : 'task_completed', now),
      );
    default:
      // Canceled, deleted or timed out: nobody took it, so the AI has the contact back in the same session.
      return withSession(record, {
        ...recordTaskMilestone(session, {
          kind: 'canceled',
          at: happenedAt(event, now),
          reason: canceledReason(event),
        }),
        status: 'ai',
        failedAnswers: 0,
        lastActivityAt: now.toISOString(),
        handoff: { ...handoff, lease: undefined },
      });
  }
}

/** When the event happened, for insights: TaskRouter's time, as a delivery may come late. */
function happenedAt(event: TaskEvent, now: Date): Date {
  return event.TimestampMs ? new Date(Number(event.TimestampMs)) : now;
}

/** Why nobody took the task, for insights: TaskRouter's reason when it gives one, else what happened. */
function canceledReason(event: TaskEvent): string {
  if (event.TaskCanceledReason) return event.TaskCanceledReason;
  return event.EventType === 'workflow.timeout' ? 'timeout' : event.EventType.replace(/^task\./, '');
}

function withSession(record: ContactRecord, session: Session): ContactRecord {
  return { ...record, session };
}

/**
 * Ending the task closes the interaction channel, and with it the conversation, if Flex has not already: that
 * releases the contact's SMS binding for the next handoff.
 */
async function closeInteraction(
  deps: Deps,
  session: Session,
  conversationSid: string,
  attributes: Record<string, unknown>,
): Promise<void> {
  await closeHandoff(deps, {
    conversationSid,
    interactionSid: session.handoff?.interactionSid ?? (attributes.flexInteractionSid as string | undefined),
    channelSid: session.handoff?.channelSid ?? (attributes.flexInteractionChannelSid as string | undefined),
  });
}

/** Nobody took the task: the conversation closes (freeing the number) and the contact hears why. */
async function giveContactBackToAi(
  deps: Deps,
  phone: string,
  session: Session,
  conversationSid: string,
): Promise<void> {
  await closeConversation(deps, conversationSid).catch((error: unknown) =>
    deps.logger.warn('could not close the abandoned conversation', { error }),
  );
  await deps.client.messages
    .create({ from: session.twilioNumber, to: phone, body: deps.config.NO_AGENT_TEXT })
    .catch((error: unknown) => deps.logger.error('could not tell the contact nobody is available', { error }));
}
