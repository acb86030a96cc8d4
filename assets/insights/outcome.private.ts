/**
 * What insights keep of a session: its outcome, recorded as it happens (first message, each AI turn folded into
 * the write that already happens, the handoff, the task's events, the end) and read back by `npm run insights`.
 * Contacts' phone numbers never appear here; their questions are masked before they are stored.
 */
import type { HandoffReason, Sentiment } from '../session/model.private';

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
  /** Nobody took the task: canceled, deleted or timed out, with TaskRouter's reason. */
  canceledAt?: string;
  canceledReason?: string;
}

export interface SessionOutcome {
  /** The session's id (unique per contact and session). */
  sessionId: string;
  /** The Twilio number the contact texted (the business's own number, never the contact's). */
  twilioNumber: string;
  startedAt: string;
  endedAt?: string;
  /** The AI's replies in the session. */
  aiTurns: number;
  /** AI replies that answered from the knowledge base (or the model). */
  answeredTurns: number;
  /** AI replies that said it was not sure. */
  notSureTurns: number;
  unanswered: UnansweredTurn[];
  /** Set once the session reached (or was being handed to) a person; the latest handoff of the session. */
  handoff?: HandoffOutcome;
}
