/**
 * The search terms of a text: its words that can say what it is about, stemmed; and of a question, each word
 * with the words meaning the same, and which words merely qualify what the contact asks to do.
 */
import type { StemmingLanguage } from './stemming.private';
import type * as Stemming from './stemming.private';
import type * as Vocabulary from './vocabulary.private';
import type * as Language from '../language.private';
import type * as Text from '../text.private';
import type * as LoadModule from '../../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { stem, stemmingLanguage } = load<typeof Stemming>('/ai/knowledge/stemming.js');
const { isIntent, synonymsOf } = load<typeof Vocabulary>('/ai/knowledge/vocabulary.js');
const { detectLanguage } = load<typeof Language>('/ai/language.js');
const { isStopWord, meaningfulWords } = load<typeof Text>('/ai/text.js');

/** The knowledge base is indexed as English, the sample's language; questions are matched against that. */
const INDEX_LANGUAGE: StemmingLanguage = 'en';

export interface QuestionTerms {
  /** Each of the question's own terms with the terms meaning the same (itself included). */
  alternatives: Map<string, Set<string>>;
  /** The own terms that merely say what an intent applies to ("shoes" in "can I return my shoes"). */
  qualifiers: Set<string>;
}

/** A word's term in the index, or null for a word that says nothing of a topic. */
export function topicTerm(word: string): string | null {
  return isTopicWord(word) ? stem(word, INDEX_LANGUAGE) : null;
}

/**
 * Numbers (order numbers, dates, prices, times: "12345", "a1001", "12", "49") say which order, never what it is
 * about: left out of the index and of the question, they neither find a topic nor lower the confidence.
 */
function isTopicWord(word: string): boolean {
  return !isStopWord(word) && !/\p{N}/u.test(word);
}

/**
 * The question's terms. Its words are looked up in the vocabulary as words of the question's language
 * ("pedidos" is Spanish "pedido", an order), so an English word never passes for a Spanish one with the same
 * stem ("page" is not "pago").
 */
export function questionTerms(question: string): QuestionTerms {
  const language = stemmingLanguage(detectLanguage([question]));
  const alternatives = new Map<string, Set<string>>();
  const intents = new Set<string>();
  for (const word of meaningfulWords(question).filter(isTopicWord)) {
    const term = stem(word, INDEX_LANGUAGE);
    const synonyms = synonymsOf(word, language);
    const terms = alternatives.get(term) ?? new Set([term]);
    for (const synonym of synonyms) terms.add(stem(synonym, INDEX_LANGUAGE));
    alternatives.set(term, terms);
    if (isIntent(word, language) || synonyms.some((synonym) => isIntent(synonym, language))) intents.add(term);
  }
  return { alternatives, qualifiers: qualifiersOf(alternatives, intents) };
}

/**
 * Next to an intent, the other words only say what it applies to, and a policy holds for any product: "can I
 * return my hiking shoes" is about returns though the knowledge base never says "hiking" or "shoes", and "my
 * tents" must not pull "money back for my tents" to Repairs. Without an intent, no word is a mere qualifier, so
 * a word the knowledge base never uses still sinks the question ("what's the capital of France?").
 */
function qualifiersOf(alternatives: Map<string, Set<string>>, intents: Set<string>): Set<string> {
  if (intents.size === 0) return new Set();
  return new Set([...alternatives.keys()].filter((term) => !intents.has(term)));
}
