/**
 * Text helpers the embedded engine's parts share: one normal form to compare words in, stop words, phrase
 * matching and SMS-safe truncation.
 */

/** Lower case, accents and apostrophes dropped: "¿Dónde ESTÁ?" and "donde esta" compare equal. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '');
}

/** The words of a text, normalized, in order. */
export function words(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Function words and chat filler carry no topic. Apostrophes are dropped by normalize(), hence "dont", "im".
const ENGLISH_STOP_WORDS = `a about above after again all also am an and any anyone anything are as at be because been
  before being below between both but by can cant could did didnt do does doesnt doing dont down during each else
  even ever every few for from further get gets getting give go going got had has have having he her here hers him
  his how i id if im in into is isnt it its ive just know let lets like me might more most much must my myself need
  needs no nor not now of off ok okay on once only or other our ours out over own please pls plz really right same
  say she should so some something still such tell than that thats the their them then there theres these they
  thing this those through to too u under until up us very want wanted wanna was wasnt way we well were what whats
  when where wheres which while who whom why will with wont would wouldnt yes yet you your youre yours hi hello hey
  thanks thank help question questions ask asking back many take takes use used using policy policies
  info information detail details option options problem problems issue issues work works working check find make
  see look happen happened possible able already again hasnt havent hadnt arent werent couldnt shouldnt buy bought
  purchase purchased sell sold carry offer today tomorrow tonight yesterday anywhere somewhere nothing everything
  r ur ya yo lol omg rn tmrw tmr gonna gotta wanna nah rly bc cuz em guys thing things stuff kinda sorta yeah yep
  since ago someone somebody anybody everyone everybody though although maybe perhaps whether per via upon within
  without shes hes theyre theyve weve youve youll ill hed wed whos hows whens`;

const SPANISH_STOP_WORDS = `a al algo alguien algun alguna como con cual cuales cuando de del desde donde el ella
  ellos en entre era es esa ese eso esta estan estas este esto estoy fue ha hay la las le les lo los mas me mi mis
  muy nada ni no nos o para pero por porque puede puedo que quien se ser si sin sobre son su sus te tengo tiene tu
  tus un una uno unos unas y ya yo favor hola gracias quiero necesito ayuda hago hacer hace hacen tienen tener
  recibo recibir saber sabe ver voy puedes pueden podria comprar compre compro vender venden`;

/** Each language's stop words. */
export const STOP_WORDS_IN: Record<'en' | 'es', ReadonlySet<string>> = {
  en: new Set(ENGLISH_STOP_WORDS.split(/\s+/)),
  es: new Set(SPANISH_STOP_WORDS.split(/\s+/)),
};

const STOP_WORDS = new Set([...STOP_WORDS_IN.en, ...STOP_WORDS_IN.es]);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** The words of a text that can carry a topic: normalized, stop words and single characters removed. */
export function meaningfulWords(text: string): string[] {
  return words(text).filter((word) => word.length > 1 && !isStopWord(word));
}

/** The words of a text that can carry a topic, as written: "¿Me cobraron dos veces?" gives "cobraron", "veces". */
export function keywordsAsWritten(text: string): string[] {
  return (text.match(/[\p{L}\p{N}'’]+/gu) ?? []).filter((word) => meaningfulWords(word).length > 0);
}

/**
 * A pattern finding a word or phrase as whole words, in any case, whatever spaces or punctuation stand between
 * its words ("talk to a  human" finds "a human"). Accents must be normalized away on both sides to match
 * regardless of them. Use with `search` or `replace`: it is global.
 */
export function phrasePattern(phrase: string): RegExp {
  const body = words(phrase).join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Cuts a text to at most `max` characters, at the last sentence end if one is not too far back, else at a word. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const sentenceEnd = Math.max(room.lastIndexOf('. '), room.lastIndexOf('! '), room.lastIndexOf('? '));
  if (sentenceEnd >= max / 2) return room.slice(0, sentenceEnd + 1);
  const wordEnd = room.lastIndexOf(' ');
  return `${(wordEnd > 0 ? room.slice(0, wordEnd) : room).replace(/[\s,;:.-]+$/, '')}…`;
}
