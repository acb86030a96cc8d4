/**
 * The doctor: setup's plan, read and never applied, as pass/fail checks, plus what only shows after the fact
 * (handed-off tasks that ended canceled).
 */
import type { TaskInstance } from 'twilio/lib/rest/taskrouter/v1/workspace/task';
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import type { AdminEnv, Flags } from './env';
import type { DeploymentNumber } from './numbers';
import { readPlan } from './plan';
import { credentialsStep } from './resources';
import { failedStep, isNotFound, type Step } from './step';
import { HANDOFF_EXPRESSION } from './workflow';

export interface Check {
  id: string;
  subject: string;
  ok: boolean;
  /** Passes, but reported: what may still go wrong outside setup's reach (carrier registration). */
  warning?: true;
  detail: string;
  consequence?: string;
  fix?: string;
  /** The Twilio numbers it is about, for a check about some. */
  numbers?: string[];
}

export interface DoctorReport {
  domain?: string;
  /** The numbers checked: those named, and those found pointing at the deployment. */
  numbers: DeploymentNumber[];
  checks: Check[];
}

/** A step passes when nothing needs fixing; tidy-ups setup would still make do not count. */
export function checkOf({ id, subject, status, detail, consequence, fix, numbers }: Step): Check {
  const about = { id, subject, ...(numbers && { numbers }) };
  if (status === 'warning') return { ...about, ok: true, warning: true, detail, consequence, fix };
  return status === 'ok' ? { ...about, ok: true, detail } : { ...about, ok: false, detail, consequence, fix };
}

/** How many canceled tasks to look at: enough to count "recent" ones, few enough for one page. */
const CANCELED_LOOKED_AT = 50;

/** Handed-off tasks that ended canceled: their contacts were told nobody is available. */
export async function canceledHandoffsCheck(client: TwilioClient, env: AdminEnv): Promise<Check | undefined> {
  const subject = 'Recent handoffs';
  let tasks: TaskInstance[];
  try {
    tasks = await retryOnServerError(() =>
      client.taskrouter.v1.workspaces(env.FLEX_WORKSPACE_SID).tasks.list({
        assignmentStatus: ['canceled'],
        evaluateTaskAttributes: HANDOFF_EXPRESSION,
        ordering: 'DateCreated:desc',
        limit: CANCELED_LOOKED_AT,
      }),
    );
  } catch (error) {
    if (isNotFound(error)) return undefined; // the workspace check already says so
    return checkOf(failedStep('canceled-handoffs', subject, error));
  }
  const id = 'canceled-handoffs';
  if (tasks.length === 0) return { id, subject, ok: true, detail: 'no handed-off task was canceled' };
  const [latest] = tasks;
  const count = tasks.length === CANCELED_LOOKED_AT ? `${CANCELED_LOOKED_AT} or more` : String(tasks.length);
  const canceled = `${count} handed-off task${tasks.length === 1 ? ' was' : 's were'} canceled`;
  const reason = latest.reason ?? 'no reason given';
  return {
    id,
    subject,
    ok: false,
    detail: `${canceled}; the latest (${latest.sid}, ${latest.dateCreated.toISOString()}): "${reason}"`,
    consequence: 'Those contacts were told nobody is available, and the AI took them back',
    fix:
      'Read the reason: a timeout means no rep in the queue was available in time; ' +
      'a channel or interaction failure shows in Console → Monitor → Logs → Errors',
  };
}

/** Every check, credentials first: without valid credentials nothing else can be read. */
export async function runDoctor(
  client: TwilioClient,
  env: AdminEnv,
  flags: Pick<Flags, 'domain' | 'environment' | 'numbers' | 'messagingService' | 'plugin'>,
): Promise<DoctorReport> {
  const credentials = checkOf(await credentialsStep(client, env));
  if (!credentials.ok) return { numbers: [], checks: [credentials] };
  const [plan, canceled] = await Promise.all([readPlan(client, env, flags), canceledHandoffsCheck(client, env)]);
  const domain = plan.deployment.found ? plan.deployment.domain : undefined;
  const checks = [credentials, ...plan.steps.map(checkOf), ...(canceled ? [canceled] : [])];
  return { domain, numbers: plan.numbers, checks };
}
