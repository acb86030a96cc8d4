/**
 * The knowledge base's topics indexed with MiniSearch, and searched with a confidence measure strict enough that
 * an unrelated question gets "I don't know" rather than the nearest topic.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { KnowledgeTopic } from './markdown.private';
import type { CalibrationSample } from './calibration.private';
import type * as Calibration from './calibration.private';
import type * as Markdown from './markdown.private';
import type { StemmingLanguage } from './stemming.private';
import type * as Stemming from './stemming.private';
import type { KnownWords, QuestionTerms } from './terms.private';
import type * as Terms from './terms.private';
import type * as Typos from './typos.private';
import type { SpellChecker } from './typos.private';
import type * as Vocabulary from './vocabulary.private';
import type * as Text from '../text.private';
import type * as LoadModule from '../../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { BRUSHING_MESSAGES, UNRELATED_MESSAGES, answersAnyway, calibratedThreshold } =
  load<typeof Calibration>('/ai/knowledge/calibration.js');
const { ANYTHING, parseKnowledgeBase } = load<typeof Markdown>('/ai/knowledge/markdown.js');
const { questionTerms, searchWords, topicLanguage, topicTerms } = load<typeof Terms>('/ai/knowledge/terms.js');
const { spellChecker } = load<typeof Typos>('/ai/knowledge/typos.js');
const { stem } = load<typeof Stemming>('/ai/knowledge/stemming.js');
const { isIntent } = load<typeof Vocabulary>('/ai/knowledge/vocabulary.js');
const { keywordsAsWritten, STOP_WORDS_IN } = load<typeof Text>('/ai/text.js');

export interface KnowledgeSearch {
  /** The meaningful words of the question as written, for summaries: ["charged", "twice"]; none for "ok?". */
  keywords: string[];
  /** The answering topic, only when confidence reaches the threshold. */
  topic?: KnowledgeTopic;
  /** The topic that covers the question best, also below the threshold: what `confidence` is of. */
  nearest?: KnowledgeTopic;
  /** 0 to 1: the share of the question the best topic covers, rare words counting more. */
  confidence: number;
  /** The confidence an answer needs in the question's language, calibrated on the knowledge base (see calibrate). */
  threshold?: number;
  /**
   * The question's language (`es`) when no topic is written in it: no answer can come, however it is asked, so
   * a person should take the question rather than the contact rephrase it.
   */
  languageWithoutTopics?: string;
}

export interface KnowledgeIndex {
  search(question: string): KnowledgeSearch;
  /** The topics closest to a text, best first, however loosely they match: grounding for an LLM to judge. */
  rank(text: string, limit: number): KnowledgeTopic[];
}

/** How many questions' searches an index keeps, oldest dropped first. */
const SEARCHES_KEPT = 1000;

/** How far the best topic's coverage must lead the runner-up's for full confidence. */
const MARGIN = 0.3;

/**
 * A question matching at least this share of a `? ` line's own words (rarity-weighted), with its topic leading
 * the runner-up by MARGIN and at least half the question covered, is answered below the calibrated threshold:
 * a line is a wording an author taught.
 */
const TAUGHT_LINE_SHARE = 0.5;

/** The topics, ranked close enough to the first (a share of its score), whose coverage is compared. */
const CANDIDATES = 3;
const CANDIDATE_MIN_SCORE = 0.7;

/** Synonyms count for less than the words the contact actually used, in ranking and in confidence. */
const SYNONYM_WEIGHT = 0.5;
const SYNONYM_IN_TEXT_CREDIT = 0.5;
/** A word matched only by a prefix or a typo's neighbour ("stand" for "standard", "sink" for "sick"): as much. */
const NEAR_CREDIT = 0.5;
/**
 * WordNet's related words are a weaker sign still: "light" is related to "lamp" and to "weight". They rank a
 * topic the question's own words miss, but cover none of the question: too loose to be sure of an answer.
 */
const RELATED_WEIGHT = 0.1;
const HEADING_WEIGHT = 2;
/**
 * A word the knowledge base never uses is most likely what an off-topic question is about, though a paraphrase
 * has some too ("my daughter", "since last night").
 */
