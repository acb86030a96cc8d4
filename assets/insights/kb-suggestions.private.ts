/**
 * The questions the AI could not answer, turned into knowledge-base lines for its author to review: grouped so
 * near-identical wordings count as one, written as ready-to-paste `? ` lines under their nearest topic's
 * heading, and (for `npm run eval -- --teach`) applied to a knowledge base's Markdown. Pure: no Twilio calls.
 */
import type { TaughtSuggestion } from './outcome.private';
import type * as LoadModule from '../runtime/load.private';
import type * as Stemming from '../ai/knowledge/stemming.private';
import type * as Text from '../ai/text.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { stem } = load<typeof Stemming>('/ai/knowledge/stemming.js');
const { meaningfulWords, normalize } = load<typeof Text>('/ai/text.js');

/** Contract 2's taught suggestion, as the recorder's reader gives it. */
export type { TaughtSuggestion };

export interface UnansweredQuestion {
  question: string;
  nearestTopic: string | null;
  score?: number | null;
}

export interface SuggestionGroup {
  /** The group's most frequent wording (the first seen among equally frequent ones). */
  question: string;
  count: number;
  /** The topic most of the group's questions were nearest to (the best-scored among equally frequent ones). */
  nearestTopic: string | null;
  /** Every distinct wording, most frequent first. */
  wordings: string[];
}

/** The heading unanswered questions go under when no topic is near them. */
export const NEW_TOPICS_HEADING = 'New topics';

/**
 * Two wordings are near-identical when their topic-carrying words, stemmed, mostly coincide (Jaccard): "Do you
 * sell gift wrapping?" and "do u offer gift-wrapping??" both come down to {gift, wrap}, and "is gift wrapping
 * available" shares two of its three. Stop words (do, you, sell, offer), case, accents and punctuation never
 * tell wordings apart; "can I bring my dog into the store" and "do you sell dog food" stay apart.
 */
const SAME_QUESTION_OVERLAP = 2 / 3;

/** What insights/mask puts for a number, an e-mail address or a card: no word of the question. */
const MASKED = /\[(?:number|email|card)\]/g;

