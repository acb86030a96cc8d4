/**
 * The knowledge base's topics indexed with MiniSearch, and searched with a confidence measure strict enough that
 * an unrelated question gets "I don't know" rather than the nearest topic.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { KnowledgeTopic } from './markdown.private';
import type * as Markdown from './markdown.private';
import type { QuestionTerms } from './terms.private';
import type * as Terms from './terms.private';
import type * as Text from '../text.private';
import type * as LoadModule from '../../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { parseKnowledgeBase } = load<typeof Markdown>('/ai/knowledge/markdown.js');
const { questionTerms, topicTerm } = load<typeof Terms>('/ai/knowledge/terms.js');
const { keywordsAsWritten, words } = load<typeof Text>('/ai/text.js');

export interface KnowledgeSearch {
  /** The meaningful words of the question as written, for summaries: ["charged", "twice"]; none for "ok?". */
  keywords: string[];
  /** The answering topic, only when confidence reaches the threshold. */
  topic?: KnowledgeTopic;
  /** 0 to 1: the share of the question the best topic covers, rare words counting more. */
  confidence: number;
}

export interface KnowledgeIndex {
  search(question: string): KnowledgeSearch;
  /** The topics closest to a text, best first, however loosely they match: grounding for an LLM to judge. */
  rank(text: string, limit: number): KnowledgeTopic[];
}

/** How many questions' searches an index keeps, oldest dropped first. */
const SEARCHES_KEPT = 1000;

/** Below this share of the question covered by one topic, the AI says it does not know. */
export const CONFIDENCE_THRESHOLD = 0.6;

/** The topics, ranked close enough to the first (a share of its score), whose coverage is compared. */
const CANDIDATES = 5;
const CANDIDATE_MIN_SCORE = 0.5;

/** Synonyms count for less than the words the contact actually used, in ranking and in confidence. */
const SYNONYM_WEIGHT = 0.5;
const SYNONYM_IN_TEXT_CREDIT = 0.5;
const HEADING_WEIGHT = 2;
/** A word the knowledge base never uses is most likely what an off-topic question is about. */
const UNKNOWN_WORD_WEIGHT = 1.5;
/** Next to an intent, the other words only say what it applies to ("shoes", "my tent"): they count this much. */
const QUALIFIER_WEIGHT = 0.2;

let cached: { markdown: string; index: KnowledgeIndex } | undefined;

/** The index of a knowledge base, built once per text and kept for warm invocations. */
export function getKnowledgeIndex(markdown: string): KnowledgeIndex {
  if (cached?.markdown !== markdown) cached = { markdown, index: buildIndex(parseKnowledgeBase(markdown)) };
  return cached.index;
}

function buildIndex(topics: KnowledgeTopic[]): KnowledgeIndex {
  const miniSearch = new MiniSearch<KnowledgeTopic>({
    fields: ['heading', 'answer'],
    tokenize: words,
    processTerm: topicTerm,
    searchOptions: {
      boost: { heading: 3 },
      // The question arrives already split, stemmed and expanded (see questionTerms).
      tokenize: (query) => query.split(' '),
      processTerm: (term) => term,
    },
  });
  miniSearch.addAll(topics);
  const weigh = termWeigher(topics);
  // A conversation's earlier messages are read again at every turn: their answers are kept.
  const searches = new Map<string, KnowledgeSearch>();
  return {
    search(question) {
      const known = searches.get(question);
      if (known) return known;
      if (searches.size >= SEARCHES_KEPT) searches.delete(searches.keys().next().value as string);
      const search = searchTopics(miniSearch, topics, weigh, question);
      searches.set(question, search);
      return search;
    },
    rank(text, limit) {
      return queryTopics(miniSearch, text)
        .results.slice(0, limit)
        .map((result) => topics[result.id as number]);
    },
  };
}

type Weigher = (terms: Iterable<string>, qualifier: boolean) => number;

/**
 * How telling a question word is, given the terms that would match it: the rarer in the knowledge base, the
 * more (inverse document frequency), and a word it never uses the most, unless it merely qualifies an intent.
 */
