/**
 * The Flex conversation's events. Rep replies join the session's transcript (Conversations already delivered
 * them: nothing is re-sent); the contact's own texts reach the transcript through /sms/inbound, which Twilio
 * calls for every inbound text, keyed by MessageSid. A closed conversation closes the session.
 *
 * Each handoff attaches a conversation-scoped webhook whose URL names the handoff (`?handoff=…`, covered by
 * Twilio's signature), so a delivery says itself whose it is: deciding costs no Twilio call, and the service's
 * own webhook (every conversation of the account: web chat, WhatsApp, other numbers) is ignored unless
 * LEGACY_HANDOFF_EVENTS asks to serve handoffs made before the scoped webhooks.
 */
import { z } from 'zod';
import type { MediaItem, Session, TranscriptEntry } from '../session/model.private';
import type { EventResult } from './task-events.private';
import type { Deps } from '../runtime/deps.private';
import type { HandoffId } from '../twilio/gateway.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as SessionModule from '../session/model.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { conversationsMediaUrl, fetchConversation, HANDOFF_QUERY, handoffEventsUrl, readTwilioError } =
  load<typeof Gateway>('/twilio/gateway.js');
const { appendEntries, closeSession } = load<typeof SessionModule>('/session/model.js');

const ConversationEventParams = z.looseObject({
  EventType: z.string().min(1),
  ChatServiceSid: z.string().min(1),
  ConversationSid: z.string().regex(/^CH[0-9a-f]{32}$/),
  MessageSid: z.string().optional(),
  Author: z.string().optional(),
  Body: z.string().optional(),
  Media: z.string().optional(),
  Source: z.string().optional(),
  DateCreated: z.string().optional(),
  StateTo: z.string().optional(),
});

export type ConversationEvent = z.infer<typeof ConversationEventParams> & {
  /** From the scoped webhook's URL: the handoff it was attached for. Absent: the service's webhook. */
  handoff?: HandoffId;
};

// Where a handoff's scoped webhook points: the gateway builds it, so setup and doctor (scripts) can too.
export { HANDOFF_QUERY, handoffEventsUrl };
export type { HandoffId };

const HANDOFF_ID = /^(\d{6,15})\.([0-9a-z]{1,40})\.(\d{1,4})$/;

function readHandoffId(raw: string | undefined): HandoffId | undefined {
  const match = raw === undefined ? null : HANDOFF_ID.exec(raw);
  return match ? { phone: `+${match[1]}`, sessionId: match[2], attempt: Number(match[3]) } : undefined;
}

/** The event, or undefined for a delivery that is not a conversation event we read (answered 2xx all the same). */
export function parseConversationEvent(params: Record<string, string>): ConversationEvent | undefined {
  const parsed = ConversationEventParams.safeParse(params);
  if (!parsed.success) return undefined;
  const raw = params[HANDOFF_QUERY];
  const handoff = readHandoffId(raw);
  if (raw !== undefined && !handoff) return undefined;
  return { ...parsed.data, ...(handoff && { handoff }) };
}

const MediaParam = z.array(z.looseObject({ Sid: z.string(), ContentType: z.string() }));

function repMedia(serviceSid: string, raw: string | undefined): MediaItem[] {
  if (!raw) return [];
  try {
    const media = MediaParam.parse(JSON.parse(raw));
    return media.map((item) => ({
      url: conversationsMediaUrl(serviceSid, item.Sid),
      contentType: item.ContentType,
    }));
  } catch {
    return [];
  }
}

const CONVERSATION_NOT_FOUND = 20404;

/**
 * The handoff a delivery of the service's own webhook is about, for handoffs made before scoped webhooks: from
 * the conversation's attributes. Gone or anyone else's conversations, and ours with a scoped webhook (which
 * delivers the same event), are none.
 */
async function legacyHandoffOf(deps: Deps, conversationSid: string): Promise<HandoffId | undefined> {
  try {
    const { attributes } = await fetchConversation(deps, conversationSid);
    const { contact, sessionId, attempt, scopedEvents } = attributes;
    if (!contact || !sessionId || scopedEvents) return undefined;
    return { phone: contact, sessionId, attempt: attempt ?? 1 };
  } catch (error) {
    if (readTwilioError(error).code === CONVERSATION_NOT_FOUND) return undefined;
    throw error;
  }
}

export async function handleConversationEvent(deps: Deps, event: ConversationEvent): Promise<EventResult> {
  if (event.ChatServiceSid !== deps.config.CONVERSATIONS_SERVICE_SID) return 'ignored';
  const isRepMessage = event.EventType === 'onMessageAdded' && event.Source !== 'SMS';
  const isClosed = event.EventType === 'onConversationStateUpdated' && event.StateTo === 'closed';
  if (!isRepMessage && !isClosed) return 'ignored';
  if (!event.handoff && !deps.config.LEGACY_HANDOFF_EVENTS) return 'ignored';

  const handoff = event.handoff ?? (await legacyHandoffOf(deps, event.ConversationSid));
  if (!handoff || (isRepMessage && event.Author === handoff.phone)) return 'ignored';
  const phone = handoff.phone;

  const isThisHandoff = (session: Session | undefined): session is Session =>
    session?.id === handoff.sessionId &&
    (session.handoff?.attempt ?? 1) === handoff.attempt &&
    session.handoff?.conversationSid === event.ConversationSid;

  return deps.store.update<EventResult>(phone, async ({ record }) => {
    const session = record.session;
    if (!isThisHandoff(session)) return { result: 'ignored' };
    const now = deps.now();
    if (isClosed) {
      // Only a session still with a person ends with its conversation; one given back to the AI carries on.
      if (session.status === 'closed' || session.status === 'ai') return { result: 'ignored' };
      return { record: { ...record, session: closeSession(session, 'conversation_closed', now) }, result: 'applied' };
    }
    if (!event.MessageSid || session.recent.some((entry) => entry.id === event.MessageSid))
      return { result: 'ignored' };
    const media = repMedia(event.ChatServiceSid, event.Media);
    const entry: TranscriptEntry = {
      id: event.MessageSid,
      author: 'agent',
      name: event.Author,
      body: event.Body ?? '',
      at: new Date(Date.parse(event.DateCreated ?? '') || now.getTime()).toISOString(),
      ...(media.length > 0 ? { media } : {}),
    };
    return { record: { ...record, session: appendEntries(session, [entry], now) }, result: 'applied' };
  });
}
