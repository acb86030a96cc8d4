/**
 * The Flex workspace's task events: the task's life moves the contact's session along. They come from the
 * workspace's event callback (form-encoded) or, when another integration owns that callback, from an Event
 * Streams webhook sink (CloudEvents JSON): both are checked (signature, account) and handled alike.
 */
import type * as Http from '../../assets/edge/http.private';
import type * as Signature from '../../assets/edge/twilio-signature.private';
import type * as CloudEvents from '../../assets/edge/cloud-events.private';
import type * as DepsModule from '../../assets/runtime/deps.private';
import type * as TaskEvents from '../../assets/handoff/task-events.private';
import type * as LoadModule from '../../assets/runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { withErrorHandling, emptyResponse } = load<typeof Http>('/edge/http.js');
const { assertSignedByTwilio, webhookParams } = load<typeof Signature>('/edge/twilio-signature.js');
const { isEventStreamsDelivery, signedCloudEvents, taskRouterParams } =
  load<typeof CloudEvents>('/edge/cloud-events.js');
const { withDeps } = load<typeof DepsModule>('/runtime/deps.js');
const { parseTaskEvent, handleTaskEvent } = load<typeof TaskEvents>('/handoff/task-events.js');

export const handler = withErrorHandling<Record<string, string>>('taskrouter/event', async (context, event) => {
  let deliveries: Record<string, string>[];
  if (isEventStreamsDelivery(event)) {
    deliveries = signedCloudEvents(context, event).flatMap((cloudEvent) => {
      const params = taskRouterParams(cloudEvent);
      return params ? [params] : [];
    });
  } else {
    assertSignedByTwilio(context, event);
    deliveries = [webhookParams(event)];
  }
  const taskEvents = deliveries.flatMap((params) => parseTaskEvent(params) ?? []);
  if (taskEvents.length === 0) return emptyResponse();
  // A batch in order: each event only moves the session forward, as the callback's one at a time do.
  await withDeps(context, 'taskrouter/event', async (deps) => {
    for (const taskEvent of taskEvents) {
      const result = await handleTaskEvent(deps, taskEvent);
      deps.logger.info(`${taskEvent.EventType} ${result}`, { taskSid: taskEvent.TaskSid });
    }
  });
  return emptyResponse();
});
