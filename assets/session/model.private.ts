/**
 * The domain: its words (a transcript entry, media, custom data, sentiment, why a handoff happens), what we keep
 * per contact and per session, and the pure rules over it (opening, idling, appending, handing off). Stored by
 * session/store in the contact's own Sync map, so no Sync object is shared between contacts. The AI speaks
 * these words too: it imports them from here.
 */
import type { SessionOutcome } from '../insights/outcome.private';

/** How the contact seems to feel, as the AI reads the conversation. */
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/**
 * Why a contact is handed to a person, as a stable code for workflow filters (the task's `handoffReasonCode`).
 * `api` is an outside system calling /flex/handoff.
 */
export type HandoffReason = 'contact_requested' | 'frustrated' | 'ai_unable' | 'forbidden_topic' | 'api';

export interface MediaItem {
  url: string;
  contentType: string;
}

export type Author = 'contact' | 'ai' | 'agent';

/** `flex_*` custom data: values stay typed so Flex workflow filters can compare them. */
export type CustomData = Record<string, string | number | boolean>;

/** One message of a session, as kept in the transcript. */
export interface TranscriptEntry {
  /**
   * MessageSid for contact messages; `<MessageSid>:reply` for the AI's answer to it; the Conversations message
   * SID for a rep's.
   */
  id: string;
  author: Author;
  body: string;
  /** ISO 8601 time the message was received or sent. */
  at: string;
  media?: MediaItem[];
  /** For a rep's message: their name as Flex shows it. */
  name?: string;
}

export type SessionStatus =
  /** The AI answers. */
  | 'ai'
  /** A handoff was decided; the Flex conversation and task are being created. */
  | 'handoff_pending'
  /** A person owns the conversation in Flex. */
  | 'handed_off'
  | 'closed';

export interface HandoffState {
  /** Why, as a code. Sessions handed off before the codes existed may hold an outside system's words here. */
  reason: HandoffReason | string;
  /**
   * Why, as a short phrase a rep reads (the task's `handoffReason`): the model's own words, the embedded
   * engine's description, or what an outside system sent. Absent on sessions from before phrases existed.
   */
  phrase?: string;
  summary: string;
  sentiment: Sentiment;
  language: string;
  requestedAt: string;
  /** Counts the handoffs of this session; names the conversation of this one. */
  attempt: number;
  /** The run that is creating the conversation and task, so two never run at once. */
  lease?: { owner: string; until: string };
  conversationSid?: string;
  /** The conversation-scoped webhook that brings its events to /conversations/event. */
  webhookSid?: string;
  /** Transcript entries (in session order) already in the conversation. */
  postedEntries?: number;
  participantSid?: string;
  /** When the participant joined: from then on the conversation captures the contact's texts itself. */
  participantAddedAt?: string;
  interactionRequestedAt?: string;
  interactionSid?: string;
  channelSid?: string;
  taskSid?: string;
  taskStatus?: 'queued' | 'assigned' | 'wrapping';
  workerName?: string;
}

export interface Session {
  id: string;
  status: SessionStatus;
  /** The Twilio number the contact texted. */
  twilioNumber: string;
  startedAt: string;
  lastActivityAt: string;
  messageCount: number;
  /** Consecutive AI answers that were failures. */
  failedAnswers: number;
  sentiment: Sentiment;
  language: string;
  summary: string;
  /** `flex_*` entries that travel to the Flex task. */
  customData: CustomData;
  /** The newest transcript entries; older ones live in the `chunks` items, oldest first. */
  recent: TranscriptEntry[];
  chunks: string[];
  handoff?: HandoffState;
  closedAt?: string;
  closedReason?: string;
  /** What insights keep of the session, kept up as it goes. Absent on sessions from before insights. */
  outcome?: SessionOutcome;
}

export interface ContactRecord {
  phone: string;
  optedOut: boolean;
  /** The latest MessageSids handled, so a redelivered webhook is recognised. */
  seenMessageSids: string[];
  /** The open session, or the last one until a new one replaces it. */
  session?: Session;
}

const SEEN_MESSAGE_SIDS_KEPT = 50;

export function newContact(phone: string): ContactRecord {
  return { phone, optedOut: false, seenMessageSids: [] };
}