const UNKNOWN_WORD_WEIGHT = 1.5;
/**
 * Among those, an everyday word ("night", "today", "daughter") says less of what a question is about than a
 * word naming a particular thing ("pizza", "bitcoin"): its weight is divided by 1 + this × log(1 + its usage).
 */
const EVERYDAY_WORD_DISCOUNT = 0.3;
/** Next to an intent, the other words only say what it applies to ("shoes", "my tent"): they count this much. */
const QUALIFIER_WEIGHT = 0.4;
/** Shorter words match only whole: "car" must not find "cardigan". */
const PREFIX_MIN_LENGTH = 5;

/** Marks a place holder for a word that is no term: no term starts with it, as terms are letters and digits. */
const NO_TERM = '#';

let cached: { markdown: string; index: KnowledgeIndex } | undefined;

/** The index of a knowledge base, built once per text and kept for warm invocations. */
export function getKnowledgeIndex(markdown: string): KnowledgeIndex {
  if (cached?.markdown !== markdown) cached = { markdown, index: buildIndex(parseKnowledgeBase(markdown)) };
  return cached.index;
}

/** A topic as indexed: its heading's and answer's terms, stemmed in the topic's own language. */
interface IndexedTopic {
  id: number;
  language: StemmingLanguage;
  heading: Array<string | null>;
  /** The terms of each of the author's ways customers ask (see parseKnowledgeBase). */
  askedAs: Array<Array<string | null>>;
  answer: Array<string | null>;
}

/**
 * What MiniSearch indexes: a topic's heading and answer, and apart from them each of its `? ` lines, so that a
 * topic taught many ways of asking is matched by one of them at a time, never by a patchwork of all their words.
 */
interface IndexedDocument {
  id: number;
  topic: number;
  /** Whether it is a `? ` line. */
  asked: boolean;
  heading: Array<string | null>;
  askedAs: Array<string | null>;
  answer: Array<string | null>;
}

type IndexedField = 'heading' | 'askedAs' | 'answer';

interface TopicSearch {
  miniSearch: MiniSearch<IndexedDocument>;
  documents: IndexedDocument[];
  languages: StemmingLanguage[];
  known: KnownWords;
  /** How telling a question's word is, by the question's language: weighed against the topics it can get. */
  weighers: Map<StemmingLanguage, Weigher>;
}

/**
 * The confidence a question in a language needs for an answer, calibrated on the knowledge base itself, once, the
 * first time a question needs it (see answersAnyway); undefined for a language with no topic.
 */
type Thresholds = (language: StemmingLanguage) => number | undefined;

function buildIndex(topics: KnowledgeTopic[]): KnowledgeIndex {
  const indexed = topics.map(({ id, heading, answer, askedAs = [] }): IndexedTopic => {
    const language = topicLanguage(`${heading}\n${answer}`);
    return {
      id,
      language,
      heading: topicTerms(heading, language),
      answer: topicTerms(answer, language),
      askedAs: askedAs.map((line) => topicTerms(line, language)),
    };
  });
  const documents = indexed.flatMap(({ id, heading, answer, askedAs }): IndexedDocument[] => [
    { id: 0, topic: id, asked: false, heading, answer, askedAs: [] },
    ...askedAs.map((line) => ({ id: 0, topic: id, asked: true, heading: [], answer: [], askedAs: line })),
  ]);
  documents.forEach((document, at) => (document.id = at));
  const miniSearch = new MiniSearch<IndexedDocument>({
    fields: ['heading', 'askedAs', 'answer'],
    // Topics arrive already split and stemmed, as do questions (see questionTerms).
    // A word that is no term still makes its text longer, and each of its terms less telling: it is indexed as
    // its position, which the index counts but drops (see NO_TERM).
    extractField: (topic, field) =>
      field === 'id' ? topic.id : topic[field as IndexedField].map((term, at) => term ?? `${NO_TERM}${at}`).join(' '),
    tokenize: (text) => text.split(' '),
    processTerm: (term) => (term.startsWith(NO_TERM) ? null : term),
    searchOptions: { boost: { heading: 3, askedAs: 2 } },
  });
  miniSearch.addAll(documents);
  const languages = indexed.map((topic) => topic.language);
  const usingIn = new Map(
    [...new Set(languages)].map((language) => [
      language,
      topicsUsing(indexed.filter((topic) => topic.language === language)),
    ]),
  );
  const weighers = new Map(
    [...usingIn].map(([language, using]) => [
      language,
      termWeigher(using, languages.filter((other) => other === language).length),
    ]),
  );
  const index: TopicSearch = { miniSearch, documents, languages, known: knownWords(topics, indexed), weighers };
  const calibrated = new Map<StemmingLanguage, number>();
  const thresholds: Thresholds = (language) => {
    const using = usingIn.get(language);
    if (!using) return undefined;
    let threshold = calibrated.get(language);
    if (threshold === undefined) {
      threshold = calibrate(index, topics, indexed, language, using);
      calibrated.set(language, threshold);
    }
    return threshold;
  };
  // A conversation's earlier messages are read again at every turn: their answers are kept.
  const searches = new Map<string, KnowledgeSearch>();
  return {
    search(question) {
      const known = searches.get(question);
      if (known) return known;
      if (searches.size >= SEARCHES_KEPT) searches.delete(searches.keys().next().value as string);
      const search = searchTopics(index, thresholds, topics, question);
      searches.set(question, search);
      return search;
    },
    rank(text, limit) {
      return queryTopics(index, text, false)
        .matches.slice(0, limit)
        .map((match) => topics[match.topic]);
    },
  };
}

