/**
 * The contact's language, from their latest messages: English or Spanish when their common words tell, else
 * tinyld when it is sure, else English.
 */
import type * as Tinyld from 'tinyld';
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { words } = load<typeof Text>('/ai/text.js');

export const DEFAULT_LANGUAGE = 'en';

/** How many of the contact's latest messages are read: enough text to be sure, recent enough to follow a switch. */
const MESSAGES_READ = 3;
/** tinyld's accuracy (0 to 1) from which its guess is taken; below it, English. */
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
 * tinyld, required at the first text the marker words cannot tell: building its language profiles costs a fresh
 * process ~150 ms of CPU and ~50 MB, about what the rest of /sms/inbound's modules cost together, and most texts (a
 * question in English or Spanish, a greeting, a module that only names a language) never need it. Its light
 * build is no substitute: it reads "me cobraron dos veces" as English and "new dr wants my records" as Portuguese.
 */
let detector: typeof Tinyld | undefined;

/**
 * The BCP-47 language of the contact's messages (oldest first), `en` when too short or unclear to tell.
 *
 * English and Spanish, the languages the replies are written in, are decided by their marker words first; tinyld
 * only when the markers cannot tell (none, or as many of each). Its profiles misread short SMS English with typos
 * and slang ("my internt is realy slow today" as German, "cant log into the app smh" as Irish) and cannot tell
 * "hola" or "gracias" at all. Texts with no markers, most other languages' ("Wo ist meine Bestellung?"), still go
 * to tinyld: 43 of the eval's and the bench's 548 texts. The price: a language that shares a marker word with
 * Spanish or English and has none of the other's ("como posso pagar" in Portuguese) is taken for it.
 */
export function detectLanguage(contactMessages: string[]): string {
  const text = contactMessages.slice(-MESSAGES_READ).join('\n');
  const byMarkers = languageByWords(text);
  if (byMarkers) return byMarkers;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < DETECTOR_MIN_LETTERS) return DEFAULT_LANGUAGE;
  detector ??= require('tinyld') as typeof Tinyld;
  const [guess] = detector.detectAll(text);
  return guess && guess.accuracy >= DETECTOR_MIN_ACCURACY ? guess.lang : DEFAULT_LANGUAGE;
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

/**
 * Made at the first name asked for: building it loads ICU's display-name data, ~40 ms of CPU and ~8 MB in a fresh
 * process, which a text the embedded AI answers never needs (handoff notes, summaries and the LLM's prompt name languages).
 */
let languageNames: Intl.DisplayNames | undefined;

/** "Spanish" for `es`, for summaries; the code itself when the name is unknown. */
export function languageName(code: string): string {
  try {
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}
