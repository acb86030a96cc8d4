/**
 * Rep assist: what the Flex plugin's suggestion panel gets for a rep's handed-off task. A rep is served only a
 * task that is a handoff of ours and is reserved by or assigned to them, and only that task's contact's session:
 * - suggest: the knowledge-base answer for the contact's question (their latest message that asks something: a
 *   request for a person or a "thanks" is no question), or up to three close ones when the AI is not sure of
 *   one; draft: with an LLM configured, a drafted reply to it;
 * - teach: the rep says which topic answered the question (or a new topic, with their reply as its draft
 *   answer): a pending suggestion for the knowledge base's author in Sync (Map `kb-suggestions`, contract 2 of
 *   the insights branches), the question masked. Nothing here edits the knowledge base.
 */
import type { Deps } from '../runtime/deps.private';
import type { TranscriptEntry } from '../session/model.private';
import type { KnowledgeTopic } from '../ai/knowledge/markdown.private';
import type * as ConfigModule from '../runtime/config.private';
import type * as Intents from '../ai/intents.private';
import type * as Markdown from '../ai/knowledge/markdown.private';
import type * as Provider from '../ai/provider.private';
import type * as Search from '../ai/knowledge/search.private';
import type * as Text from '../ai/text.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as Mask from '../insights/mask.private';
import type * as SessionsIndex from '../insights/sessions-index.private';
import type { TaughtSuggestion } from '../insights/outcome.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { syncStorage } = load<typeof ConfigModule>('/runtime/config.js');
const { detectIntent } = load<typeof Intents>('/ai/intents.js');
const { parseKnowledgeBase } = load<typeof Markdown>('/ai/knowledge/markdown.js');
const { createReplyDrafter } = load<typeof Provider>('/ai/provider.js');
const { getKnowledgeIndex } = load<typeof Search>('/ai/knowledge/search.js');
const { keywordsAsWritten } = load<typeof Text>('/ai/text.js');
const { NOT_FOUND, readTwilioError, retryOnServerError } = load<typeof Gateway>('/twilio/gateway.js');
const { maskContactText } = load<typeof Mask>('/insights/mask.js');
const { writeTaughtSuggestion } = load<typeof SessionsIndex>('/insights/sessions-index.js');

/** At most this many answers: the panel is beside the conversation, not a search page. */
export const MAX_SUGGESTIONS = 3;
/** A reservation in these states means the task is offered to or held by its worker. */
const WORKERS_RESERVATIONS = new Set(['pending', 'accepted', 'wrapping']);

/** A rep's handed-off task, as far as assist needs it. */
export interface RepTask {
  taskSid: string;
  workerSid: string;
  contact: string;
  conversationSid?: string;
}

export type TaskAccess =
  | { status: 'ok'; task: RepTask }
  /** No such task in the Flex workspace, or not a handoff of ours: nothing about it is said. */
  | { status: 'not_found' }
  /** A handoff of ours, reserved by or assigned to someone else (or to nobody yet). */
  | { status: 'not_yours' };

/** The task, when it is a handoff of ours that this worker holds (two TaskRouter reads, side by side). */
export async function repTask(deps: Deps, taskSid: string, workerSid: string): Promise<TaskAccess> {
  const task = deps.client.taskrouter.v1.workspaces(deps.config.FLEX_WORKSPACE_SID).tasks(taskSid);
  let fetched;
  try {
    fetched = await Promise.all([
      retryOnServerError(() => task.fetch()),
      retryOnServerError(() => task.reservations.list({ workerSid, pageSize: 50 })),
    ]);
  } catch (error) {
    const { code, status } = readTwilioError(error);
    if (code === NOT_FOUND || status === 404) return { status: 'not_found' };
    throw error;
  }
  const [{ attributes }, reservations] = fetched;
  const handoff = readHandoffAttributes(attributes);
  if (!handoff) return { status: 'not_found' };
  const holds = reservations.some(
    (reservation) => reservation.workerSid === workerSid && WORKERS_RESERVATIONS.has(reservation.reservationStatus),
  );
  if (!holds) return { status: 'not_yours' };
  return { status: 'ok', task: { taskSid, workerSid, ...handoff } };
}

/** The contact and conversation of a task our handoff made (`handedOff: true`); undefined for any other task. */
function readHandoffAttributes(raw: string): { contact: string; conversationSid?: string } | undefined {
  try {
    const attributes = JSON.parse(raw) as Record<string, unknown>;
    if (attributes.handedOff !== true || typeof attributes.from !== 'string') return undefined;
    const { conversationSid } = attributes;
    return { contact: attributes.from, ...(typeof conversationSid === 'string' && { conversationSid }) };
  } catch {
    return undefined;
  }
}

export interface Suggestion {
  /** The knowledge base's heading. */
  topic: string;
  /** Its answer, as the AI would text it. */
  answer: string;
  /** The embedded AI would have answered the question with this topic itself. */
  confident: boolean;
}

export interface Suggestions {
  /** The contact's question the suggestions answer; null when they asked nothing yet. */
  question: string | null;
  /** The transcript entry it is (the contact's MessageSid), so the panel knows when a newer one arrived. */
  questionId: string | null;
  suggestions: Suggestion[];
  /** Every heading of the knowledge base, for "this answered it" to pick from. */
  topics: string[];
  /** Whether a drafted reply can be asked for (action `draft`): an LLM is configured. */
  drafts: boolean;
}

