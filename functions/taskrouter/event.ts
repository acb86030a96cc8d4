/** The Flex workspace's event callback: the task's life moves the contact's session along. */
import type * as Http from '../../assets/edge/http.private';
import type * as Webhook from '../../assets/edge/twilio-signature.private';
import type * as App from '../../assets/runtime/deps.private';
import type * as TaskEvents from '../../assets/handoff/task-events.private';

const assets = Runtime.getAssets();
const { withErrorHandling, emptyResponse } = require(assets['/edge/http.js'].path) as typeof Http;
const { assertSignedByTwilio, webhookParams } = require(assets['/edge/twilio-signature.js'].path) as typeof Webhook;
const { createApp } = require(assets['/runtime/deps.js'].path) as typeof App;
const { parseTaskEvent, handleTaskEvent } = require(assets['/handoff/task-events.js'].path) as typeof TaskEvents;

export const handler = withErrorHandling<Record<string, string>>('taskrouter/event', async (context, event) => {
  assertSignedByTwilio(context, event);
  const taskEvent = parseTaskEvent(webhookParams(event));
  if (taskEvent) {
    const app = createApp(context, 'taskrouter/event');
    const result = await handleTaskEvent(app, taskEvent);
    app.logger.info(`${taskEvent.EventType} ${result}`, { taskSid: taskEvent.TaskSid });
  }
  return emptyResponse();
});
