/** The Conversations service's post-event webhook: rep replies join the transcript; a closed conversation ends the session. */
import type * as Http from '../../assets/edge/http.private';
import type * as Webhook from '../../assets/edge/twilio-signature.private';
import type * as App from '../../assets/runtime/deps.private';
import type * as ConversationEvents from '../../assets/handoff/conversation-events.private';

const assets = Runtime.getAssets();
const { withErrorHandling, emptyResponse } = require(assets['/edge/http.js'].path) as typeof Http;
const { assertSignedByTwilio, webhookParams } = require(assets['/edge/twilio-signature.js'].path) as typeof Webhook;
const { createApp } = require(assets['/runtime/deps.js'].path) as typeof App;
const { parseConversationEvent, handleConversationEvent } = require(
  assets['/handoff/conversation-events.js'].path,
) as typeof ConversationEvents;

export const handler = withErrorHandling<Record<string, string>>('conversations/event', async (context, event) => {
  assertSignedByTwilio(context, event);
  const conversationEvent = parseConversationEvent(webhookParams(event));
  if (conversationEvent) {
    const app = createApp(context, 'conversations/event');
    const result = await handleConversationEvent(app, conversationEvent);
    app.logger.info(`${conversationEvent.EventType} ${result}`, { conversationSid: conversationEvent.ConversationSid });
  }
  return emptyResponse();
});
