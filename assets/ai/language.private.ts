/**
 * The contact's language, from their latest messages: tinyld when it is sure, else telling English and Spanish
 * words (tinyld cannot tell "hola" or "gracias" on their own), else English.
 */
import type * as Tinyld from 'tinyld';
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { words } = load<typeof Text>('/ai/text.js');

export const DEFAULT_LANGUAGE = 'en';

/** How many of the contact's latest messages are read: enough text to be sure, recent enough to follow a switch. */
const MESSAGES_READ = 3;
/** tinyld's accuracy (0 to 1) from which its guess is taken over the word lists. */
const DETECTOR_MIN_ACCURACY = 0.5;
const DETECTOR_MIN_LETTERS = 12;

/** Common words of one language that the other does not use, greetings and customer-service verbs included. */
const MARKERS: Record<string, Set<string>> = {
  es: new Set(
    `hola gracias buenos buenas dias tardes noches favor quiero necesito puedo puede pueden tengo tiene
    donde cuando cual como esta estan estoy mi mis el los las una unos del al para pero porque muy ayuda hablar
    pedido paquete compra devolucion reembolso envio cuanto ya todavia tambien senor senora vale si funciona llego
    agente persona humano asesor representante`.split(/\s+/),
  ),
  en: new Set(
    `hi hello hey thanks thank the is are my i you your to and of what where when how can could would
    please want need order package refund return shipping help with it this that do does have`.split(/\s+/),
  ),
};

/**
 * tinyld, required at the first text long enough for it to read: building its language profiles costs a fresh
 * process ~150 ms of CPU and ~50 MB, about what the rest of /sms/inbound's modules cost together, and a short
 * text or a module that only names a language (the handoff's note, summaries) never needs it. Its light build is
 * no substitute: it reads "me cobraron dos veces" as English and "new dr wants my records" as Portuguese.
 */
let detector: typeof Tinyld | undefined;

/** The BCP-47 language of the contact's messages (oldest first), `en` when too short or unclear to tell. */
export function detectLanguage(contactMessages: string[]): string {
  const text = contactMessages.slice(-MESSAGES_READ).join('\n');
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters >= DETECTOR_MIN_LETTERS) {
    detector ??= require('tinyld') as typeof Tinyld;
    const [guess] = detector.detectAll(text);
    if (guess && guess.accuracy >= DETECTOR_MIN_ACCURACY) return guess.lang;
  }
  return languageByMarkers(words(text)) ?? DEFAULT_LANGUAGE;
}

/**
 * English or Spanish by their common words alone: microseconds where the detector takes milliseconds, for the
 * many paragraphs of a knowledge base; undefined when the words do not tell.
 */
export function languageByWords(text: string): string | undefined {
  return languageByMarkers(words(text));
}

function languageByMarkers(tokens: string[]): string | undefined {
  const count = (language: string) => tokens.filter((word) => MARKERS[language].has(word)).length;
  const spanish = count('es');
  const english = count('en');
  if (spanish > english) return 'es';
  if (english > spanish) return 'en';
  return undefined;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Spanish" for `es`, for summaries; the code itself when the name is unknown. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}
