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
].map((group) => group.split(' '));

/**
 * What contacts ask to do whatever the product: "return" in "can I return my shoes", "refund" in "a refund for my
 * boots". Their synonyms are intents too ("money", "parcel", "delivery", "broken", "login").
 */
const INTENTS = 'return refund exchange order track ship cancel pay charge damage warranty password'.split(' ');

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
    vocabulary = { synonyms: new Map(), intents: new Set(INTENTS.map((word) => stem(word, language))) };
    for (const group of SYNONYM_GROUPS) {
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
