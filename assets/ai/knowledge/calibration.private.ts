/**
 * How sure the engine must be before it answers, worked out for each knowledge base when its index is built:
 * from how its own topics' headings find their topics, and how everyday messages about nothing a business
 * answers, and ones sharing a word with it, find them. A knowledge base whose words are everyday ones, or whose topics resemble
 * each other, gets a stricter threshold; none is fitted to a particular business.
 */
import type { StemmingLanguage } from './stemming.private';

/** A pseudo-question: how sure the engine was of its best topic, and whether that topic was the right one. */
export interface CalibrationSample {
  confidence: number;
  /** For a question a topic answers: whether the best topic was it; for an unrelated message: always false. */
  right: boolean;
}

/**
 * Everyday messages no business's knowledge base answers: the engine's stand-in for what contacts send beside
 * their questions. Written for the engine, not taken from any evaluation set.
 */
export const UNRELATED_MESSAGES: Record<StemmingLanguage, string[]> = {
  en: [
    'how many ounces are in a cup',
    'who sang that song about the yellow submarine',
    'is it going to snow this weekend',
    'what should I make for dinner with chicken and rice',
    'can you write a poem about my girlfriend',
    'how far is the moon from the earth',
    'what year did the titanic sink',
    'my dog ate chocolate is he going to be ok',
    'recommend a good mystery novel',
    'how do I get red wine out of a carpet',
    'who is the best basketball player of all time',
    'what is the square root of 144',
    'translate good morning into italian',
    'where can I watch the new superhero movie',
    'how do I make sourdough bread',
    'what rhymes with purple',
    'is a tomato a fruit or a vegetable',
    'how many players are on a soccer team',
    'my sister is getting married, what gift should I get',
    'what is the tallest building in the world',
    'do you believe in ghosts',
    'how do I unclog my bathroom sink',
    'can you help me with my algebra homework',
    'what time is sunset tonight',
    'how do I grow basil on my balcony',
    'what is the population of canada',
    'best hiking trails near the mountains',
    'are cats smarter than dogs',
    'who painted the mona lisa',
    'how do I tie a tie',
    'what is a good name for a goldfish',
    'the neighbors are having a loud party again',
    'how long do I cook a turkey',
    'who is going to win the election',
    'what does lol stand for',
    'recommend a podcast for my commute',
    'is coffee bad for you',
    'how do you play chess',
    'what is the speed of sound',
    'my car needs new tires, which brand is best',
    'how do I get my toddler to eat vegetables',
    'what are the rules of poker',
    'whats a good gift for my dad who likes fishing',
    'how do I knit a scarf',
    'when does the farmers market open on saturday',
    'what is the best way to learn spanish',
    'how many bones are in the human body',
    'can you recommend a cheap hotel in rome',
    'why is the sky blue',
    'what should I name my band',
  ],
  es: [
    'cuantos gramos tiene una taza de harina',
    'va a llover este fin de semana',
    'que hago de cenar con pollo y arroz',
    'quien gano el partido de futbol anoche',
    'recomiendame una buena pelicula',
    'como se hace una tortilla de patatas',
    'cual es la capital de australia',
    'mi perro comio chocolate, que hago',
    'cuantos años tiene el universo',
    'como quito una mancha de vino del sofa',
    'que le regalo a mi hermana por su cumpleaños',
    'cuentame un chiste',
    'como aprendo a tocar la guitarra',
    'a que hora se pone el sol hoy',
    'quien pinto la mona lisa',
    'como cuido una planta de albahaca',
    'que significa la palabra efimero',
    'donde puedo ver la nueva pelicula de superheroes',
    'los vecinos tienen una fiesta muy ruidosa',
    'cual es el animal mas rapido del mundo',
  ],
};

/**
 * Everyday messages about something else that share one word with a topic, like a contact's message that only
 * brushes against the business: `{}` is one of the knowledge base's own words, a telling one from a heading.
 */
export const BRUSHING_MESSAGES: Record<StemmingLanguage, string[]> = {
  en: [
    'my neighbor keeps talking about {} what is that',
    'is {} bad for my dog',
    'who invented {}',
    'my kid has a school project on {} any ideas',
    'any good songs about {}',
    'how do you say {} in french',
    'is there a {} at the airport',
    'funny jokes about {} please',
    'what is the history of {}',
    'my friend says {} is overrated at the stadium',
  ],
  es: [
    'mi vecino habla de {} en cada parrillada, que es eso',
    'quien invento {} y en que siglo',
    'hay alguna cancion de rock sobre {} de los ochenta',
    'como se dice {} en ingles y en aleman',
    'chistes sobre {} para la fiesta de mi abuelo',
  ],
};

/** What the threshold aims at: at most this share of a knowledge base's own questions answered with a wrong topic. */
const WRONG_RATE = 0.03;
/** And at most this share of unrelated messages answered at all. */
const UNRELATED_ANSWERED_RATE = 0.1;

/** The range a threshold is searched in, in hundredths: an answer always covers more than half the question. */
const LOWEST_THRESHOLD = 51;
const HIGHEST_THRESHOLD = 90;

/**
 * Whether a confidence answers whatever the calibrated threshold: no below its range, yes at its top; undefined
 * in between, where the threshold decides. Most questions fall outside it, so calibrating can wait for one that
 * does not.
 */
export function answersAnyway(confidence: number): boolean | undefined {
  if (confidence < LOWEST_THRESHOLD / 100) return false;
  return confidence >= HIGHEST_THRESHOLD / 100 ? true : undefined;
}

/**
 * The lowest confidence threshold at which the knowledge base's own pseudo-questions get a wrong topic at most
 * WRONG_RATE of the time and the unrelated messages get one at most UNRELATED_ANSWERED_RATE of the time: the more
 * it answers, the more it answers right, as long as wrong answers stay rare.
 */
export function calibratedThreshold(own: CalibrationSample[], unrelated: CalibrationSample[]): number {
  for (let hundredths = LOWEST_THRESHOLD; hundredths < HIGHEST_THRESHOLD; hundredths += 1) {
    const threshold = hundredths / 100;
    const wrong = own.filter((sample) => !sample.right && sample.confidence >= threshold).length;
    const answered = unrelated.filter((sample) => sample.confidence >= threshold).length;
    if (wrong <= WRONG_RATE * own.length && answered <= UNRELATED_ANSWERED_RATE * unrelated.length) {
      return threshold;
    }
  }
  return HIGHEST_THRESHOLD / 100;
}