export function openSession(twilioNumber: string, now: Date): Session {
  const at = now.toISOString();
  return {
    id: `${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    status: 'ai',
    twilioNumber,
    startedAt: at,
    lastActivityAt: at,
    messageCount: 0,
    failedAnswers: 0,
    sentiment: 'neutral',
    language: 'en',
    summary: '',
    customData: {},
    recent: [],
    chunks: [],
  };
}

/** Milliseconds of an ISO 8601 duration of days, hours, minutes and seconds (as Conversations timers take). */
export function durationMs(iso: string): number {
  const [, d = 0, h = 0, m = 0, s = 0] = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso) ?? [];
  return (((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/**
 * The session a new message belongs to: the open one, unless it is closed or idle for too long. A session with a
 * person in it stays open until the Flex task ends, however quiet it is, but no longer than its conversation's
 * closed timer (`conversationClosedTimer`): by then Twilio closed that conversation, so a session still with a
 * person missed the events that end it (a failed close) and must not keep the contact from us for ever.
 */
export function isSessionOpen(
  session: Session | undefined,
  now: Date,
  idleMinutes: number,
  conversationClosedTimer?: string,
): session is Session {
  if (!session || session.status === 'closed') return false;
  const idle = now.getTime() - Date.parse(session.lastActivityAt);
  if (session.status !== 'ai') return !conversationClosedTimer || idle < durationMs(conversationClosedTimer);
  return idle < idleMinutes * 60_000;
}

/** Why a handoff is wanted, and what the rep is told about the contact. */
export type HandoffGrounds = Pick<HandoffState, 'phrase' | 'summary' | 'sentiment' | 'language'> & {
  reason: HandoffReason;
};

/**
 * The one way a handoff starts: the session waits for its Flex conversation and task, as a new attempt (each
 * handoff of a session gets its own conversation).
 */
export function startHandoff(session: Session, grounds: HandoffGrounds, now: Date): Session {
  const { reason, phrase, summary, sentiment, language } = grounds;
  const handoff: HandoffState = {
    reason,
    ...(phrase ? { phrase } : {}),
    summary,
    sentiment,
    language,
    requestedAt: now.toISOString(),
    attempt: (session.handoff?.attempt ?? 0) + 1,
  };
  return { ...session, status: 'handoff_pending', handoff };
}

/** Longer than a Function may run, so a lease outlives the run that took it but not by much. */
export const HANDOFF_LEASE_MS = 15_000;

/** A handoff run's name on the lease it takes. */
export function newLeaseOwner(): string {
  return Math.random().toString(36).slice(2);
}

/**
 * The record with the handoff's lease taken by `owner`, who alone may then work on its handoff (create its
 * conversation and task, post texts its conversation missed): when its session is in `status` with work for a
 * run (a pending handoff; a finished one's late texts) and no other owner's lease is live.
 */
export function claimHandoff(
  record: ContactRecord,
  owner: string,
  now: Date,
  status: 'handoff_pending' | 'handed_off' = 'handoff_pending',
): ContactRecord | undefined {
  const session = record.session;
  const handoff = session?.handoff;
  if (session?.status !== status || !handoff || (status === 'handed_off' && !handoff.participantSid)) return undefined;
  const lease = handoff.lease;
  if (lease && lease.owner !== owner && Date.parse(lease.until) > now.getTime()) return undefined;
  const until = new Date(now.getTime() + HANDOFF_LEASE_MS).toISOString();
  return { ...record, session: { ...session, handoff: { ...handoff, lease: { owner, until } } } };
}

/** Longer than Twilio takes to deliver (or redeliver) a text's webhook. */
const LATE_TEXT_WINDOW_MS = 120_000;

/**
 * A text handled by a handed-off session soon after the contact joined may have reached Twilio before they had
 * joined, so the conversation did not capture it: the handoff checks for such texts then, and only then.
 */
export function mayHoldLateTexts(session: Session, now: Date): boolean {
  const handoff = session.handoff;
  if (session.status !== 'handed_off' || !handoff?.participantAddedAt) return false;
  if ((handoff.postedEntries ?? 0) >= session.messageCount) return false;
  return now.getTime() - Date.parse(handoff.participantAddedAt) < LATE_TEXT_WINDOW_MS;
}

export function closeSession(session: Session, reason: string, now: Date): Session {
  return { ...session, status: 'closed', closedAt: now.toISOString(), closedReason: reason };
}

export function appendEntries(session: Session, entries: TranscriptEntry[], now: Date): Session {
  return {
    ...session,
    recent: [...session.recent, ...entries],
    messageCount: session.messageCount + entries.length,
    lastActivityAt: now.toISOString(),
  };
}

export function rememberMessageSid(contact: ContactRecord, messageSid: string): ContactRecord {
  return { ...contact, seenMessageSids: [...contact.seenMessageSids, messageSid].slice(-SEEN_MESSAGE_SIDS_KEPT) };
}
