/**
 * Word stems from the Snowball stemmers, so "shipped", "shipping" and "ships" meet at "ship", and "cobraron",
 * "cobro" and "cobrar" at "cobr". English and Spanish: the languages the engine answers in.
 */
import { newStemmer, type Stemmer } from 'snowball-stemmers';

export type StemmingLanguage = 'en' | 'es';

const STEMMERS: Record<StemmingLanguage, Stemmer> = {
  en: newStemmer('english'),
  es: newStemmer('spanish'),
};

/**
 * Stems already computed, per language. A stem costs microseconds, and building the index of a large knowledge
 * base stems the same few thousand words tens of thousands of times; cleared when full, as contacts' words are
 * unbounded.
 */
const STEMS_KEPT = 20_000;
const stems: Record<StemmingLanguage, Map<string, string>> = { en: new Map(), es: new Map() };

/** Spanish is stemmed as Spanish; any other language as English, the language of the sample knowledge base. */
export function stemmingLanguage(language: string): StemmingLanguage {
  return language === 'es' ? 'es' : 'en';
}

/** The stem of a normalized word (lower case, accents dropped: the same form on both sides of a comparison). */
export function stem(word: string, language: StemmingLanguage): string {
  const known = stems[language].get(word);
  if (known !== undefined) return known;
  if (stems[language].size >= STEMS_KEPT) stems[language].clear();
  const stemmed = STEMMERS[language].stem(word);
  stems[language].set(word, stemmed);
  return stemmed;
}
