/**
 * The AI's name in a conversation, from its handoff note: the note is the first post of a handoff, so the
 * first page of the conversation (oldest first) has it even when Flex has loaded only the newest messages.
 * One request per conversation, shared by all its bubbles.
 */
import type * as Flex from '@twilio/flex-ui';
import { aiNameAmong } from '../ai-messages';

const FIRST_PAGE = 10;
const names = new Map<string, Promise<string | undefined>>();

export function aiNameIn(manager: Flex.Manager, conversationSid: string): Promise<string | undefined> {
  const known = names.get(conversationSid);
  if (known) return known;
  const name = Promise.resolve()
    .then(() => manager.conversationsClient.getConversationBySid(conversationSid))
    .then((conversation) => conversation.getMessages(FIRST_PAGE, 0, 'forward'))
    .then((page) => aiNameAmong(page.items))
    .catch(() => undefined)
    .then((found) => {
      // Not found (or the request failed): the next bubble asks again rather than trusting a miss.
      if (found === undefined) names.delete(conversationSid);
      return found;
    });
  names.set(conversationSid, name);
  return name;
}
