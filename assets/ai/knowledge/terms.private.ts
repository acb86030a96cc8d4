/**
 * The search terms of a text: its words that can say what it is about, stemmed in the text's language; and of a
 * question, each word with the words meaning the same, and which words merely qualify what the contact asks to do.
 */
import type { StemmingLanguage } from './stemming.private';
import type * as Stemming from './stemming.private';
import type * as Vocabulary from './vocabulary.private';
import type * as Language from '../language.private';
import type * as Text from '../text.private';
import type * as LoadModule from '../../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { stem, stemmingLanguage } = load<typeof Stemming>('/ai/knowledge/stemming.js');
const { isEnglishWord, isIntent, relatedStems, synonymsOf, usageCount } =
  load<typeof Vocabulary>('/ai/knowledge/vocabulary.js');
const { detectLanguage, languageByWords } = load<typeof Language>('/ai/language.js');
const { isStopWord, normalize } = load<typeof Text>('/ai/text.js');

/** What a question is read against: the knowledge base's own words. */
export interface KnownWords {
  /** Whether the knowledge base uses a term. */
  isKnown(term: string): boolean;
  /** Whether its author says a term names something customers ask to do, whatever it applies to (see ANYTHING). */
  isIntent(term: string): boolean;
  /**
   * What a word in `language` that neither it nor English knows stands for, read as a typo: a knowledge base's
   * term, null for a word that says nothing ("realy"), undefined when it is no near miss of a known word.
   */
  correct(word: string, language: StemmingLanguage): string | null | undefined;
}

const NO_KNOWN_WORDS: KnownWords = { isKnown: () => false, isIntent: () => false, correct: () => undefined };

export interface QuestionTerms {
  /** The language the question is read, and searched, in. */
  language: StemmingLanguage;
  /** Each of the question's own terms with the terms meaning the same (itself included). */
  alternatives: Map<string, Set<string>>;
  /** The own terms that merely say what an intent applies to ("membership" in "can I cancel my membership"). */
  qualifiers: Set<string>;
  /** How common each own term is in everyday English (see usageCount); 0 when not known. */
  usage: Map<string, number>;
  /** The terms found only as WordNet's related words of the question's own ones: a weaker sign than a synonym. */
  related: Set<string>;
}

/** The usage (see usageCount) a Spanish word is taken to have: a common English word's, like "night" (168). */
const SPANISH_WORD_USAGE = 200;

/**
 * A word with a digit names a thing when letters come with it ("5g", "4k", "1080p", "covid19"); alone, digits are
 * an order number, a date, a price or a time ("12345", "12", "49"): they say which order, never what it is about.
 */
const isNumber = (word: string) => !/\p{L}/u.test(word);
const hasDigit = (word: string) => /\p{N}/u.test(word);

/**
 * A text's words, normalized, with a hyphenated word ("Wi-Fi", "check-up", "e-mail") kept whole, as customers
 * write it as one word ("wifi", "checkup"); in a topic's text also its parts, as they write it as two.
 */
export function searchWords(text: string, withParts: boolean): string[] {
  const found = normalize(text).match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
  return found.flatMap((word) => {
    const parts = word.split('-');
    if (parts.length === 1) return [word];
    return withParts ? [parts.join(''), ...parts] : [parts.join('')];
  });
}

function isTopicWord(word: string): boolean {
  return word.length > 1 && !isStopWord(word) && !isNumber(word);
}

/** The language a question is read in: Spanish, or else English. */
function questionLanguage(question: string): StemmingLanguage {
  return stemmingLanguage(detectLanguage([question]));
}

/** The language a topic is indexed in, told by its common words (a knowledge base has hundreds of topics). */
export function topicLanguage(text: string): StemmingLanguage {
  return stemmingLanguage(languageByWords(text) ?? 'en');
}

/** The terms of a topic's text, stemmed in `language`, in order, null for each word that says nothing of it. */
export function topicTerms(text: string, language: StemmingLanguage): Array<string | null> {
  return searchWords(text, true).map((word) => (isTopicWord(word) ? stem(word, language) : null));
}

/**
 * The question's terms, stemmed and looked up in the vocabulary in the question's language ("pedidos" is Spanish
 * "pedido"), and in English also WordNet's related words the knowledge base uses ("kid" finds "child"). A word
 * known neither to the knowledge base nor to English is read as its typo ("parkng"). A word with a digit counts
 * only when the knowledge base uses it ("4g"): otherwise it is an order or reference number ("a1001"), which
 * neither finds a topic nor lowers the confidence. `language` is detected unless known.
 */
export function questionTerms(
  question: string,
  known: KnownWords = NO_KNOWN_WORDS,
  language = questionLanguage(question),
): QuestionTerms {
  const alternatives = new Map<string, Set<string>>();
  const intents = new Set<string>();
  const relatedTerms = new Set<string>();
  const usage = new Map<string, number>();
  for (const word of searchWords(question, false).map(unstretched).filter(isTopicWord)) {
    const term = termOf(word, language, known);
    if (term === null) continue;
    const synonyms = synonymsOf(word, language);
    const terms = alternatives.get(term) ?? new Set([term]);
    for (const synonym of synonyms) terms.add(stem(synonym, language));
    // WordNet is English: a Spanish question has its stems and the vocabulary's synonyms only, and each of its
    // words is taken for an everyday one ("semana", "llegue"), as nothing tells which name a particular thing.
    usage.set(term, language === 'en' ? usageCount(term) : SPANISH_WORD_USAGE);
    if (language === 'en') {
      for (const relatedTerm of relatedStems(term)) {
        if (!known.isKnown(relatedTerm) || terms.has(relatedTerm)) continue;
        terms.add(relatedTerm);
        relatedTerms.add(relatedTerm);
      }
    }
    alternatives.set(term, terms);
    if (known.isIntent(term) || [word, ...synonyms].some((synonym) => isIntent(synonym, language))) intents.add(term);
  }
  return { language, alternatives, qualifiers: qualifiersOf(alternatives, intents), usage, related: relatedTerms };
}

/** A question word's term, its typo's if it is one; null for a number, or a typo of a word that says nothing. */
function termOf(word: string, language: StemmingLanguage, known: KnownWords): string | null {
  const term = stem(word, language);
  if (known.isKnown(term)) return term;
  if (hasDigit(word)) return null;
  if (language === 'en' && isEnglishWord(term)) return term;
  const corrected = known.correct(word, language);
  return corrected === undefined ? term : corrected;
}

/** "sooo" is "so", "pleeease" "please": a letter typed three times or more counts once. */
function unstretched(word: string): string {
  return word.replace(/(\p{L})\1{2,}/gu, '$1');
}

/**
 * Next to an intent, the other words only say what it applies to, and a policy holds for any product: "can I
 * return my hiking shoes" is about returns, to a knowledge base teaching "return" as an intent, though it never
 * says "hiking" or "shoes". Without an intent, no word is a mere qualifier, so a word the knowledge base never
 * uses still weighs on the question.
 */
function qualifiersOf(alternatives: Map<string, Set<string>>, intents: Set<string>): Set<string> {
  if (intents.size === 0) return new Set();
  return new Set([...alternatives.keys()].filter((term) => !intents.has(term)));
}
