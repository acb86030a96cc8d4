/**
 * What insights keep of a session: its outcome, recorded as it happens (first message, each AI turn folded into
 * the write that already happens, the handoff, the task's events, the end) and read back by `npm run insights`.
 * Contacts' phone numbers never appear here; their questions are masked before they are stored.
 *
 * The running outcome lives on the session in the contact record (so an AI turn costs no extra call); the session
 * store refreshes what it can read off the session (the handoff, the end) at each write, and copies the outcome to
 * the sharded index (insights/sessions-index) when something a report counts changed: see `outcomesToIndex`.
 */
import { createHash } from 'node:crypto';
import type { HandoffReason, Sentiment, Session } from '../session/model.private';
import type { EngineTurn } from '../ai/engine.private';
import type * as Mask from './mask.private';
import type * as Attributes from '../handoff/task-attributes.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { maskContactText } = load<typeof Mask>('/insights/mask.js');
const { handoffReasonOf } = load<typeof Attributes>('/handoff/task-attributes.js');

/** A question the AI could not answer, with the knowledge-base topic nearest to it. */
export interface UnansweredTurn {
  /** The contact's words, masked (digit runs, e-mail addresses, card-like numbers). */
  question: string;
  /** The nearest topic's heading, or null when nothing is near. */
  nearestTopic: string | null;
  /** The nearest topic's score (the engine's confidence, 0..1), or null when nothing is near. */
  score: number | null;
  at: string;
}

export interface HandoffOutcome {
  reasonCode: HandoffReason;
  requestedAt: string;
  sentiment: Sentiment;
  language: string;
  /** The rep's reservation was accepted. */
  acceptedAt?: string;
  /** The first message a rep sent in the handoff's conversation. */
  firstRepReplyAt?: string;
  completedAt?: string;
  /**
   * Nobody took the task: canceled, deleted or timed out, with TaskRouter's reason (`abandoned`: the handoff
   * could not be made, e.g. another conversation holds the contact's number).
   */
  canceledAt?: string;
  canceledReason?: string;
}

export interface SessionOutcome {
  /** The session's id (unique per contact and session). */
  sessionId: string;
  /** The Twilio number the contact texted (the business's own number, never the contact's). */
  twilioNumber: string;
  startedAt: string;
  /**
   * When the session closed (opt-out, the task completed, its conversation closed) or, for one that went idle,
   * its last activity, recorded when the contact's next text opens a new session. Absent while it may go on.
   */
  endedAt?: string;
  /** The AI's replies in the session. */
  aiTurns: number;
  /** AI replies that were neither "not sure" nor a handoff: answers from the knowledge base or the model, greetings. */
  answeredTurns: number;
  /** AI replies that said it was not sure (or handed off because it could not answer). */
  notSureTurns: number;
  /** The first UNANSWERED_KEPT of them, in order (`notSureTurns` counts them all). */
  unanswered: UnansweredTurn[];
  /** Set once the session reached (or was being handed to) a person; the latest handoff of the session. */
  handoff?: HandoffOutcome;
}

/** A suggestion a rep taught while answering a question the AI could not (written by the assist feature). */
export interface TaughtSuggestion {
  kind: 'taught';
  /** The contact's question, masked. */
  question: string;
  /** The existing `## ` heading it belongs under, or null for a new topic. */
  topic: string | null;
  /** The rep's reply, only when topic is null. */
  draftAnswer?: string;
  taskSid: string;
  workerSid: string;
  at: string;
}

/**
 * Unanswered questions kept per session, and their length: the contact record must stay under Sync's 10 KiB
 * (larger objects take 2 writes/s), transcript and all. Two in a row hand off, so more than five is rare.
 */
const UNANSWERED_KEPT = 5;
const QUESTION_MAX_LENGTH = 200;

/** The outcome of a session that has none yet: a new one, or one stored before insights were recorded. */
export function startOutcome(session: Session): SessionOutcome {
  return {
    sessionId: session.id,
    twilioNumber: session.twilioNumber,
    startedAt: session.startedAt,
    aiTurns: 0,
    answeredTurns: 0,
    notSureTurns: 0,
    unanswered: [],
  };
}

function outcomeOf(session: Session): SessionOutcome {
  return session.outcome ?? startOutcome(session);
}

/** The AI's turn counted: answered, not sure (with the question, masked, and the nearest topic) or a handoff. */
export function recordAiTurn(
  session: Session,
  turn: Pick<EngineTurn, 'answered' | 'handoff' | 'nearestTopic'>,
  question: string,
  at: Date,
): Session {
  const outcome = outcomeOf(session);
  const notSure = !turn.answered;
  const unanswered =
    notSure && outcome.unanswered.length < UNANSWERED_KEPT
      ? [
          ...outcome.unanswered,
          {
            question: maskContactText(question).slice(0, QUESTION_MAX_LENGTH),
            nearestTopic: turn.nearestTopic?.heading ?? null,
            score: turn.nearestTopic ? Math.round(turn.nearestTopic.score * 1000) / 1000 : null,
            at: at.toISOString(),
          },
        ]
      : outcome.unanswered;
  return {
    ...session,
    outcome: {
      ...outcome,
      aiTurns: outcome.aiTurns + 1,
      answeredTurns: outcome.answeredTurns + (notSure || turn.handoff ? 0 : 1),
      notSureTurns: outcome.notSureTurns + (notSure ? 1 : 0),
      unanswered,
    },
  };
}

