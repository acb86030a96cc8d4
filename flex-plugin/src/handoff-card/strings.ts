/**
 * The card's (and the AI message mark's) words, in the rep's language. The card is part of the rep's screen, so it follows the rep's
 * locale (Flex's, or the browser's); the contact's language (`handoffLanguage`) is data on the card, shown
 * by name, not the language the card speaks: a Spanish-speaking contact routed to an English-speaking rep
 * must not turn the rep's panel into Spanish.
 */
import type { ReasonCode, Sentiment } from './attributes';

export interface CardStrings {
  title: string;
  reason: string;
  reasonCodes: Record<ReasonCode, string>;
  sentiment: string;
  sentiments: Record<Sentiment, string>;
  language: string;
  summary: string;
  noSummary: string;
  handedOffAt: string;
  customData: string;
  notProvided: string;
  showMore: string;
  showLess: string;
  /** The mark on the AI's messages in the conversation thread. */
  aiMessage: string;
}

const en: CardStrings = {
  title: 'Handoff from the AI',
  reason: 'Reason',
  reasonCodes: {
    contact_requested: 'The contact asked for a person',
    frustrated: 'The contact seems frustrated',
    ai_unable: 'The AI could not help',
    forbidden_topic: 'A topic the AI must not handle came up',
    api: 'Requested by an outside system',
  },
  sentiment: 'Sentiment',
  sentiments: { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' },
  language: 'Language',
  summary: 'Summary',
  noSummary: 'No summary.',
  handedOffAt: 'Handed off',
  customData: 'Customer data',
  notProvided: 'Not provided',
  showMore: 'Show more',
  showLess: 'Show less',
  aiMessage: 'AI assistant',
};

const es: CardStrings = {
  title: 'Traspaso desde la IA',
  reason: 'Motivo',
  reasonCodes: {
    contact_requested: 'El contacto pidió hablar con una persona',
    frustrated: 'El contacto parece frustrado',
    ai_unable: 'La IA no pudo ayudar',
    forbidden_topic: 'Surgió un tema que la IA no debe tratar',
    api: 'Solicitado por un sistema externo',
  },
  sentiment: 'Sentimiento',
  sentiments: { positive: 'Positivo', neutral: 'Neutral', negative: 'Negativo' },
  language: 'Idioma',
  summary: 'Resumen',
  noSummary: 'Sin resumen.',
  handedOffAt: 'Traspasado',
  customData: 'Datos del cliente',
  notProvided: 'No indicado',
  showMore: 'Ver más',
  showLess: 'Ver menos',
  aiMessage: 'Asistente de IA',
};

const CATALOG: Record<string, CardStrings> = { en, es };

export const SUPPORTED_LANGUAGES = Object.keys(CATALOG);

/** A usable BCP-47 locale for Intl formatting: the one given if Intl accepts it, else English. */
export function resolveLocale(locale: string | undefined): string {
  if (!locale) return 'en';
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** The strings for a locale (`es-MX` -> Spanish); English for any language without a translation. */
export function stringsFor(locale: string): CardStrings {
  const language = locale.split('-')[0].toLowerCase();
  return Object.prototype.hasOwnProperty.call(CATALOG, language) ? CATALOG[language] : en;
}