/** At most this many topics (evenly spread) are asked about to calibrate, so a large knowledge base builds fast. */
const CALIBRATION_TOPICS = 30;

/**
 * The confidence questions in `language` need (see calibratedThreshold): its topics' headings asked as questions,
 * and unrelated everyday messages, bare and with a telling word of a heading in them. Not its `? ` lines: an
 * author teaches the wordings the engine missed, which the rest of the knowledge base cannot answer by design;
 * asked without themselves they fail, and raised the threshold the more an author taught (lowering right answers).
 */
function calibrate(
  index: TopicSearch,
  topics: KnowledgeTopic[],
  indexed: IndexedTopic[],
  language: StemmingLanguage,
  using: Map<string, number>,
): number {
  const inLanguage = indexed.filter((topic) => topic.language === language);
  const step = Math.max(1, inLanguage.length / CALIBRATION_TOPICS);
  const sampled = Array.from(
    { length: Math.min(inLanguage.length, CALIBRATION_TOPICS) },
    (_, at) => inLanguage[Math.floor(at * step)],
  );
  const confidenceOf = (question: string) => {
    const { topic, confidence } = assess(index, question, language);
    return { topic, confidence: confidence ?? 0 };
  };
  const own: CalibrationSample[] = [];
  const unrelated: CalibrationSample[] = [];
  const brushing = BRUSHING_MESSAGES[language];
  sampled.forEach(({ id }, at) => {
    const { topic, confidence } = confidenceOf(topics[id].heading);
    own.push({ confidence, right: topic === id });
    const word = tellingWord(
      topics[id],
      indexed[id],
      using,
      (term) => index.known.isIntent(term) || isIntent(term, language),
    );
    if (word)
      unrelated.push({
        confidence: confidenceOf(brushing[at % brushing.length].replace('{}', word)).confidence,
        right: false,
      });
  });
  for (const message of UNRELATED_MESSAGES[language]) {
    unrelated.push({ confidence: confidenceOf(message).confidence, right: false });
  }
  return calibratedThreshold(own, unrelated);
}

/** The word of a heading fewest topics use: what sets its topic apart ("outage" in "Report a power outage"). */
function tellingWord(
  { heading }: KnowledgeTopic,
  { heading: terms }: IndexedTopic,
  using: Map<string, number>,
  isIntentTerm: (term: string) => boolean,
): string | undefined {
  let best: { word?: string; topics: number } = { topics: Infinity };
  searchWords(heading, true).forEach((word, at) => {
    const term = terms[at];
    const count = term && /^\p{L}+$/u.test(word) && !isIntentTerm(term) ? (using.get(term) ?? 0) : Infinity;
    if (count < best.topics) best = { word, topics: count };
  });
  return best.word;
}

/** How many of the topics use each term. */
function topicsUsing(indexed: IndexedTopic[]): Map<string, number> {
  const using = new Map<string, number>();
  for (const topic of indexed) {
    for (const term of new Set([...topic.heading, ...topic.askedAs.flat(), ...topic.answer])) {
      if (term) using.set(term, (using.get(term) ?? 0) + 1);
    }
  }
  return using;
}