function termWeigher(topics: KnowledgeTopic[]): Weigher {
  const topicsUsing = new Map<string, number>();
  for (const topic of topics) {
    const terms = new Set(words(`${topic.heading} ${topic.answer}`).map(topicTerm));
    for (const term of terms) if (term) topicsUsing.set(term, (topicsUsing.get(term) ?? 0) + 1);
  }
  return (terms, qualifier) => {
    let frequency = 0;
    for (const term of terms) frequency = Math.max(frequency, topicsUsing.get(term) ?? 0);
    const inverseFrequency = Math.log(1 + topics.length / (1 + frequency));
    if (qualifier) return inverseFrequency * QUALIFIER_WEIGHT;
    return frequency === 0 ? inverseFrequency * UNKNOWN_WORD_WEIGHT : inverseFrequency;
  };
}

/** The question's terms and the topics they find, best first. */
function queryTopics(miniSearch: MiniSearch<KnowledgeTopic>, question: string): QueriedTopics {
  const terms = questionTerms(question);
  if (terms.alternatives.size === 0) return { ...terms, results: [] };
  const boosts = termBoosts(terms);
  // Prefixes and typos for the contact's own longer words only: "car" must not find "cardigan", "bike" "like".
  const isOwnLongWord = (term: string) => terms.alternatives.has(term) && term.length >= 5;
  const results = miniSearch.search([...boosts.keys()].join(' '), {
    boostTerm: (term) => boosts.get(term) ?? 1,
    prefix: isOwnLongWord,
    fuzzy: (term) => (isOwnLongWord(term) ? 1 : false),
  });
  return { ...terms, results };
}

interface QueriedTopics extends QuestionTerms {
  results: SearchResult[];
}

function searchTopics(
  miniSearch: MiniSearch<KnowledgeTopic>,
  topics: KnowledgeTopic[],
  weigh: Weigher,
  question: string,
): KnowledgeSearch {
  const keywords = keywordsAsWritten(question);
  const { alternatives, qualifiers, results } = queryTopics(miniSearch, question);
  if (alternatives.size === 0) return { keywords, confidence: 0 };

  const weights = new Map([...alternatives].map(([word, terms]) => [word, weigh(terms, qualifiers.has(word))]));
  // Ranking favours short headings; among the close runners-up, the topic covering most of the question wins.
  let best: { result?: SearchResult; confidence: number } = { confidence: 0 };
  for (const result of results.slice(0, CANDIDATES)) {
    if (result.score < results[0].score * CANDIDATE_MIN_SCORE) break;
    const confidence = coverage(result, alternatives, weights);
    if (confidence > best.confidence) best = { result, confidence };
  }
  const topic = best.result && best.confidence >= CONFIDENCE_THRESHOLD ? topics[best.result.id as number] : undefined;
  return { keywords, topic, confidence: best.confidence };
}

/**
 * The weighted share of the question's words a topic matches. A word found in the topic's heading is what the
 * topic is about, so it counts double; a synonym found only in the answer's text is a weaker sign, half a match.
 */
function coverage(result: SearchResult, alternatives: Map<string, Set<string>>, weights: Map<string, number>): number {
  const matched = new Set(result.queryTerms);
  const isInHeading = (term: string) => result.match[term]?.includes('heading') ?? false;
  let covered = 0;
  let total = 0;
  for (const [word, terms] of alternatives) {
    const found = [...terms].filter((term) => matched.has(term));
    const inHeading = found.some(isInHeading);
    const weight = (weights.get(word) ?? 0) * (inHeading ? HEADING_WEIGHT : 1);
    total += weight;
    if (matched.has(word) || inHeading) covered += weight;
    else if (found.length > 0) covered += weight * SYNONYM_IN_TEXT_CREDIT;
  }
  return total > 0 ? covered / total : 0;
}

/**
 * How much each search term counts: the contact's own words fully, a word's synonyms sharing SYNONYM_WEIGHT,
 * so that a topic using many synonyms of one word does not outrank a topic using the words themselves; words
 * qualifying an intent count QUALIFIER_WEIGHT of that.
 */
function termBoosts({ alternatives, qualifiers }: QuestionTerms): Map<string, number> {
  const boosts = new Map<string, number>();
  for (const [word, terms] of alternatives) {
    const wordBoost = qualifiers.has(word) ? QUALIFIER_WEIGHT : 1;
    for (const term of terms) {
      const boost = wordBoost * (term === word ? 1 : SYNONYM_WEIGHT / (terms.size - 1));
      boosts.set(term, Math.max(boosts.get(term) ?? 0, boost));
    }
  }
  return boosts;
}
