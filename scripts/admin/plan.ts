/**
 * Reads everything the handoff needs from the account, in parallel, into steps: the plan setup applies and
 * the doctor checks. A missing resource is a broken step that names the setting to correct; what depends on it
 * is left out rather than failing twice.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { type DeploymentLookup, findDeployment } from './deployment';
import type { AdminEnv, Flags } from './env';
import { syncStep, taskChannelStep } from './resources';
import { pluginStep } from './plugin';
import { type DeploymentNumber, numberSteps, type NumberSteps } from './numbers';
import { describeError, failedStep, guarded, isNotFound, type Step } from './step';
import { conversationsStep } from './webhooks';
import { taskEventSteps } from './event-streams';
import { handoffConversationsStep, readHandoffConversations } from './handoff-conversations';
import { workflowStep } from './workflow';

export interface Plan {
  deployment: DeploymentLookup;
  /** The numbers whose texts are meant for this deployment: named, then found pointing at it. */
  numbers: DeploymentNumber[];
  steps: Step[];
}

/** The order steps are shown in: from where a text arrives to where its session is kept. */
const ORDER = [
  'deployment',
  'number',
  'messaging-service',
  'flex-address',
  'compliance',
  'workspace',
  'event-streams',
  'handoff-conversations',
  'conversations',
  'workflow',
  'task-channel',
  'sync',
  'plugin',
];

export async function readPlan(
  client: TwilioClient,
  env: AdminEnv,
  flags: Pick<Flags, 'domain' | 'environment' | 'numbers' | 'messagingService' | 'queue' | 'plugin'>,
): Promise<Plan> {
  const deployment = await findDeployment(client, flags.domain, flags.environment).catch(
    (error: unknown): DeploymentLookup => ({
      found: false,
      problem: `could not be read: ${describeError(error)}`,
      fix: 'Pass --domain <your service domain>',
    }),
  );
  const domain = deployment.found ? deployment.domain : undefined;
  const numbers = numberSteps(client, env, flags, domain).catch((error: unknown): NumberSteps => ({
    numbers: [],
    steps: [failedStep('number', 'Twilio number', error)],
  }));
  const groups = await Promise.all([
    numbers.then((found) => found.steps),
    guarded('workspace', `Workspace ${env.FLEX_WORKSPACE_SID}`, () => workspaceSteps(client, env, domain, flags.queue)),
    guarded('conversations', `Conversations service ${env.CONVERSATIONS_SERVICE_SID}`, () =>
      conversationsSteps(client, env, domain),
    ),
    guarded('sync', 'Sync service', async () => [await syncStep(client, env)]),
    // The plugin's URL is on the deployment: without one, the deployment step already says what to do.
    domain && flags.plugin ? guarded('plugin', 'Flex plugin', async () => [await pluginStep(client, domain)]) : [],
  ]);
  const steps = [deploymentStep(deployment), ...groups.flat()];
  steps.sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  return { deployment, numbers: (await numbers).numbers, steps };
}

function deploymentStep(deployment: DeploymentLookup): Step {
  const base = { id: 'deployment', subject: 'Deployment', changes: [] };
  if (deployment.found) return { ...base, status: 'ok', detail: `${deployment.domain} (${deployment.source})` };
  return { ...base, status: 'broken', detail: deployment.problem, fix: deployment.fix };
}

/** A SID from `.env` that names nothing in this account. */
function notInAccount(id: string, subject: string, variable: keyof AdminEnv, where: string): Step {
  return {
    id,
    subject,
    status: 'broken',
    detail: `not in this account (${variable})`,
    fix: `Set ${variable} to yours: ${where}`,
    changes: [],
  };
}

async function fetchUnlessMissing<T>(fetch: () => Promise<T>): Promise<T | undefined> {
  try {
    return await retryOnServerError(fetch);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function workspaceSteps(
  client: TwilioClient,
  env: AdminEnv,
  domain: string | undefined,
  queue: string | undefined,
): Promise<Step[]> {
  const sid = env.FLEX_WORKSPACE_SID;
  const workspace = await fetchUnlessMissing(() => client.taskrouter.v1.workspaces(sid).fetch());
  if (!workspace) {
    const where = 'Console → TaskRouter → Workspaces → "Flex Task Assignment"';
    return [notInAccount('workspace', `Workspace ${sid}`, 'FLEX_WORKSPACE_SID', where)];
  }
  const { friendlyName, eventCallbackUrl, eventsFilter } = workspace;
  const dependents = await Promise.all([
    guarded('workflow', `Workflow ${env.FLEX_WORKFLOW_SID}`, async () => [await workflowStep(client, env, queue)]),
    guarded('task-channel', `Task channel "${env.FLEX_TASK_CHANNEL}"`, async () => [
      await taskChannelStep(client, env),
    ]),
  ]);
  const settings = { sid, friendlyName, eventCallbackUrl, eventsFilter };
  return [...(await taskEventSteps(client, settings, domain)), ...dependents.flat()];
}

async function conversationsSteps(client: TwilioClient, env: AdminEnv, domain: string | undefined): Promise<Step[]> {
  const sid = env.CONVERSATIONS_SERVICE_SID;
  const service = await fetchUnlessMissing(() => client.conversations.v1.services(sid).fetch());
  if (!service) {
    const where = 'Console → Conversations → Services';
    return [notInAccount('conversations', `Conversations service ${sid}`, 'CONVERSATIONS_SERVICE_SID', where)];
  }
  // Without the domain, neither the scoped webhooks' URLs nor whose the service's webhook is can be told.
  if (!domain) return [];
  const [handoffs, serviceWebhook] = await Promise.all([
    readHandoffConversations(client, sid, domain),
    conversationsStep(client, { sid, friendlyName: service.friendlyName }, domain),
  ]);
  return [handoffConversationsStep(client, sid, handoffs), serviceWebhook];
}