export type TaskMilestone = { kind: 'accepted'; at: Date } | { kind: 'canceled'; at: Date; reason: string };

/** What the handoff's task did, on the session's current handoff: the first time of each only. */
export function recordTaskMilestone(session: Session, milestone: TaskMilestone): Session {
  const outcome = refreshOutcome(session);
  const handoff = outcome.handoff;
  if (!handoff) return session;
  const at = milestone.at.toISOString();
  const changed: HandoffOutcome =
    milestone.kind === 'accepted'
      ? { ...handoff, acceptedAt: handoff.acceptedAt ?? at }
      : {
          ...handoff,
          canceledAt: handoff.canceledAt ?? at,
          canceledReason: handoff.canceledReason ?? milestone.reason,
        };
  return { ...session, outcome: { ...outcome, handoff: changed } };
}

/** A session closing so ended its handoff with a rep: the task wrapped up or completed, or its conversation closed. */
const CLOSED_BY_HANDOFF = new Set(['task_wrapup', 'task_completed', 'conversation_closed']);

/**
 * The outcome with what the session itself says brought in: a new handoff attempt (its reason, sentiment and
 * language), the first rep reply among the newest entries, the task's completion, the session's end. Pure; the
 * store calls it at each write, so no writer has to remember it.
 */
export function refreshOutcome(session: Session): SessionOutcome {
  const outcome = outcomeOf(session);
  let handoff = outcome.handoff;
  const state = session.handoff;
  if (state && handoff?.requestedAt !== state.requestedAt) {
    const { sentiment, language, requestedAt } = state;
    handoff = { reasonCode: handoffReasonOf(state).code, requestedAt, sentiment, language };
  }
  if (handoff && !handoff.firstRepReplyAt) {
    // A rep's message of this handoff, not of an earlier one; Conversations dates them to the second.
    const since = Math.floor(Date.parse(handoff.requestedAt) / 1000) * 1000;
    const reply = session.recent.find((entry) => entry.author === 'agent' && Date.parse(entry.at) >= since);
    if (reply) handoff = { ...handoff, firstRepReplyAt: reply.at };
  }
  const closedAt = session.status === 'closed' ? session.closedAt : undefined;
  if (handoff && closedAt && !handoff.canceledAt && CLOSED_BY_HANDOFF.has(session.closedReason ?? '')) {
    handoff = { ...handoff, completedAt: handoff.completedAt ?? closedAt };
  }
  const endedAt = session.status === 'closed' ? (outcome.endedAt ?? session.closedAt) : outcome.endedAt;
  return { ...outcome, ...(handoff && { handoff }), ...(endedAt && { endedAt }) };
}

/** What a report counts of an outcome: all of it but the AI's steady turns, which alone never cost a write. */
function countedPart(outcome: SessionOutcome): string {
  return JSON.stringify({ ...outcome, aiTurns: 0, answeredTurns: 0 });
}

/**
 * The outcomes a contact write must copy to the index, given the session before and after it (both refreshed):
 * a new session's (its first message, so it counts even if it never does anything else), a changed one's when a
 * report would see the change (a not-sure turn, the handoff and its task's milestones, the end), and a session
 * replaced by a new one without having closed (it went idle: it ended at its last activity).
 */
export function outcomesToIndex(previous: Session | undefined, next: Session | undefined): SessionOutcome[] {
  const due: SessionOutcome[] = [];
  const before = previous?.outcome;
  if (previous && before && previous.id !== next?.id && !before.endedAt) {
    due.push({ ...before, endedAt: previous.closedAt ?? previous.lastActivityAt });
  }
  const after = next?.outcome;
  if (next && after) {
    const isNew = previous?.id !== next.id || !before;
    if (isNew || countedPart(before) !== countedPart(after)) due.push(after);
  }
  return due;
}

// The index: 64 Sync Maps, `insights-00` to `insights-63`, one item per session keyed by its id, in the shard a
// hash of the id picks. A session's copies all go to its one item, however long it lasts; a burst of contacts
// spreads over the shards. Items expire with the retention; the maps, empty once they have, stay. Session ids
// begin with their start time, so a map lists its sessions in the order they started: a report reads each map
// from its window's start and stops past its end.

/**
 * Shards. 1,000 contacts texting at once put about 16 first-message writes on each (none above 3 % of those
 * writes, under Sync's 20 writes/s per object), while a report reads at least one page of each.
 */
export const INDEX_SHARDS = 64;

export function shardOf(sessionId: string): number {
  return createHash('sha1').update(sessionId).digest().readUInt32BE(0) % INDEX_SHARDS;
}

function shardMapName(shard: number): string {
  return `insights-${String(shard).padStart(2, '0')}`;
}

export function indexMapName(sessionId: string): string {
  return shardMapName(shardOf(sessionId));
}

/** Every map of the index. */
export function indexMapNames(): string[] {
  return Array.from({ length: INDEX_SHARDS }, (_, shard) => shardMapName(shard));
}

/**
 * The item key a session's start time sorts as: session ids begin with their start in base-36 milliseconds
 * (session/model's openSession), and Sync lists a map's items in key order.
 */
export function indexKeyAt(at: Date): string {
  return at.getTime().toString(36);
}
