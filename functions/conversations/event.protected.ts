/** A handoff conversation's post-event webhook: rep replies join the transcript; a closed conversation ends the session. */
import type * as Http from '../../assets/edge/http.private';
import type * as Signature from '../../assets/edge/twilio-signature.private';
import type * as DepsModule from '../../assets/runtime/deps.private';
import type * as ConversationEvents from '../../assets/handoff/conversation-events.private';
import type * as LoadModule from '../../assets/runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { withErrorHandling, emptyResponse } = load<typeof Http>('/edge/http.js');
const { assertSignedByTwilio, webhookParams } = load<typeof Signature>('/edge/twilio-signature.js');
const { withDeps } = load<typeof DepsModule>('/runtime/deps.js');
const { HANDOFF_QUERY, parseConversationEvent, handleConversationEvent } = load<typeof ConversationEvents>(
  '/handoff/conversation-events.js',
);

export const handler = withErrorHandling<Record<string, string>>('conversations/event', async (context, event) => {
  assertSignedByTwilio(context, event, [HANDOFF_QUERY]);
  const conversationEvent = parseConversationEvent(webhookParams(event));
  if (conversationEvent) {
    await withDeps(context, 'conversations/event', async (deps) => {
      const result = await handleConversationEvent(deps, conversationEvent);
      deps.logger.info(`${conversationEvent.EventType} ${result}`, {
        conversationSid: conversationEvent.ConversationSid,
      });
    });
  }
  return emptyResponse();
});
