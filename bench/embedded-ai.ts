/**
 * How fast the embedded AI engine answers: a generated 500-topic knowledge base, one cold start (the first
 * reply, index build included), then a few hundred varied messages, each with a short conversation behind it.
 */
import '../scripts/runtime-assets';
import { performance } from 'node:perf_hooks';
import type { TranscriptEntry } from '../assets/session/model.private';
import { createEmbeddedEngine } from '../assets/ai/embedded.private';

export interface EmbeddedAiMeasurement {
  topics: number;
  messages: number;
  coldStartMs: number;
  perMessageMs: { p50: number; p95: number; mean: number };
}

/** Timed after the cold start, which has its own message. */
const MESSAGES = 400;
/** Contact messages (each with the AI's reply) kept as the history of the next one. */
const HISTORY_TURNS = 2;

const PRODUCTS = [
  'tent',
  'sleeping bag',
  'hiking boot',
  'rain jacket',
  'backpack',
  'trekking pole',
  'camp stove',
  'water filter',
  'headlamp',
  'kayak',
  'paddle board',
  'bike helmet',
  'climbing harness',
  'ski goggle',
  'snowshoe',
  'fleece jacket',
  'base layer',
  'wool sock',
  'trail running shoe',
  'hammock',
  'cooler',
  'camp chair',
  'binocular',
  'GPS watch',
  'dog harness',
];

/** Topic templates: `{P}`/`{p}` is the product, `{n}` and `{m}` numbers that vary from product to product. */
const ASPECTS: Array<{ heading: string; answer: string; question: string }> = [
  {
    heading: '{P} sizing guide',
    answer: 'Our {p}s run true to size. Use the size chart on the product page; between sizes, pick the larger one.',
    question: 'what size {p} should I get',
  },
  {
    heading: 'Cleaning your {p}',
    answer:
      'Clean your {p} with lukewarm water and mild soap, then air dry away from direct heat. ' +
      'Never machine dry it.',
    question: 'how do I clean my {p}',
  },
  {
    heading: '{P} warranty',
    answer: 'Every Acme {p} has a {n}-year warranty against manufacturing defects. Wear and tear is not covered.',
    question: 'is there a warranty on the {p}',
  },
  {
    heading: 'Returning a {p}',
    answer: 'Unused {p}s can be returned within {m} days with the original packaging for a full refund.',
    question: 'can I return a {p} I bought',
  },
  {
    heading: '{P} repairs',
    answer: 'We repair {p}s at our service center in about {n} weeks. Send it in with a note describing the problem.',
    question: 'can you repair my {p}',
  },
  {
    heading: '{P} restocks',
    answer: 'Popular {p} sizes restock every {n} weeks. Tap Notify me on the product page to get an email.',
    question: 'when is the {p} back in stock',
  },
  {
    heading: '{P} materials',
    answer: 'Our {p}s use recycled materials and PFC-free coatings, tested for {m} hours of outdoor use.',
    question: 'what material is the {p} made of',
  },
  {
    heading: '{P} weight',
    answer: 'Our lightest {p} weighs {m}0 grams and packs down to the size of a water bottle.',
    question: 'how heavy is the {p}',
  },
  {
    heading: 'Renting a {p}',
    answer: 'Rent a {p} from ${n}0 per weekend at any Acme store. Reserve online up to {m} days ahead.',
    question: 'can I rent a {p}',
  },
  {
    heading: '{P} trade-in',
    answer: 'Trade in a used {p} in good condition for store credit of up to ${m}. Bring it to any store.',
    question: 'can I trade in my old {p}',
  },
  {
    heading: '{P} recall notice',
    answer: 'There are no open recalls on Acme {p}s. We email owners within {n} days if a recall is issued.',
    question: 'is there a recall on the {p}',
  },
  {
    heading: 'Setting up your {p}',
    answer: 'Most {p}s set up in under {n} minutes. A printed guide and a video link come in the box.',
    question: 'how do I set up my {p}',
  },
  {
    heading: '{P} spare parts',
    answer: 'Spare parts for the {p} are sold at acmeoutfitters.example/parts and ship within {n} business days.',
    question: 'do you sell spare parts for the {p}',
  },
  {
    heading: 'Choosing a {p}',
    answer: 'Pick a {p} by trip length and season. Our staff can help you compare {n} popular models in store.',
    question: 'which {p} is best for me',
  },
  {
    heading: '{P} for kids',
    answer: 'Kids {p}s come in {n} sizes and are covered by our grow-with-me exchange within {m} days.',
    question: 'do you have a {p} for kids',
  },
  {
    heading: '{P} price match',
    answer: 'We match the price of an identical {p} from major retailers within {m} days of purchase.',
    question: 'will you price match a {p}',
  },
  {
    heading: '{P} bundles',
    answer: 'Save {n}0% when you buy a {p} as part of a bundle. Bundles are listed on the product page.',
    question: 'is there a bundle deal with the {p}',
  },
  {
    heading: '{P} demo days',
    answer: 'Try a {p} for free at our demo days, held every {n} weeks in Denver, Portland and Seattle stores.',
    question: 'when are the {p} demo days',
  },
  {
    heading: 'Storing your {p}',
    answer: 'Store your {p} clean and dry in a cool place, loosely packed, and check it every {m} days in winter.',
    question: 'how should I store my {p}',
  },
  {
    heading: '{P} accessories',
    answer: 'Accessories for the {p} include carry bags, repair kits and {n} color options of straps.',
    question: 'what accessories fit the {p}',
  },
];

