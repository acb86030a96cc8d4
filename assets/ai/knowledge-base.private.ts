/**
 * The knowledge base: Markdown parsed into topics, indexed with MiniSearch, and searched with a confidence
 * measure strict enough that an unrelated question gets "I don't know" rather than the nearest topic.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type * as Text from './text.private';

const { words, isStopWord, meaningfulWords, keywordsAsWritten } = require(
  Runtime.getAssets()['/ai/text.js'].path,
) as typeof Text;

export interface KnowledgeTopic {
  id: number;
  /** The `## ` heading: a topic ("Opening hours") or a question ("Do you price match?"). */
  heading: string;
  /** The plain-text answer under the heading. */
  answer: string;
}

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
/**
 * What contacts ask to do whatever the product: "return" in "can I return my shoes", "refund" in "a refund for my
 * boots". Their synonyms are intents too ("money", "parcel", "delivery", "broken", "login").
 */
const INTENTS = new Set(
  'return refund exchange order track ship cancel pay charge damage warranty password'.split(' ').map(stem),
);
/** Next to an intent, the other words only say what it applies to ("shoes", "my tent"): they count this much. */
const QUALIFIER_WEIGHT = 0.2;

/**
 * Customer-service words people use for the same thing, so "I want my money back" finds refunds and "when
 * are you open" finds opening hours, whatever words the knowledge base happens to use. Spanish words let a
 * Spanish question find an English answer.
 */
const SYNONYM_GROUPS = [
  'refund money reimburse reimbursement repay reembolso',
  'return returning devolucion devolver',
  'order pedido compra',
  'hour open opening close closing schedule horario abren abierto cierran',
  'time long fast quick soon tiempo tarda',
  'package parcel shipment track tracking paquete rastrear seguimiento',
  'ship shipping delivery deliver postage courier arrive arrival envio enviar entrega llega llegado',
  'cost price fee pricing expensive precio costo cuesta',
  'bill billing charge pay paid payment invoice cobro cobraron cargo pago pagar',
  'double twice duplicate doble veces',
  'cancel cancellation cancelar',
  'change modify edit update amend cambiar modificar',
  'damage damaged broken broke defective faulty cracked torn ripped roto rota danado defectuoso',
  'wrong incorrect mistake equivocado incorrecto',
  'warranty guarantee garantia',
  'password login log signin contrasena',
  'forgot forget olvide olvido',
  'size bigger smaller larger talla',
  'send sent',
  'store shop location branch nearest tienda',
  'promo coupon discount voucher code cupon descuento codigo',
  'gift regalo',
  'international abroad overseas worldwide country internacional extranjero',
  'contact phone call reach telefono llamar contacto',
  'privacy data personal gdpr privacidad datos',
  'exchange swap cambio',
  'cheaper match beat barato',
].map((group) => new Set(group.split(' ').map(stem)));

/**
 * A light English stemmer, applied alike to the index and the question, so "shipped", "shipping" and "ships"
 * meet at "ship", and "charges", "charged" and "charge" at "charg". Words too short to strip stay whole.
 */
function stem(word: string): string {
  if (word.length <= 3) return word;
  let base = word;
  if (base.endsWith('ies') && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(base)) return base;
  else if (/(s|x|z|ch|sh)es$/.test(base)) base = base.slice(0, -2);
  else if (base.endsWith('s')) base = base.slice(0, -1);
  for (const suffix of ['ing', 'ed', 'ly']) {
    if (base.endsWith(suffix) && base.length - suffix.length >= 3) {
      base = base.slice(0, -suffix.length).replace(/([^aeiouls])\1$/, '$1');
      break;
    }
  }
  return base.length > 3 && base.endsWith('e') ? base.slice(0, -1) : base;
}

/** Every `## ` heading with the text under it; a `# ` title and headings without text are skipped. */
export function parseKnowledgeBase(markdown: string): KnowledgeTopic[] {
  const topics: KnowledgeTopic[] = [];
  let current: { heading: string; lines: string[] } | undefined;
  const flush = () => {
    const answer = markdownToPlainText(current?.lines.join('\n') ?? '');
    if (current && answer) topics.push({ id: topics.length, heading: current.heading, answer });
  };
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      current = { heading: heading[1], lines: [] };
    } else if (current && !/^#\s/.test(line)) {
      current.lines.push(line);
    }
  }
  flush();
  return topics;
}

