/**
 * Where the Flex workflow sends a handed-off text. TaskRouter tries the workflow's filters in order: the first
 * whose expression matches the task's attributes routes it, to its first target's queue, and the default
 * filter takes what none matched. The same evaluation runs here, with the project's one TaskRouter expression
 * evaluator, on the attributes a real handed-off task carries.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import { retryOnServerError } from '../../assets/twilio/gateway.private';
import { handoffTaskAttributes } from '../../assets/handoff/task-attributes.private';
import { evaluateExpression, ExpressionError } from '../../taskrouter-expressions';
import { isNotFound, type Step } from './step';

export const HANDOFF_FILTER_NAME = 'Handed off by AI';
export const HANDOFF_EXPRESSION = 'handedOff == true';

export interface WorkflowFilter {
  filter_friendly_name?: string;
  expression: string;
  targets?: { queue?: string }[];
}

/** A workflow's Configuration document; members this code does not read are kept as they are. */
export interface RoutingConfiguration {
  task_routing: { filters?: WorkflowFilter[]; default_filter?: { queue?: string } };
}

const SAMPLE_CONTACT = '+14155550100';
const SAMPLE_SIDS = {
  conversationSid: `CH${'0'.repeat(32)}`,
  flexInteractionSid: `KD${'0'.repeat(32)}`,
  flexInteractionChannelSid: `UO${'0'.repeat(32)}`,
};

/** A handed-off text's task attributes: ours (as the handoff sets them) and those Flex adds. */
export function sampleHandoffAttributes(): Record<string, unknown> {
  const requestedAt = new Date();
  const ours = handoffTaskAttributes({
    contact: SAMPLE_CONTACT,
    conversationSid: SAMPLE_SIDS.conversationSid,
    handoff: {
      reason: 'contact_requested',
      summary: 'The contact asked where their order is and then for a person.',
      sentiment: 'neutral',
      language: 'en',
      requestedAt: requestedAt.toISOString(),
      attempt: 1,
    },
    customData: {},
    sessionStartedAt: new Date(requestedAt.getTime() - 120_000).toISOString(),
  });
  return { ...ours, ...SAMPLE_SIDS, channelType: 'sms' };
}

/** The same task as if it had not been handed off: what a filter that ignores the handoff also matches. */
function withoutHandoff(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => !/^handedOff$|^handoff[A-Z]/.test(key)));
}

export type Route =
  | { by: 'filter'; index: number; filter: WorkflowFilter; queueSid?: string }
  | { by: 'default'; queueSid?: string }
  | { by: 'nothing' };

/** Where TaskRouter sends a task with these attributes. Throws ExpressionError for a filter it cannot read. */
export function routeTask(configuration: RoutingConfiguration, attributes: Record<string, unknown>): Route {
  const { filters = [], default_filter } = configuration.task_routing;
  const index = filters.findIndex((filter) => evaluateExpression(filter.expression, attributes));
  if (index >= 0) return { by: 'filter', index, filter: filters[index], queueSid: filters[index].targets?.[0]?.queue };
  return default_filter ? { by: 'default', queueSid: default_filter.queue } : { by: 'nothing' };
}

export type HandoffRouting =
  /** A filter that looks at the handoff routes it: what the handoff needs. */
  | { kind: 'handoff-filter'; route: Extract<Route, { by: 'filter' }> }
  /** The first filter it matches takes tasks that were not handed off too. */
  | { kind: 'catch-all'; route: Extract<Route, { by: 'filter' }> }
  | { kind: 'default'; route: Extract<Route, { by: 'default' }> }
  | { kind: 'unrouted' };

export function handoffRouting(configuration: RoutingConfiguration): HandoffRouting {
  const handedOff = sampleHandoffAttributes();
  const route = routeTask(configuration, handedOff);
  if (route.by === 'default') return { kind: 'default', route };
  if (route.by === 'nothing') return { kind: 'unrouted' };
  const before = routeTask(configuration, withoutHandoff(handedOff));
  const catchAll = before.by === 'filter' && before.index === route.index;
  return { kind: catchAll ? 'catch-all' : 'handoff-filter', route };
}

/** The configuration with "Handed off by AI" (handedOff == true → the queue) first; an older one of ours goes. */
export function withHandoffFilter(configuration: RoutingConfiguration, queueSid: string): RoutingConfiguration {
  const others = (configuration.task_routing.filters ?? []).filter(
    (f) => f.filter_friendly_name !== HANDOFF_FILTER_NAME,
  );
  const handoff: WorkflowFilter = {
    filter_friendly_name: HANDOFF_FILTER_NAME,
    expression: HANDOFF_EXPRESSION,
    targets: [{ queue: queueSid }],
  };
  return { ...configuration, task_routing: { ...configuration.task_routing, filters: [handoff, ...others] } };
}

export function parseConfiguration(json: string): RoutingConfiguration {
  const document = JSON.parse(json) as Partial<RoutingConfiguration>;
  if (typeof document?.task_routing !== 'object' || document.task_routing === null) {
    throw new Error('its Configuration has no task_routing');
  }
  return document as RoutingConfiguration;
}

const filterName = (filter: WorkflowFilter) => filter.filter_friendly_name ?? filter.expression;

const describeFilters = (configuration: RoutingConfiguration) =>
  (configuration.task_routing.filters ?? []).map((f) => `"${filterName(f)}" (${f.expression})`).join(', ') || '(none)';

