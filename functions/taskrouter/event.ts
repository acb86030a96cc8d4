/** The Flex workspace's event callback: the task's life moves the contact's session along. */
import type * as Http from '../../assets/edge/http.private';
import type * as Signature from '../../assets/edge/twilio-signature.private';
import type * as DepsModule from '../../assets/runtime/deps.private';
import type * as TaskEvents from '../../assets/handoff/task-events.private';
import type * as LoadModule from '../../assets/runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { withErrorHandling, emptyResponse } = load<typeof Http>('/edge/http.js');
const { assertSignedByTwilio, webhookParams } = load<typeof Signature>('/edge/twilio-signature.js');
const { createDeps } = load<typeof DepsModule>('/runtime/deps.js');
const { parseTaskEvent, handleTaskEvent } = load<typeof TaskEvents>('/handoff/task-events.js');

export const handler = withErrorHandling<Record<string, string>>('taskrouter/event', async (context, event) => {
  assertSignedByTwilio(context, event);
  const taskEvent = parseTaskEvent(webhookParams(event));
  if (taskEvent) {
    const deps = createDeps(context, 'taskrouter/event');
    const result = await handleTaskEvent(deps, taskEvent);
    deps.logger.info(`${taskEvent.EventType} ${result}`, { taskSid: taskEvent.TaskSid });
  }
  return emptyResponse();
});
