/**
 * What a message is, beyond a question: a request for a person, a greeting or thanks, in English or Spanish.
 * Greetings and thanks count only when the message is nothing else, so "hi, where is my order?" is a question.
 */
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { words, isStopWord } = load<typeof Text>('/ai/text.js');

export type Intent = 'person_request' | 'greeting' | 'thanks';

const wordSet = (list: string) => new Set(list.trim().split(/\s+/));

/** Who the contact may ask for. */
const PEOPLE = wordSet(`human humans person people agent agents representative rep operator manager supervisor
  staff humano humana persona personas agente agentes asesor asesora representante operador operadora gerente
  encargado encargada supervisora`);
/** Counts only after a request verb ("talk to someone"), never alone ("someone stole my package"). */
const SOMEONE = wordSet('someone somebody anyone anybody alguien');
/** "customer service" (or support, care) is asked for like a person. */
const CUSTOMER_SERVICE = wordSet('service support care');

/** Verbs that, shortly before a person word, make a request: "can I talk to a human", "quiero hablar con...". */
const REQUEST_VERBS = wordSet(`talk speak chat connect transfer put get give want need reach call contact hablar
  comunicarme comunicar contactar pasar pasame pasarme transferir transfiereme conectar conectarme atender atienda
  quiero necesito busco`);
/** How many words may stand between the verb and the person: "talk to a real human" is four. */
const REQUEST_REACH = 4;
/** A negation up to this many words before the verb cancels it: "I don't want to talk to a human". */
const NEGATION_REACH = 3;
const NEGATIONS = wordSet('not dont no never nunca');
/** Words that may surround a bare request without making it something else: "a real person please". */
const REQUEST_FILLER = wordSet('real live actual actually just only now asap pls plz por favor de verdad ser');

const GREETINGS = wordSet(`hi hello hey heya hiya howdy yo greetings morning afternoon evening hola buenos buenas
  dias tardes noches saludos tal`);
const THANKS = wordSet('thanks thank thx ty tks cheers appreciate appreciated gracias agradezco agradecida agradecido');
/** Words that may come with thanks or a greeting without making a question: "ok great, thanks so much!" */
const PLEASANTRIES = wordSet(`ok okay good great perfect awesome cool nice lovely fine got it thats all everyone
  team guys folks there so much very perfecto genial vale excelente bien muy muchas mil`);

export function detectIntent(message: string): Intent | undefined {
  if (isPersonRequest(message)) return 'person_request';
  const tokens = words(message);
  const onlyPleasantries = tokens.every(
    (word) => THANKS.has(word) || GREETINGS.has(word) || PLEASANTRIES.has(word) || isStopWord(word),
  );
  if (!onlyPleasantries) return undefined;
  if (tokens.some((word) => THANKS.has(word))) return 'thanks';
  if (tokens.some((word) => GREETINGS.has(word))) return 'greeting';
  return undefined;
}

/** "agent", "real person please", "can I talk to a human", "quiero hablar con una persona", "necesito un asesor". */
function isPersonRequest(message: string): boolean {
  // Clause by clause, so the "no" of "No, I want a person" does not negate the request.
  const clauses = message.split(/[,.;:!?¿¡\n]+/).map((clause) => withCustomerServiceAsAgent(words(clause)));
  return isBareRequest(clauses.flat()) || clauses.some((clause) => clause.some((_, at) => isRequestAt(clause, at)));
}

/** A message of nothing but a person word and filler: "AGENT", "representative please", "un agente por favor". */
function isBareRequest(tokens: string[]): boolean {
  return (
    tokens.some((word) => PEOPLE.has(word)) &&
    !tokens.some((word) => NEGATIONS.has(word)) &&
    tokens.every((word) => PEOPLE.has(word) || REQUEST_FILLER.has(word) || REQUEST_VERBS.has(word) || isStopWord(word))
  );
}

/** A request verb at `at`, not negated, with a person word shortly after it. */
function isRequestAt(clause: string[], at: number): boolean {
  if (!REQUEST_VERBS.has(clause[at])) return false;
  if (clause.slice(Math.max(0, at - NEGATION_REACH), at).some((word) => NEGATIONS.has(word))) return false;
  return clause.slice(at + 1, at + 1 + REQUEST_REACH).some((word) => PEOPLE.has(word) || SOMEONE.has(word));
}

function withCustomerServiceAsAgent(tokens: string[]): string[] {
  return tokens.flatMap((word, index) => {
    if (word === 'customer' && CUSTOMER_SERVICE.has(tokens[index + 1])) return ['agent'];
    return CUSTOMER_SERVICE.has(word) && tokens[index - 1] === 'customer' ? [] : [word];
  });
}