/** The contact's latest question in the task's session, with the conversation before it. */
async function contactQuestion(deps: Deps, task: RepTask) {
  const transcript = await handoffTranscript(deps, task);
  const at = lastIndexWhere(transcript, isQuestion);
  return at < 0 ? undefined : { question: transcript[at], before: transcript.slice(0, at) };
}

export async function suggest(deps: Deps, task: RepTask): Promise<Suggestions> {
  const knowledgeBase = knowledgeMarkdown();
  const topics = headings(knowledgeBase);
  const drafts = deps.config.AI_PROVIDER === 'openai';
  const found = await contactQuestion(deps, task);
  if (!found) return { question: null, questionId: null, suggestions: [], topics, drafts };
  const { id, body } = found.question;
  return { question: body, questionId: id, suggestions: suggestionsFor(knowledgeBase, body), topics, drafts };
}

/**
 * With an LLM configured, a reply to the contact's question drafted from the knowledge base and the conversation,
 * for the rep to edit. Its own action, so the model's seconds never hold back the knowledge base's answers.
 */
export async function draft(deps: Deps, task: RepTask): Promise<{ questionId: string | null; draft?: string }> {
  const drafter = createReplyDrafter(deps.config);
  const found = drafter && (await contactQuestion(deps, task));
  if (!found) return { questionId: null };
  const { question, before } = found;
  const reply = await drafter.draft({
    message: { body: question.body, media: question.media ?? [] },
    history: before,
    failedAnswers: 0,
    customData: {},
  });
  return { questionId: question.id, ...(reply && { draft: reply }) };
}

/**
 * The task's session's transcript, oldest first: that of the contact the task names, and only while their
 * session is still the handoff that made this task (its conversation).
 */
async function handoffTranscript(deps: Deps, task: RepTask): Promise<TranscriptEntry[]> {
  const session = (await deps.store.load(task.contact)).record.session;
  if (!session?.handoff || session.handoff.conversationSid !== task.conversationSid) return [];
  // The newest entries are kept inline; older ones are read only when none of those is the contact's.
  if (session.recent.some(isQuestion) || session.chunks.length === 0) return session.recent;
  return deps.store.transcript(task.contact, session);
}

/** Array.findLastIndex, which the build's ES2022 library lacks. */
function lastIndexWhere<T>(items: T[], matches: (item: T) => boolean): number {
  for (let at = items.length - 1; at >= 0; at--) if (matches(items[at])) return at;
  return -1;
}

/** A contact's message that asks something: not a request for a person, a greeting or thanks, nor a bare "ok". */
function isQuestion(entry: TranscriptEntry): boolean {
  return entry.author === 'contact' && !detectIntent(entry.body) && keywordsAsWritten(entry.body).length > 0;
}

/**
 * The topic the embedded AI is sure of, alone: the closest others would be noise beside it. Without one (the
 * question the AI could not answer), the closest topics, however loosely they match, for the rep to judge.
 */
export function suggestionsFor(knowledgeBase: string, question: string): Suggestion[] {
  const index = getKnowledgeIndex(knowledgeBase);
  const sure = index.search(question).topic;
  const topics = sure ? [sure] : index.rank(question, MAX_SUGGESTIONS);
  return topics.map((topic: KnowledgeTopic) => ({
    topic: topic.heading,
    answer: topic.answer,
    confident: topic.id === sure?.id,
  }));
}

function knowledgeMarkdown(): string {
  return Runtime.getAssets()['/knowledge.md'].open();
}

let knownHeadings: { markdown: string; headings: string[] } | undefined;

function headings(markdown: string): string[] {
  if (knownHeadings?.markdown !== markdown) {
    knownHeadings = { markdown, headings: parseKnowledgeBase(markdown).map((topic) => topic.heading) };
  }
  return knownHeadings.headings;
}

export interface Lesson {
  /** The contact's question as the rep confirms it. */
  question: string;
  /** An existing heading, or null for a new topic. */
  topic: string | null;
  /** The rep's reply: the new topic's draft answer (required for a new topic, ignored otherwise). */
  draftAnswer?: string;
}

export type TeachResult = { status: 'ok'; key: string; suggestion: TaughtSuggestion } | { status: 'unknown_topic' };

/** Stores the rep's lesson as a pending knowledge-base suggestion; an unknown topic writes nothing. */
export async function teach(deps: Deps, task: RepTask, lesson: Lesson): Promise<TeachResult> {
  if (lesson.topic !== null && !headings(knowledgeMarkdown()).includes(lesson.topic)) {
    return { status: 'unknown_topic' };
  }
  const now = deps.now();
  const suggestion: TaughtSuggestion = {
    kind: 'taught',
    question: maskContactText(lesson.question),
    topic: lesson.topic,
    // The rep's reply may quote the contact's details ("your order 123456…"): masked as the question is.
    ...(lesson.topic === null && lesson.draftAnswer && { draftAnswer: maskContactText(lesson.draftAnswer) }),
    taskSid: task.taskSid,
    workerSid: task.workerSid,
    at: now.toISOString(),
  };
  const key = `taught-${task.taskSid}-${now.getTime()}`;
  await writeTaughtSuggestion(deps.client, syncStorage(deps.config), key, suggestion);
  return { status: 'ok', key, suggestion };
}
