/**
 * Event Streams deliveries to a webhook sink: a JSON array of CloudEvents (one event alone when the sink does
 * not batch), POSTed with `bodySHA256` in the URL's query and signed over that URL. The Functions runtime hands
 * over the parsed JSON (an array's items as keys "0", "1", …, beside the query's `bodySHA256`), not the raw
 * bytes, so the body is serialised again to check its hash: Event Streams sends compact JSON, which serialises
 * back to the same bytes; anything else is refused (403, and Event Streams retries it), never half-trusted.
 *
 * Twilio's docs behind this layout:
 * - https://www.twilio.com/docs/events/webhook-quickstart (webhook sinks, 5 s, signature validation)
 * - https://www.twilio.com/docs/usage/webhooks/webhooks-security (JSON bodies: `bodySHA256`, validateRequestWithBody)
 * - https://www.twilio.com/docs/events/event-types/taskrouter/task (`com.twilio.taskrouter.task.*`, the
 *   TaskRouter.WDSEvent `data`: `account_sid`, `product_name`, `publisher`, the event's fields under `payload`)
 * - https://www.twilio.com/docs/serverless/functions-assets/functions/request-flow (JSON normalized into `event`)
 */
import { z } from 'zod';
import type { Context } from '@twilio-labs/serverless-runtime-types/types';
import type * as Http from './http.private';
import type * as Signature from './twilio-signature.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { HttpError } = load<typeof Http>('/edge/http.js');
const { assertBodySignedByTwilio, BODY_HASH_QUERY } = load<typeof Signature>('/edge/twilio-signature.js');

const CloudEvent = z.looseObject({
  specversion: z.string(),
  type: z.string().min(1),
  id: z.string().min(1),
  data: z.looseObject({ account_sid: z.string().optional() }).optional(),
});

export type CloudEvent = z.infer<typeof CloudEvent>;

/** An Event Streams delivery rather than a form-encoded webhook: it carries the body's hash in its URL. */
export function isEventStreamsDelivery(event: Http.Event): boolean {
  return typeof event[BODY_HASH_QUERY] === 'string';
}

/** The body as Twilio sent it: the array (or the single event) the runtime spread into `event`. */
function deliveredBody(event: Http.Event): unknown {
  const { request: _request, [BODY_HASH_QUERY]: _hash, ...body } = event;
  const keys = Object.keys(body);
  const isArray = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isArray ? keys.map((key) => body[key]) : body;
}

/**
 * The delivery's CloudEvents, oldest first, once its signature, body hash and account are checked: 403 for a
 * bad signature or another account's event, 400 for a body that is not CloudEvents.
 */
export function signedCloudEvents(context: Context<{ ACCOUNT_SID?: string }>, event: Http.Event): CloudEvent[] {
  const body = deliveredBody(event);
  assertBodySignedByTwilio(context, event, JSON.stringify(body));
  const parsed = z.array(CloudEvent).safeParse(Array.isArray(body) ? body : [body]);
  if (!parsed.success) throw new HttpError(400, 'Not CloudEvents', z.treeifyError(parsed.error));
  if (parsed.data.some((cloudEvent) => cloudEvent.data?.account_sid !== context.ACCOUNT_SID)) {
    throw new HttpError(403, 'The request is for another Twilio account');
  }
  return parsed.data;
}

const TASKROUTER_TYPE = /^com\.twilio\.taskrouter\.(.+)$/;

const TaskRouterPayload = z.looseObject({
  eventtype: z.string().optional(),
  account_sid: z.string().optional(),
  workspace_sid: z.string().optional(),
  task_sid: z.string().optional(),
  task_attributes: z.string().optional(),
  worker_name: z.string().optional(),
});

/**
 * A TaskRouter event from Event Streams (schema TaskRouter.WDSEvent: the callback's fields in snake case under
 * `data.payload`) as the workspace callback's parameters, so one parser and one handler serve both routes.
 * Undefined for any other event.
 */
export function taskRouterParams(cloudEvent: CloudEvent): Record<string, string> | undefined {
  const eventType = TASKROUTER_TYPE.exec(cloudEvent.type)?.[1];
  const payload = TaskRouterPayload.safeParse((cloudEvent.data as { payload?: unknown } | undefined)?.payload);
  if (!eventType || !payload.success) return undefined;
  const { workspace_sid, task_sid, task_attributes, worker_name } = payload.data;
  const params: Record<string, string | undefined> = {
    EventType: payload.data.eventtype ?? eventType,
    AccountSid: cloudEvent.data?.account_sid,
    WorkspaceSid: workspace_sid,
    TaskSid: task_sid,
    TaskAttributes: task_attributes,
    WorkerName: worker_name,
  };
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
