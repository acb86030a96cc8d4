/**
 * The open handoff conversations and their own (conversation-scoped) webhooks: each handoff attaches one whose
 * URL names it, so /conversations/event needs no service-level webhook. A conversation opened before that, or
 * whose attaching failed, gets it from setup, before setup removes our old service-level webhook, so no rep
 * reply or closing of a handoff in flight is lost.
 */
import type { TwilioClient } from '../../assets/twilio/gateway.private';
import {
  type HandoffId,
  HANDOFF_WEBHOOK_FILTERS,
  handoffEventsUrl,
  readConversationAttributes,
  retryOnServerError,
} from '../../assets/twilio/gateway.private';
import type { Step } from './step';

/** How many open conversations of each state are looked through: the account's busiest days, in one go. */
const LOOKED_AT = 1000;

interface Unwired {
  sid: string;
  url: string;
}

export interface HandoffConversations {
  open: number;
  /** Open handoff conversations without their own webhook to this deployment. */
  unwired: Unwired[];
}

export async function readHandoffConversations(
  client: TwilioClient,
  serviceSid: string,
  domain: string,
): Promise<HandoffConversations> {
  const conversations = client.conversations.v1.services(serviceSid).conversations;
  const lists = await Promise.all(
    (['active', 'inactive'] as const).map((state) =>
      retryOnServerError(() => conversations.list({ state, limit: LOOKED_AT, pageSize: 100 })),
    ),
  );
  const handoffs = lists.flat().flatMap((conversation) => {
    const { contact, sessionId, attempt } = readConversationAttributes(conversation.attributes);
    if (!contact || !sessionId) return [];
    const id: HandoffId = { phone: contact, sessionId, attempt: attempt ?? 1 };
    return [{ sid: conversation.sid, url: handoffEventsUrl(domain, id) }];
  });
  const unwired = await Promise.all(
    handoffs.map(async (handoff) => {
      const webhooks = await retryOnServerError(() => conversations(handoff.sid).webhooks.list());
      const wired = webhooks.some((webhook) => (webhook.configuration as { url?: string } | null)?.url === handoff.url);
      return wired ? [] : [handoff];
    }),
  );
  return { open: handoffs.length, unwired: unwired.flat() };
}

/** Attaches each its own webhook; answers how many. */
export async function wireHandoffConversations(
  client: TwilioClient,
  serviceSid: string,
  unwired: Unwired[],
): Promise<number> {
  const conversations = client.conversations.v1.services(serviceSid).conversations;
  for (const { sid, url } of unwired) {
    await conversations(sid).webhooks.create({
      target: 'webhook',
      'configuration.url': url,
      'configuration.method': 'post',
      'configuration.filters': HANDOFF_WEBHOOK_FILTERS,
    });
  }
  return unwired.length;
}

export function handoffConversationsStep(
  client: TwilioClient,
  serviceSid: string,
  { open, unwired }: HandoffConversations,
): Step {
  const base = { id: 'handoff-conversations', subject: 'Open handoff conversations', changes: [] };
  if (unwired.length === 0) {
    const detail = open ? `${open} open, each with its own webhook` : 'none is open';
    return { ...base, status: 'ok', detail };
  }
  const sids = unwired.map((conversation) => conversation.sid);
  return {
    ...base,
    status: 'fixable',
    detail: `${unwired.length} of ${open} open have no webhook of their own: ${sids.join(', ')}`,
    consequence:
      'In those Flex chats, what the rep types will be missing from the transcript, and ending the chat will ' +
      'not give the number back to the AI',
    fix: 'npm run setup attaches their webhooks',
    action: 'attach their webhooks',
    apply: async () => {
      const wired = await wireHandoffConversations(client, serviceSid, unwired);
      return `attached ${wired} webhook${wired === 1 ? '' : 's'}: ${sids.join(', ')}`;
    },
  };
}