/**
 * The knowledge base's words: the intents its author teaches (see ANYTHING), and to read a question's typos as
 * them, per language, two spell checkers made at the first typo in that language: one over its topics' words (to
 * their stems) and that language's stop words (to nothing), one over their stems.
 */
function knownWords(topics: KnowledgeTopic[], indexed: IndexedTopic[]): KnownWords {
  const used = topicsUsing(indexed);
  const checkers = new Map<StemmingLanguage, { byWord: SpellChecker; byStem: SpellChecker }>();
  const checkerIn = (language: StemmingLanguage) => {
    let checker = checkers.get(language);
    if (!checker) {
      const words = new Map<string, string | null>([...STOP_WORDS_IN[language]].map((word) => [word, null]));
      const stems = new Map<string, string>();
      topics.forEach(({ heading, answer, askedAs = [] }, at) => {
        if (indexed[at].language !== language) return;
        const text = [heading, answer, ...askedAs].join('\n');
        const terms = topicTerms(text, language);
        searchWords(text, true).forEach((word, position) => {
          const term = terms[position];
          if (term && /^\p{L}+$/u.test(word)) {
            words.set(word, term);
            stems.set(term, term);
          }
        });
      });
      checker = { byWord: spellChecker(words), byStem: spellChecker(stems) };
      checkers.set(language, checker);
    }
    return checker;
  };
  const intents = new Set(
    topics
      .flatMap(({ askedAs = [] }, at) =>
        askedAs.filter((line) => ANYTHING.test(line)).flatMap((line) => topicTerms(line, indexed[at].language)),
      )
      .filter((term) => term !== null),
  );
  return {
    isKnown: (term) => used.has(term),
    isIntent: (term) => intents.has(term),
    // A typo of another form of the knowledge base's word ("vacinations" for "vaccines") is a typo of its stem.
    correct: (word, language) => {
      const { byWord, byStem } = checkerIn(language);
      const corrected = byWord.correct(word);
      return corrected === undefined ? byStem.correct(stem(word, language)) : corrected;
    },
  };
}

type Weigher = (terms: Iterable<string>, qualifier: boolean, usage: number) => number;

/**
 * How telling a question word is, given the terms that would match it: the rarer among the topics (those in the
 * question's language, the only ones it can get), the more (inverse document frequency). A word they never use
 * counts a share of the rarest: one such word ("Dr", "sometime") must not sink a question the rest of which a
 * topic answers, but a question mostly of them is about something else.
 */
function termWeigher(topicsUsing: Map<string, number>, topicCount: number): Weigher {
  return (terms, qualifier, usage) => {
    let frequency = 0;
    for (const term of terms) frequency = Math.max(frequency, topicsUsing.get(term) ?? 0);
    const inverseFrequency = Math.log(1 + topicCount / (1 + frequency));
    if (qualifier) return inverseFrequency * QUALIFIER_WEIGHT;
    if (frequency > 0) return inverseFrequency;
    return (inverseFrequency * UNKNOWN_WORD_WEIGHT) / (1 + Math.log1p(usage) * EVERYDAY_WORD_DISCOUNT);
  };
}

/**
 * The question's terms and the topics they find, best first: only topics in the question's language when
 * answering (a Spanish question gets no English answer), any when ranking grounding for an LLM; `language` is
 * detected unless given.
 */
function queryTopics(
  { miniSearch, documents, languages, known }: TopicSearch,
  question: string,
  sameLanguage: boolean,
  language?: StemmingLanguage,
): QueriedTopics {
  const terms = questionTerms(question, known, language);
  if (terms.alternatives.size === 0) return { ...terms, matches: [] };
  const boosts = termBoosts(terms);
  const isOwn = (term: string) => terms.alternatives.has(term);
  // Prefixes and typos for the contact's own longer words only: "car" must not find "cardigan", "bike" "like".
  const results = miniSearch.search([...boosts.keys()].join(' '), {
    tokenize: (query) => query.split(' '),
    processTerm: (term) => term,
    boostTerm: (term) => boosts.get(term) ?? 1,
    prefix: (term) => isOwn(term) && term.length >= PREFIX_MIN_LENGTH,
    fuzzy: (term) => (isOwn(term) ? typosAllowed(term) : false),
    ...(sameLanguage && {
      filter: (result) => languages[documents[result.id as number].topic] === terms.language,
    }),
  });
  return { ...terms, matches: topicMatches(results, documents) };
}