const GREETINGS = ['hi', 'Hello!', 'good morning', 'hey there', 'hola', 'buenos días'];
const THANKS = ['thanks!', 'thank you so much', 'ok great, thanks', 'gracias', 'muchas gracias'];
const PERSON_REQUESTS = [
  'can I talk to a human',
  'real person please',
  'AGENT',
  'let me talk to a manager',
  'speak to someone',
  'quiero hablar con una persona',
  'un agente por favor',
  'necesito un asesor',
];
const FRUSTRATED = [
  'this is ridiculous',
  'WHERE IS MY ORDER!!!',
  'I am so angry, this is the worst service ever',
  'this is useless, you are not helping',
  'esto es una mierda',
  'estoy muy enojado con ustedes',
];
const SPANISH = [
  '¿Dónde está mi pedido?',
  'quiero un reembolso',
  '¿cuál es su horario?',
  '¿tienen tiendas en Denver?',
  '¿cuánto cuesta el envío?',
  'me cobraron dos veces',
];

/** A deterministic pseudo-random sequence (mulberry32), so every run measures the same work. */
export function randomSequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fill(template: string, product: string, random: () => number): string {
  return template
    .replace(/\{P\}/g, product.charAt(0).toUpperCase() + product.slice(1))
    .replace(/\{p\}/g, product)
    .replace(/\{n\}/g, String(2 + Math.floor(random() * 8)))
    .replace(/\{m\}/g, String(10 + Math.floor(random() * 80)));
}

/** Every product with every aspect: 25 × 20 = 500 topics. */
export function generateKnowledgeBase(random = randomSequence(1)): { markdown: string; topics: number } {
  const sections = PRODUCTS.flatMap((product) =>
    ASPECTS.map(({ heading, answer }) => `## ${fill(heading, product, random)}\n${fill(answer, product, random)}\n`),
  );
  return { markdown: `# Acme Outfitters gear help\n\n${sections.join('\n')}`, topics: sections.length };
}

/** Mostly questions about the topics, then the rest of what contacts send, in a fixed shuffled order. */
export function generateMessages(count: number, random = randomSequence(2)): string[] {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const letters = [...'asdfghjklqwertyuiopzxcvbnm'];
  const gibberish = () => Array.from({ length: 3 + Math.floor(random() * 10) }, () => pick(letters)).join('');
  const kinds: Array<() => string> = [
    () => fill(pick(ASPECTS).question, pick(PRODUCTS), random),
    () => fill(pick(ASPECTS).question, pick(PRODUCTS), random),
    () => fill(pick(ASPECTS).question, pick(PRODUCTS), random),
    () => pick(GREETINGS),
    () => pick(THANKS),
    () => `${gibberish()} ${gibberish()}`,
    () => pick(SPANISH),
    () => pick(FRUSTRATED),
    () => pick(PERSON_REQUESTS),
  ];
  return Array.from({ length: count }, () => pick(kinds)());
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export async function measureEmbeddedAi(): Promise<EmbeddedAiMeasurement> {
  const knowledgeBase = generateKnowledgeBase();
  const messages = generateMessages(MESSAGES + 1);
  const history: TranscriptEntry[] = [];
  let failedAnswers = 0;

  const startedAt = performance.now();
  const engine = createEmbeddedEngine({
    knowledgeBase: knowledgeBase.markdown,
    forbiddenTopics: ['lawsuit', 'legal action'],
    agentName: 'Ava',
    companyName: 'Acme Outfitters',
  });
  const durations: number[] = [];
  for (const [index, body] of messages.entries()) {
    const turnStartedAt = performance.now();
    const turn = await engine.respond({
      message: { body, media: [] },
      history: history.slice(-HISTORY_TURNS * 2),
      failedAnswers,
      customData: {},
    });
    durations.push(performance.now() - (index === 0 ? startedAt : turnStartedAt));

    const at = new Date(Date.UTC(2025, 0, 6, 14, 0, index * 30)).toISOString();
    history.push(
      { id: `SM${index}`, author: 'contact', body, at },
      { id: `SM${index}:reply`, author: 'ai', body: turn.reply, at },
    );
    failedAnswers = turn.answered ? 0 : failedAnswers + 1;
  }

  const [coldStartMs, ...warm] = durations;
  const sorted = [...warm].sort((a, b) => a - b);
  return {
    topics: knowledgeBase.topics,
    messages: warm.length,
    coldStartMs: round(coldStartMs),
    perMessageMs: {
      p50: round(percentile(sorted, 0.5)),
      p95: round(percentile(sorted, 0.95)),
      mean: round(warm.reduce((sum, ms) => sum + ms, 0) / warm.length),
    },
  };
}
