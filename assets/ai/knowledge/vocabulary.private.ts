/**
 * What the engine knows of customer-service words: which mean the same, and which name something contacts ask to
 * do. Words are compared by their stems in the question's language, so "refunds" and "refunded" are "refund", and
 * "pedidos" is "pedido".
 */
import type { StemmingLanguage } from './stemming.private';
import type * as Stemming from './stemming.private';
import type * as LoadModule from '../../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { stem } = load<typeof Stemming>('/ai/knowledge/stemming.js');

/**
 * Words customers of any business use for the same thing, so "I want my money back" finds refunds and "when are
 * you open" finds opening hours, whatever words the knowledge base happens to use. Each language's groups are
 * read in that language and find topics written in it: an English answer is no answer to a Spanish question.
 * Only customer-service words that hold for any business: what a business's own trade is called, its knowledge
 * base says.
 */
const SYNONYM_GROUPS: Record<StemmingLanguage, string[][]> = {
  en: [
    'refund money reimburse reimbursement repay',
    'hour open opening close closing',
    'time long fast quick soon',
    'cost price fee pricing expensive cheap',
    'bill billing invoice statement',
    'pay paid payment',
    'charge charged',
    'double twice duplicate',
    'cancel cancellation',
    'change modify edit update amend reschedule',
    'damage damaged broken broke defective faulty cracked',
    'wrong incorrect mistake',
    'password login log signin',
    'forgot forget',
    'send sent',
    'store shop location branch nearest',
    'contact phone call reach',
    'fix repair',
  ].map((group) => group.split(' ')),
  es: [
    'reembolso devolucion devolver',
    'horario abren abierto abre cierran cierra',
    'precio costo cuesta tarifa',
    'factura cobro cargo pago pagar',
    'doble veces',
    'cancelar anular',
    'cambiar modificar',
    'contrasena clave',
    'tienda sucursal oficina',
    'contacto telefono llamar',
  ].map((group) => group.split(' ')),
};

/**
 * What contacts ask to do whatever the product: "return" in "can I return my shoes", "refund" in "a refund for my
 * boots". Their synonyms are intents too ("money", "login").
 */
const INTENTS: Record<StemmingLanguage, string[]> = {
  en: 'return refund exchange order track ship cancel pay charge damage warranty password'.split(' '),
  es: 'devolver reembolso cancelar pagar'.split(' '),
};

interface StemmedVocabulary {
  /** Each stem with the words of the groups holding a word with that stem. */
  synonyms: Map<string, Set<string>>;
  intents: Set<string>;
}

const stemmed = new Map<StemmingLanguage, StemmedVocabulary>();

/** The vocabulary's stems in one language, computed at its first question in that language. */
function vocabularyIn(language: StemmingLanguage): StemmedVocabulary {
  let vocabulary = stemmed.get(language);
  if (!vocabulary) {
    vocabulary = { synonyms: new Map(), intents: new Set(INTENTS[language].map((word) => stem(word, language))) };
    for (const group of SYNONYM_GROUPS[language]) {
      for (const word of group) {
        const key = stem(word, language);
        const synonyms = vocabulary.synonyms.get(key) ?? new Set();
        group.forEach((synonym) => synonyms.add(synonym));
        vocabulary.synonyms.set(key, synonyms);
      }
    }
    stemmed.set(language, vocabulary);
  }
  return vocabulary;
}

/**
 * The vocabulary's words meaning the same as a normalized word read in `language` (its group's own words
 * included); none when the vocabulary does not know the word.
 */
export function synonymsOf(word: string, language: StemmingLanguage): string[] {
  return [...(vocabularyIn(language).synonyms.get(stem(word, language)) ?? [])];
}

/** Whether a normalized word, read in `language`, names something contacts ask to do (see INTENTS). */
export function isIntent(word: string, language: StemmingLanguage): boolean {
  return vocabularyIn(language).intents.has(stem(word, language));
}
