/**
 * The one interface every AI engine implements. The functions only ever talk to an `AiEngine`, so the
 * embedded knowledge-base engine and the LLM engine are interchangeable (AI_PROVIDER).
 */
import type { CustomData, HandoffReason, MediaItem, Sentiment, TranscriptEntry } from '../session/model.private';

export interface EngineTurnInput {
  /** The contact's new message. */
  message: { body: string; media: MediaItem[] };
  /** The session so far, oldest first, without the new message. */
  history: TranscriptEntry[];
  /** How many of the AI's latest answers in a row were failures (no confident answer). */
  failedAnswers: number;
  /** `flex_*` custom data already on the session. */
  customData: CustomData;
}

export interface HandoffDecision {
  reason: HandoffReason;
  /**
   * Why, as a short phrase the rep reads on the task, e.g. "Forbidden topic: legal action" or the model's own
   * "disputes a double charge"; without it the task shows the reason's generic phrase.
   */
  phrase?: string;
}

export interface EngineTurn {
  /** Plain-text SMS reply, ideally under 320 characters, never over 1,600. */
  reply: string;
  /** False when the AI could not answer the question (counts toward "failed twice in a row"). */
  answered: boolean;
  /**
   * On a turn that could not answer: the knowledge-base topic nearest the question, however far, with its score
   * (the engine's confidence, 0..1); null when no topic shares a word with it. For insights' unanswered questions.
   */
  nearestTopic?: { heading: string; score: number } | null;
  /** Set when the contact should go to a person. */
  handoff?: HandoffDecision;
  /** Of the conversation so far, the new message included. */
  sentiment: Sentiment;
  /** BCP-47 language of the contact, e.g. `en`, `es`. */
  language: string;
  /** A readable one-paragraph summary of the conversation so far, the new message included. */
  summary: string;
  /** `flex_*` custom data to merge into the session (the LLM engine's set_custom_data tool). */
  customData?: CustomData;
}

export interface AiEngine {
  respond(input: EngineTurnInput): Promise<EngineTurn>;
}

export interface EngineOptions {
  /** The knowledge base in Markdown: each `## ` heading a topic or question, the text under it the answer. */
  knowledgeBase: string;
  /** Topics that always go to a person (lower-case words or phrases). */
  forbiddenTopics: string[];
  agentName: string;
  companyName: string;
}