type QueueName = (sid: string | undefined) => string;

/** What is wrong with where handed-off texts go, and what it means for them. */
function misrouting(routing: Exclude<HandoffRouting, { kind: 'handoff-filter' }>, queueName: QueueName) {
  switch (routing.kind) {
    case 'catch-all': {
      const { filter, queueSid } = routing.route;
      return {
        detail: `the first filter handed-off texts match, "${filterName(filter)}" (${filter.expression}), does not look at handedOff`,
        consequence:
          `Handed-off texts will land in the catch-all queue ${queueName(queueSid)}: ` +
          'the first filter they match takes every task, not only handed-off ones',
      };
    }
    case 'default':
      return {
        detail: 'no filter matches handed-off texts',
        consequence: `Handed-off texts will land in the default queue ${queueName(routing.route.queueSid)}: no filter routes them`,
      };
    case 'unrouted':
      return {
        detail: 'no filter matches handed-off texts and there is no default filter',
        consequence: 'Handed-off texts will reach no queue: no filter matches them and there is no default filter',
      };
  }
}

const WORKFLOWS_IN_CONSOLE = 'Console → TaskRouter → Workspaces → Flex Task Assignment → Workflows';

/** The workflow step: handed-off texts reach a queue through a filter of their own, or setup adds one. */
export async function workflowStep(
  client: TwilioClient,
  env: { FLEX_WORKSPACE_SID: string; FLEX_WORKFLOW_SID: string },
  queueFlag: string | undefined,
): Promise<Step> {
  const workspace = client.taskrouter.v1.workspaces(env.FLEX_WORKSPACE_SID);
  const [workflow, queues] = await Promise.all([
    retryOnServerError(() => workspace.workflows(env.FLEX_WORKFLOW_SID).fetch()).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    }),
    retryOnServerError(() => workspace.taskQueues.list()),
  ]);
  if (!workflow) {
    return {
      id: 'workflow',
      subject: `Workflow ${env.FLEX_WORKFLOW_SID}`,
      status: 'broken',
      detail: 'not in the workspace (FLEX_WORKFLOW_SID)',
      consequence: 'No handoff can be routed: the functions create tasks on this workflow',
      fix: `Set FLEX_WORKFLOW_SID to a workflow of the Flex workspace: ${WORKFLOWS_IN_CONSOLE}`,
      changes: [],
    };
  }
  return planWorkflow(
    { name: workflow.friendlyName, configuration: workflow.configuration },
    queues.map((q) => ({ sid: q.sid, name: q.friendlyName })),
    queueFlag,
    async (configuration) => {
      await workspace.workflows(workflow.sid).update({ configuration });
    },
  );
}

function planWorkflow(
  workflow: { name: string; configuration: string },
  queues: { sid: string; name: string }[],
  queueFlag: string | undefined,
  update: (configuration: string) => Promise<void>,
): Step {
  const base = { id: 'workflow', subject: `Workflow "${workflow.name}"`, setting: true, changes: [] };
  const queueName: QueueName = (sid) => `"${queues.find((q) => q.sid === sid)?.name ?? sid}"`;
  let configuration: RoutingConfiguration;
  let routing: HandoffRouting;
  try {
    configuration = parseConfiguration(workflow.configuration);
    routing = handoffRouting(configuration);
  } catch (error) {
    const why = error instanceof ExpressionError || error instanceof SyntaxError ? error.message : String(error);
    return {
      ...base,
      status: 'broken',
      detail: `cannot be evaluated: ${why}`,
      fix: `Check its filters: ${WORKFLOWS_IN_CONSOLE}`,
    };
  }
  if (routing.kind === 'handoff-filter') {
    const { filter, queueSid } = routing.route;
    const detail = `handed-off texts go to queue ${queueName(queueSid)} (filter "${filterName(filter)}")`;
    return { ...base, status: 'ok', detail };
  }
  const { detail, consequence } = misrouting(routing, queueName);
  const queue = queueFlag ?? (routing.kind === 'unrouted' ? undefined : routing.route.queueSid);
  if (!queue || !queues.some((q) => q.sid === queue)) {
    const choices = queues.map((q) => `"${q.name}" ${q.sid}`).join(', ');
    return {
      ...base,
      status: 'broken',
      detail: queueFlag ? `${detail}; --queue ${queueFlag} is not a queue of this workspace` : detail,
      consequence,
      fix: `Pass the human queue for handed-off texts: npm run setup -- --yes --queue <one of ${choices}>`,
    };
  }
  const fixed = withHandoffFilter(configuration, queue);
  const added = `"${HANDOFF_FILTER_NAME}" (${HANDOFF_EXPRESSION} → ${queueName(queue)})`;
  return {
    ...base,
    status: 'fixable',
    detail,
    consequence,
    fix: `npm run setup -- --yes adds the filter ${added} first`,
    changes: [{ field: 'filters', from: describeFilters(configuration), to: describeFilters(fixed) }],
    confirm: `Add the filter ${added} first in workflow "${workflow.name}"?`,
    action: `add the filter ${added} first`,
    apply: async () => {
      await update(JSON.stringify(fixed));
      return `handed-off texts go to queue ${queueName(queue)} (filter "${HANDOFF_FILTER_NAME}")`;
    },
  };
}
