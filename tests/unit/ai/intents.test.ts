import { detectIntent } from '../../../assets/ai/intents.private';

describe('intents', () => {
  it.each(['hi', 'Hello!', 'good morning', 'hey there', 'hola', 'buenos días', 'Buenas tardes!'])(
    '%p is a greeting',
    (message) => expect(detectIntent(message)).toBe('greeting'),
  );

  it.each(['thanks', 'thank you so much!', 'ok great, thanks', 'that is all, thanks', 'gracias', 'muchas gracias!'])(
    '%p is thanks',
    (message) => expect(detectIntent(message)).toBe('thanks'),
  );

  it.each([
    'can I talk to a human',
    'real person please',
    'agent',
    'AGENT',
    'representative',
    'operator',
    'speak to someone',
    'let me talk to a manager',
    'connect me with customer service',
    'No, I want a person',
    'quiero hablar con una persona',
    'un agente por favor',
    'hablar con un humano',
    'necesito un asesor',
    'AGENTE',
    '¿Me pueden comunicar con alguien?',
  ])('%p asks for a person', (message) => expect(detectIntent(message)).toBe('person_request'));

  it.each([
    'hi, where is my order?',
    'thanks, but when do you open?',
    "I don't want to talk to a human, just tell me the hours",
    'no quiero hablar con un agente',
    'Is a person available on weekends?',
    'the delivery person left it at the wrong door',
    'someone stole my package',
    'ok',
    '',
  ])('%p is none of these', (message) => expect(detectIntent(message)).toBeUndefined());
});
