/** What TaskRouter's REST API checks in a request: expressions, attributes, workflow documents, If-Match. */
import { TwilioError } from '../../errors';
import type { ApiRequest } from '../../product';
import { type Expression, ExpressionError, parseExpression } from '../../../taskrouter-expressions';
import type { WorkflowConfiguration } from './engine';
import type { Task, Workspace } from './model';

export function checkExpression(source: string, parameter = 'EvaluateTaskAttributes'): Expression {
  try {
    return parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) throw new TwilioError(400, 20001, `Invalid ${parameter}: ${error.message}`);
    throw error;
  }
}

/** Task attributes are a JSON object. */
export function checkAttributes(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TwilioError(400, 20001, 'Attributes must be valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TwilioError(400, 20001, 'Attributes must be a JSON object');
  }
  return json;
}

/** A workflow's routing document must parse, its expressions too, and name this workspace's queues. */
export function checkConfiguration(workspace: Workspace, json: string): void {
  const invalid = (why: string) => new TwilioError(400, 20001, `Invalid workflow Configuration: ${why}`);
  let routing: WorkflowConfiguration['task_routing'] | undefined;
  try {
    routing = (JSON.parse(json) as Partial<WorkflowConfiguration>).task_routing;
  } catch {
    throw invalid('not valid JSON');
  }
  if (typeof routing !== 'object' || routing === null) throw invalid('no task_routing');
  const queues = [
    ...(routing.filters ?? []).map((filter) => {
      checkExpression(filter.expression, 'filter expression');
      return filter.targets?.[0]?.queue;
    }),
    ...(routing.default_filter ? [routing.default_filter.queue] : []),
  ];
  if (queues.length === 0) throw invalid('no queue to route to');
  const unknown = queues.filter((sid) => !sid || !workspace.queues.has(sid));
  if (unknown.length) throw invalid(`unknown TaskQueue ${unknown.map(String).join(', ')}`);
}

/** `If-Match` makes the write conditional on the task's revision (its ETag), quoted or not. */
export function checkRevision(req: ApiRequest, task: Task): void {
  const expected = req.headers['if-match'];
  if (expected !== undefined && expected.replace(/^(W\/)?"|"$/g, '') !== String(task.revision)) {
    throw new TwilioError(412, 20412, `Task ${task.sid} is at revision ${task.revision}, not ${expected}`);
  }
}

/** `Ordering=DateCreated:desc,Priority:asc`; oldest first by default. */
export function ordering(spec = 'DateCreated:asc'): (a: Task, b: Task) => number {
  const keys = spec.split(',').map((part) => {
    const [field, direction] = part.split(':');
    const sign = direction?.toLowerCase() === 'desc' ? -1 : 1;
    const value = field === 'Priority' ? (t: Task) => t.priority : (t: Task) => t.createdAt;
    return { value, sign };
  });
  return (a, b) => {
    for (const { value, sign } of keys) {
      const difference = (value(a) - value(b)) * sign;
      if (difference !== 0) return difference;
    }
    return 0;
  };
}