/**
 * SMS is plain text: Markdown emphasis, code, links, headings and list markers are unwrapped, blank lines
 * dropped, and the remaining lines joined with `separator`.
 */
export function markdownToPlainText(markdown: string, separator = ' '): string {
  return markdown
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*+]|\d+\.|#+)\s+/, '').trim())
    .filter(Boolean)
    .join(separator)
    .replace(/!?\[([^\]]*)\]\(([^)]+)\)/g, (_, label: string, url: string) => (label ? `${label} (${url})` : url))
    .replace(/(?<![\p{L}\p{N}])(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1(?![\p{L}\p{N}])/gu, '$2');
}

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
    processTerm: indexTerm,
    searchOptions: {
      boost: { heading: 3 },
      // The question arrives already split, stemmed and expanded (see expandQuestion).
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
        .map((result) => topics[result.id]);
    },
  };
}

function indexTerm(word: string): string | null {
  return isTopicWord(word) ? stem(word) : null;
}

/**
 * Numbers (order numbers, dates, prices, times: "12345", "a1001", "12", "49") say which order, never what it is
 * about: left out of the index and of the question, they neither find a topic nor lower the confidence.
 */
function isTopicWord(word: string): boolean {
  return !isStopWord(word) && !/\p{N}/u.test(word);
}

type Weigher = (terms: Iterable<string>, qualifier: boolean) => number;

/**
 * How telling a question word is, given the words that would match it: the rarer in the knowledge base, the
 * more (inverse document frequency), and a word it never uses the most, unless it merely qualifies an intent.
 */
function termWeigher(topics: KnowledgeTopic[]): Weigher {
  const topicsUsing = new Map<string, number>();
  for (const topic of topics) {
    const terms = new Set(words(`${topic.heading} ${topic.answer}`).map(indexTerm));
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

/** The question's words with their synonyms, those merely qualifying an intent, and the topics found, best first. */
function queryTopics(miniSearch: MiniSearch<KnowledgeTopic>, question: string): QueriedTopics {
  const alternatives = expandQuestion(meaningfulWords(question).filter(isTopicWord).map(stem));
  const qualifiers = qualifiersOf(alternatives);
  if (alternatives.size === 0) return { alternatives, qualifiers, results: [] };
  const boosts = termBoosts(alternatives, qualifiers);
  // Prefixes and typos for the contact's own longer words only: "car" must not find "cardigan", "bike" "like".
  const isOwnLongWord = (term: string) => alternatives.has(term) && term.length >= 5;
  const results = miniSearch.search([...boosts.keys()].join(' '), {
    boostTerm: (term) => boosts.get(term) ?? 1,
    prefix: isOwnLongWord,
    fuzzy: (term) => (isOwnLongWord(term) ? 1 : false),
  });
  return { alternatives, qualifiers, results };
}

interface QueriedTopics {
  alternatives: Map<string, Set<string>>;
  qualifiers: Set<string>;
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
  const topic = best.result && best.confidence >= CONFIDENCE_THRESHOLD ? topics[best.result.id] : undefined;
  return { keywords, topic, confidence: best.confidence };
}

/**
 * Next to an intent, the other words only say what it applies to, and a policy holds for any product: "can I
 * return my hiking shoes" is about returns though the knowledge base never says "hiking" or "shoes", and "my
 * tents" must not pull "money back for my tents" to Repairs. Without an intent, no word is a mere qualifier, so
 * a word the knowledge base never uses still sinks the question ("what's the capital of France?").
 */
function qualifiersOf(alternatives: Map<string, Set<string>>): Set<string> {
  const isIntent = (terms: Set<string>) => [...terms].some((term) => INTENTS.has(term));
  if (![...alternatives.values()].some(isIntent)) return new Set();
  return new Set([...alternatives].filter(([, terms]) => !isIntent(terms)).map(([word]) => word));
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
function termBoosts(alternatives: Map<string, Set<string>>, qualifiers: Set<string>): Map<string, number> {
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

/** Each stemmed word of the question with the words that mean the same (itself included). */
function expandQuestion(stems: string[]): Map<string, Set<string>> {
  const alternatives = new Map<string, Set<string>>();
  for (const term of stems) {
    const terms = new Set([term]);
    for (const group of SYNONYM_GROUPS) if (group.has(term)) group.forEach((synonym) => terms.add(synonym));
    alternatives.set(term, terms);
  }
  return alternatives;
}