/** A topic a question finds: its best document's score, and what each of its documents matched. */
interface TopicMatch {
  topic: number;
  score: number;
  /** Its heading and answer, when they match. */
  main?: SearchResult;
  /** Its `? ` lines that match. */
  lines: SearchResult[];
}

/** The documents found, gathered by topic, best first. */
function topicMatches(results: SearchResult[], documents: IndexedDocument[]): TopicMatch[] {
  const byTopic = new Map<number, TopicMatch>();
  for (const result of results) {
    const document = documents[result.id as number];
    let match = byTopic.get(document.topic);
    if (!match) {
      match = { topic: document.topic, score: result.score, lines: [] };
      byTopic.set(document.topic, match);
    }
    if (document.asked) match.lines.push(result);
    else match.main = result;
  }
  return [...byTopic.values()];
}

/**
 * One typo (edit distance 1) in a word of 4 letters or more ("parkng"): shorter words have too many neighbours,
 * and two typos cost a large knowledge base several milliseconds a question.
 */
function typosAllowed(term: string): number | false {
  return term.length >= 4 ? 1 : false;
}

interface QueriedTopics extends QuestionTerms {
  matches: TopicMatch[];
}

/**
 * How sure the engine is of the topic a question finds best, and which that is; no confidence for a question
 * with no term, null for one in a language the knowledge base has no topic in.
 */
interface Assessment {
  language: StemmingLanguage;
  topic?: number;
  confidence?: number | null;
  /** The share of a `? ` line's own words the question matches, when the best topic covers it through one. */
  lineShare?: number;
  /** How far the best topic's coverage leads the runner-up's. */
  lead?: number;
}

function searchTopics(
  index: TopicSearch,
  thresholds: Thresholds,
  topics: KnowledgeTopic[],
  question: string,
): KnowledgeSearch {
  const keywords = keywordsAsWritten(question);
  const assessment = assess(index, question);
  const { language, topic, confidence } = assessment;
  if (confidence === null) return { keywords, confidence: 0, languageWithoutTopics: language };
  if (confidence === undefined) return { keywords, confidence: 0 };
  const nearest = topic !== undefined ? topics[topic] : undefined;
  const { lineShare = 0, lead = 0 } = assessment;
  // A wording the author taught, said again in most of its telling words, covering at least half the question
  // and no other topic close: that is the author's own answer to it, whatever the threshold the rest sets.
  const sure =
    (answersAnyway(confidence) ?? confidence >= (thresholds(language) ?? Infinity)) ||
    (lineShare >= TAUGHT_LINE_SHARE && lead >= MARGIN && confidence >= 0.5);
  const answering = nearest && sure ? nearest : undefined;
  return {
    keywords,
    topic: answering,
    ...(nearest && { nearest }),
    confidence,
    // Read for reports and tests: calibrated then if no question has needed it yet.
    get threshold() {
      return thresholds(language);
    },
  };
}

/** The best topic for a question, and how sure that is: see coverage. `readAs` as `language` in queryTopics. */
function assess(index: TopicSearch, question: string, readAs?: StemmingLanguage): Assessment {
  const queried = queryTopics(index, question, true, readAs);
  const { alternatives, qualifiers, usage, matches, language } = queried;
  const weigh = index.weighers.get(language);
  if (alternatives.size === 0) return { language };
  if (!weigh) return { language, confidence: null };

  const weights = new Map(
    [...alternatives].map(([word, terms]) => [word, weigh(terms, qualifiers.has(word), usage.get(word) ?? 0)]),
  );
  // Ranking favours short headings; among the close runners-up, the topic covering most of the question wins.
  let best: { topic?: number; coverage: number; lineShare?: number } = { coverage: 0 };
  let runnerUp = 0;
  for (const match of matches.slice(0, CANDIDATES)) {
    if (match.score < matches[0].score * CANDIDATE_MIN_SCORE) break;
    const covered = coverage(match, queried, weights, (line) => lineShare(line, index.documents, weigh));
    if (covered.coverage > best.coverage) {
      runnerUp = best.coverage;
      best = { topic: match.topic, ...covered };
    } else runnerUp = Math.max(runnerUp, covered.coverage);
  }
  // Two topics covering the question about as well: which one it is about is a guess.
  const confidence = best.coverage - Math.max(0, MARGIN - (best.coverage - runnerUp));
  return {
    language,
    topic: best.topic,
    confidence: Math.max(0, confidence),
    lineShare: best.lineShare,
    lead: best.coverage - runnerUp,
  };
}

