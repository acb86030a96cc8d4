/**
 * The Flex conversation's events, from the Conversations service's post-event webhook. Rep replies join the
 * session's transcript (Conversations already delivered them: nothing is re-sent); the contact's own texts
 * reach the transcript through /sms/inbound, which Twilio calls for every inbound text, keyed by MessageSid.
 * A closed conversation closes the session.
 */
import { z } from 'zod';
import type { MediaItem, Session, TranscriptEntry } from '../session/model.private';
import type { EventResult } from './task-events.private';
import type { Deps } from '../runtime/deps.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as SessionModule from '../session/model.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { conversationsMediaUrl, fetchConversation } = load<typeof Gateway>('/twilio/gateway.js');
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

export type ConversationEvent = z.infer<typeof ConversationEventParams>;

export function parseConversationEvent(params: Record<string, string>): ConversationEvent | undefined {
  const parsed = ConversationEventParams.safeParse(params);
  return parsed.success ? parsed.data : undefined;
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

/** The contact whose handoff this conversation is, from the attributes the handoff gave it. */
async function contactOf(deps: Deps, conversationSid: string): Promise<string | undefined> {
  return (await fetchConversation(deps, conversationSid)).attributes.contact;
}

export async function handleConversationEvent(deps: Deps, event: ConversationEvent): Promise<EventResult> {
  if (event.ChatServiceSid !== deps.config.CONVERSATIONS_SERVICE_SID) return 'ignored';
  const isRepMessage = event.EventType === 'onMessageAdded' && event.Source !== 'SMS';
  const isClosed = event.EventType === 'onConversationStateUpdated' && event.StateTo === 'closed';
  if (!isRepMessage && !isClosed) return 'ignored';

  const phone = await contactOf(deps, event.ConversationSid);
  if (!phone || (isRepMessage && event.Author === phone)) return 'ignored';

  const isThisHandoff = (session: Session | undefined): session is Session =>
    session?.handoff?.conversationSid === event.ConversationSid;

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