function stemsOf(question: string): Set<string> {
  return new Set(meaningfulWords(question.replace(MASKED, ' ')).map((word) => stem(word, 'en')));
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Words only, in their normal form: "Do you rent kayaks?" and "do you rent kayaks" compare equal. */
function comparable(text: string): string {
  return normalize(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** One line of text: an SMS may hold line breaks, a `? ` line or a heading may not. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

interface Cluster {
  stems: Set<string>;
  /** The wording's own normal form (for questions without a topic-carrying word, the only thing to compare). */
  normal: string;
  wordings: Map<string, number>;
  topics: Map<string | null, { count: number; best: number }>;
  count: number;
  firstSeen: number;
}

function mostFrequent<Key>(entries: Map<Key, number>): Key[] {
  // Map keeps insertion order and sort is stable: equally frequent keys stay in the order first seen.
  return [...entries].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}

/** Near-identical wordings count as one group (most frequent wording first); groups most asked first. */
export function groupUnanswered(items: UnansweredQuestion[]): SuggestionGroup[] {
  const clusters: Cluster[] = [];
  items.forEach((item, index) => {
    const wording = oneLine(item.question);
    if (!wording) return;
    const stems = stemsOf(wording);
    const normal = comparable(wording);
    let cluster = clusters.find((candidate) =>
      stems.size === 0 || candidate.stems.size === 0
        ? candidate.normal === normal
        : overlap(candidate.stems, stems) >= SAME_QUESTION_OVERLAP,
    );
    if (!cluster) {
      cluster = { stems, normal, wordings: new Map(), topics: new Map(), count: 0, firstSeen: index };
      clusters.push(cluster);
    }
    cluster.count += 1;
    cluster.wordings.set(wording, (cluster.wordings.get(wording) ?? 0) + 1);
    const topic = cluster.topics.get(item.nearestTopic) ?? { count: 0, best: -Infinity };
    cluster.topics.set(item.nearestTopic, { count: topic.count + 1, best: Math.max(topic.best, item.score ?? 0) });
  });
  return clusters
    .sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen)
    .map((cluster) => {
      const wordings = mostFrequent(cluster.wordings);
      const [nearestTopic] = [...cluster.topics]
        .sort(([, a], [, b]) => b.count - a.count || b.best - a.best)
        .map(([topic]) => topic);
      return { question: wordings[0], count: cluster.count, nearestTopic: nearestTopic ?? null, wordings };
    });
}

/** Lines under headings, headings in the order first given. */
function sections(entries: { heading: string; lines: string[] }[]): string {
  const byHeading = new Map<string, string[]>();
  for (const { heading, lines } of entries) byHeading.set(heading, [...(byHeading.get(heading) ?? []), ...lines]);
  return [...byHeading].map(([heading, lines]) => [`## ${heading}`, ...lines].join('\n')).join('\n\n');
}

/**
 * Ready-to-paste Markdown for the knowledge base's author: the unanswered questions as `? ` lines under their
 * nearest topic's `## ` heading (under "New topics" when nothing is near; most asked first), then the reps'
 * taught suggestions the same way, a new topic's draft answer as its text. The `# ` titles are skipped by the
 * knowledge base's parser, so even the whole text can be pasted; the `? ` lines are what teach the engine.
 */
export function formatKbSuggestions(groups: SuggestionGroup[], taught: TaughtSuggestion[] = []): string {
  const parts: string[] = [];
  if (groups.length > 0) {
    const known = groups.filter((group) => group.nearestTopic !== null);
    const unknown = groups.filter((group) => group.nearestTopic === null);
    parts.push(
      '# Questions the AI could not answer',
      sections([
        ...known.map((group) => ({ heading: oneLine(group.nearestTopic ?? ''), lines: [`? ${group.question}`] })),
        ...(unknown.length > 0
          ? [{ heading: NEW_TOPICS_HEADING, lines: unknown.map((group) => `? ${group.question}`) }]
          : []),
      ]),
    );
  }
  if (taught.length > 0) {
    parts.push(
      '# Taught by reps',
      sections(
        taught.map((suggestion) => {
          const question = oneLine(suggestion.question);
          if (suggestion.topic !== null) return { heading: oneLine(suggestion.topic), lines: [`? ${question}`] };
          const draft = oneLine(suggestion.draftAnswer ?? '');
          return { heading: question, lines: [`? ${question}`, ...(draft ? [draft] : [])] };
        }),
      ),
    );
  }
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}

const HEADING = /^##\s+(.+?)\s*#*\s*$/;

function sameText(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

/**
 * The knowledge base with each line added as `? <question>` under its topic's heading, after the `? ` lines
 * already there; a line already present is not added twice. A null or unknown topic becomes a new `## ` topic at
 * the end (headed by its name, else by the question), with the draft answer as its text when given: without
 * one, the parser skips the topic until its author writes the answer. Used by `npm run eval -- --teach`.
 */
export function applyKbSuggestions(
  knowledgeMarkdown: string,
  lines: { topic: string | null; question: string; draftAnswer?: string }[],
): string {
  const newline = knowledgeMarkdown.includes('\r\n') ? '\r\n' : '\n';
  const document = knowledgeMarkdown.split(/\r?\n/);
  const newTopics: { heading: string; questions: string[]; answer: string[] }[] = [];
  for (const line of lines) {
    const question = oneLine(line.question);
    if (!question) continue;
    const heading = oneLine(line.topic ?? '') || question;
    const start = document.findIndex((text) => sameText(HEADING.exec(text)?.[1] ?? '', heading));
    if (start >= 0) {
      let end = start + 1;
      while (end < document.length && !HEADING.test(document[end])) end += 1;
      const asked = document.slice(start + 1, end).filter((text) => text.startsWith('? '));
      if (asked.some((text) => sameText(text.slice(2), question))) continue;
      // After the `? ` lines the author writes right under the heading.
      let at = start + 1;
      while (at < end && document[at].startsWith('? ')) at += 1;
      document.splice(at, 0, `? ${question}`);
      continue;
    }
    let topic = newTopics.find((candidate) => sameText(candidate.heading, heading));
    if (!topic) {
      topic = { heading, questions: [], answer: [] };
      newTopics.push(topic);
    }
    if (!topic.questions.some((text) => sameText(text, question))) topic.questions.push(question);
    const draft = oneLine(line.draftAnswer ?? '');
    if (draft && topic.answer.length === 0) topic.answer.push(draft);
  }
  if (newTopics.length === 0) return document.join(newline);
  while (document.length > 0 && document.at(-1)?.trim() === '') document.pop();
  for (const topic of newTopics) {
    document.push('', `## ${topic.heading}`, ...topic.questions.map((question) => `? ${question}`), ...topic.answer);
  }
  return `${document.join(newline)}${newline}`;
}