/**
 * The weighted share of the question's words a topic matches, through its heading and answer and at most one of
 * its `? ` lines. A word found in the topic's heading is what the topic is about, so it counts more; a synonym
 * found only in the answer's text is a weaker sign, half a match.
 */
function coverage(
  match: TopicMatch,
  queried: QuestionTerms,
  weights: Map<string, number>,
  shareOf: (line: SearchResult) => number,
): { coverage: number; lineShare?: number } {
  const main = match.main ? [match.main] : [];
  const byMain = main.length > 0 ? coverageBy(main, queried, weights) : 0;
  let best: { coverage: number; lineShare?: number } = { coverage: byMain };
  for (const line of match.lines) {
    const share = shareOf(line);
    const withLine = byMain + (coverageBy([...main, line], queried, weights) - byMain) * share;
    if (withLine > best.coverage) best = { coverage: withLine, lineShare: share };
  }
  return best;
}

/**
 * The weighted share of a `? ` line's own words the question matches: a question sharing one word of a long line
 * ("concert" in "lost my phone at a concert last night") is no rewording of it.
 */
function lineShare(line: SearchResult, documents: IndexedDocument[], weigh: Weigher): number {
  const matched = new Set(Object.keys(line.match));
  let covered = 0;
  let total = 0;
  for (const term of new Set(documents[line.id as number].askedAs)) {
    if (!term) continue;
    const weight = weigh([term], false, 0);
    total += weight;
    if (matched.has(term)) covered += weight;
  }
  return total > 0 ? covered / total : 0;
}

function coverageBy(
  results: SearchResult[],
  { alternatives, related }: QuestionTerms,
  weights: Map<string, number>,
): number {
  // Only a term the topic uses as such: a prefix or a typo's neighbour ("stand" for "standard", "sink" for
  // "sick") ranks the topic but says little of what the question is about.
  const matched = new Set(results.flatMap((result) => Object.keys(result.match)));
  const near = new Set(results.flatMap((result) => result.queryTerms));
  // The author's ways customers ask say what the topic is about, as its heading does.
  const isInHeading = (term: string) =>
    results.some((result) => result.match[term]?.some((field) => field === 'heading' || field === 'askedAs'));
  let covered = 0;
  let total = 0;
  for (const [word, terms] of alternatives) {
    const found = [...terms].filter((term) => matched.has(term) && !related.has(term));
    const inHeading = found.some(isInHeading);
    const weight = (weights.get(word) ?? 0) * (inHeading ? HEADING_WEIGHT : 1);
    total += weight;
    if (matched.has(word) || inHeading) covered += weight;
    else if (found.length > 0) covered += weight * SYNONYM_IN_TEXT_CREDIT;
    else if ([...terms].some((term) => near.has(term) && !related.has(term))) covered += weight * NEAR_CREDIT;
  }
  return total > 0 ? covered / total : 0;
}

/**
 * How much each search term counts: the contact's own words fully, a word's synonyms sharing SYNONYM_WEIGHT,
 * so that a topic using many synonyms of one word does not outrank a topic using the words themselves; words
 * qualifying an intent count QUALIFIER_WEIGHT of that.
 */
function termBoosts({ alternatives, qualifiers, related }: QuestionTerms): Map<string, number> {
  const boosts = new Map<string, number>();
  for (const [word, terms] of alternatives) {
    const wordBoost = qualifiers.has(word) ? QUALIFIER_WEIGHT : 1;
    for (const term of terms) {
      const share = related.has(term) ? RELATED_WEIGHT : SYNONYM_WEIGHT;
      const boost = wordBoost * (term === word ? 1 : share / (terms.size - 1));
      boosts.set(term, Math.max(boosts.get(term) ?? 0, boost));
    }
  }
  return boosts;
}
