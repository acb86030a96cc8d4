/**
 * How the contact feels, message by message (the `sentiment` library: AFINN for English, a Spanish word list
 * registered here), and when that amounts to frustration worth a person: strongly negative, negative twice in
 * a row, shouting, or swearing.
 */
import Sentiment from 'sentiment';
import type { Sentiment as Tone } from '../session/model.private';
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { normalize, words } = load<typeof Text>('/ai/text.js');

export interface Mood {
  /** AFINN-style sum, service vocabulary left out: below 0 is negative. */
  score: number;
  /** The score per word, so one angry word in a short message weighs more than in a long one. */
  comparative: number;
  shouting: boolean;
  profanity: boolean;
}

/**
 * AFINN scores words that, to a shop, describe the case rather than the mood: "I was charged twice", "the item
 * arrived damaged", "cancel my order" are not negative feelings, and "I'd like help" is not a positive one.
 */
const SERVICE_WORDS = new Set(
  `charge charged charges damage damaged lost broken wrong problem problems issue issues
  cancel cancelled canceled no want help helps like please delay delayed missing stolen defective stop pay free torn
  leak fail failed failure unable block blocked forgot forget debt urgent reject rejected limited error errors
  mistake mistakes sorry hard difficult trouble dead joke fraud`.split(/\s+/),
);

/** AFINN-style scores (-5 to 5) for Spanish, accents stripped as normalize() does. */
const SPANISH_LABELS: Record<string, number> = {
  ...scores(4, 'maravilloso maravillosa fantastico fantastica excelentes'),
  ...scores(
    3,
    `bueno buena buenisimo excelente genial perfecto perfecta feliz encanta encantado encantada estupendo
    estupenda super amo`,
  ),
  ...scores(
    2,
    `gracias agradezco agradecido agradecida amable amables contento contenta satisfecho satisfecha
    rapido rapida util utiles gusta gusto recomiendo mejor bien bonito bonita lindo linda ideal resuelto solucionado`,
  ),
  ...scores(1, 'facil correcto vale'),
  ...scores(-1, 'lento lenta lentitud'),
  ...scores(
    -2,
    `molesto molesta cansado cansada decepcionado decepcionada decepcion insatisfecho insatisfecha
    absurdo absurda queja triste preocupado preocupada confundido confundida`,
  ),
  ...scores(
    -3,
    `malo mala malos malas terrible terribles horrible horribles fatal peor odiar enojado enojada
    enfadado enfadada harto harta frustrado frustrada inaceptable ridiculo ridicula verguenza vergonzoso robo
    mentira mentiras mentirosos incompetente incompetentes inutil inutiles basura desastre idiota idiotas estupido
    estupida maldito maldita carajo cono hostia`,
  ),
  ...scores(
    -4,
    `pesimo pesima odio furioso furiosa estafa estafadores ladrones mierda joder puta puto putos pendejo
    pendejos cabron cabrones chingada chingado imbecil gilipollas verga`,
  ),
};

function scores(score: number, list: string): Record<string, number> {
  return Object.fromEntries(list.split(/\s+/).map((word) => [word, score]));
}

/** A Spanish negation flips the word after it, or after a pronoun or verb: "no estoy contento", "no me gusta". */
const SPANISH_NEGATORS = new Set(['no', 'nunca', 'jamas', 'ni', 'tampoco', 'sin']);
const isNegatedInSpanish = (tokens: string[], cursor: number) =>
  SPANISH_NEGATORS.has(tokens[cursor - 1]) || SPANISH_NEGATORS.has(tokens[cursor - 2]);

const analyzer = new Sentiment();
analyzer.registerLanguage('es', {
  labels: { ...SPANISH_LABELS },
  scoringStrategy: {
    apply: (tokens, cursor, tokenScore) => (isNegatedInSpanish(tokens, cursor) ? -tokenScore : tokenScore),
  },
});

/** Swearing and insults; mild words that also appear in polite messages ("a stupid question") are left out. */
const PROFANITY = new Set(
  `fuck fucking fucked fucker fck wtf shit shitty bullshit crap crappy asshole assholes
  bastard bastards bitch piss pissed idiot idiots moron morons mierda joder carajo puta puto putos cono pendejo
  pendejos cabron cabrones chingada chingado chingar verga hostia gilipollas idiota idiotas imbecil`.split(/\s+/),
);

/** At least this many letters before all capitals count as shouting rather than an acronym ("AGENT", "UPS"). */
const SHOUTING_MIN_LETTERS = 8;

export function moodOf(message: string, language: string): Mood {
  const result = analyzer.analyze(normalize(message).replace(/[¿¡"“”«»]/g, ' '), {
    language: language === 'es' ? 'es' : 'en',
  });
  const score = result.calculation
    .flatMap((entry) => Object.entries(entry))
    .reduce((sum, [word, value]) => (SERVICE_WORDS.has(word) ? sum : sum + value), 0);
  return {
    score,
    comparative: result.tokens.length > 0 ? score / result.tokens.length : 0,
    shouting: isShouting(message),
    profanity: words(message).some((word) => PROFANITY.has(word)),
  };
}

/** ALL CAPS with repeated "!" or "?": "WHERE IS MY ORDER!!!" */
function isShouting(message: string): boolean {
  const letters = message.match(/\p{L}/gu) ?? [];
  const capitals = message.match(/\p{Lu}/gu) ?? [];
  return letters.length >= SHOUTING_MIN_LETTERS && capitals.length >= letters.length * 0.8 && /[!?]{2,}/.test(message);
}

/** Shouting and swearing weigh like strongly negative words, whatever the words themselves score. */
function valence(mood: Mood): number {
  const penalty = (mood.shouting ? 3 : 0) + (mood.profanity ? 3 : 0);
  return Math.max(-5, Math.min(5, mood.score - penalty));
}

const isNegative = (mood: Mood) => valence(mood) <= -2;
const isStronglyNegative = (mood: Mood) => mood.score <= -4 || (mood.score <= -3 && mood.comparative <= -0.5);

/** Whether the latest message, with the contact's previous one, shows a frustrated contact. */
export function isFrustrated(latest: Mood, previous: Mood | undefined): boolean {
  if (latest.shouting || latest.profanity || isStronglyNegative(latest)) return true;
  return isNegative(latest) && previous !== undefined && isNegative(previous);
}

/** How many of the contact's latest messages the overall tone considers, each half as much as the next. */
const TONE_WINDOW = 5;

/** The tone of the conversation from the contact's messages, oldest first, the latest weighing most. */
export function toneOf(moods: Mood[]): Tone {
  let weighted = 0;
  let weights = 0;
  moods
    .slice(-TONE_WINDOW)
    .reverse()
    .forEach((mood, age) => {
      const weight = 0.5 ** age;
      weighted += valence(mood) * weight;
      weights += weight;
    });
  const average = weights > 0 ? weighted / weights : 0;
  if (average >= 1) return 'positive';
  if (average <= -1) return 'negative';
  return 'neutral';
}
