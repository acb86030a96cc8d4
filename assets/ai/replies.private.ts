/**
 * The embedded engine's own words, in English and Spanish; any other language gets English. Handoff replies
 * say a person will take over, never when.
 */
import type { HandoffReason } from '../session/model.private';

export interface Persona {
  agentName: string;
  companyName: string;
}

export interface Replies {
  greeting(persona: Persona): string;
  thanks: string;
  /** For a message with nothing to answer: "ok", "?" */
  prompt: string;
  notSure: string;
  attachment: string;
  handoff: Record<HandoffReason, string>;
  /** When the handoff could not be completed: it resumes on the next text, or it is undone. */
  handoffFailed: { retry_later: string; abandoned: string };
}

const ENGLISH: Replies = {
  greeting: ({ agentName, companyName }) => {
    const role = companyName ? `the ${companyName} assistant` : 'the virtual assistant';
    const me = agentName ? `${agentName}, ${role}` : role;
    return `Hi! I'm ${me}. How can I help you today? Reply AGENT anytime to reach a person.`;
  },
  thanks: "You're welcome! Anything else I can help with?",
  prompt: 'Got it. What can I help you with? Reply AGENT anytime to reach a person.',
  notSure:
    "I'm not sure about that, and I don't have that information. " +
    'Could you rephrase your question? Or reply AGENT to reach a person.',
  attachment:
    "I can't open pictures or attachments, but a person on our team can. Reply AGENT and one will take a look.",
  handoff: {
    contact_requested: "Sure! I'm passing you to a person from our team, who will take over this conversation shortly.",
    forbidden_topic: 'That is one for our team: a person will take over this conversation shortly.',
    frustrated: "I'm sorry for the trouble. A person from our team will take over this conversation shortly.",
    ai_unable: "I'm sorry I couldn't help with that. A person from our team will take over this conversation shortly.",
    api: 'A person from our team will take over this conversation shortly.',
  },
  handoffFailed: {
    retry_later: 'Sorry, I could not reach our team just now. Reply to this message and I will try again.',
    abandoned: 'Sorry, I cannot connect you with a person right now. I am still here to help: ask me anything.',
  },
};

const SPANISH: Replies = {
  greeting: ({ agentName, companyName }) => {
    const role = companyName ? `el asistente virtual de ${companyName}` : 'el asistente virtual';
    const me = agentName ? `${agentName}, ${role}` : role;
    return `¡Hola! Soy ${me}. ¿En qué puedo ayudarte? Responde AGENTE cuando quieras hablar con una persona.`;
  },
  thanks: '¡De nada! ¿Hay algo más en lo que pueda ayudarte?',
  prompt: 'Entendido. ¿En qué puedo ayudarte? Responde AGENTE cuando quieras hablar con una persona.',
  notSure:
    'No estoy seguro y no tengo esa información. ' +
    '¿Puedes reformular tu pregunta? O responde AGENTE para hablar con una persona.',
  attachment:
    'No puedo abrir fotos ni archivos adjuntos, pero una persona de nuestro equipo sí. ' +
    'Responde AGENTE y alguien lo revisará.',
  handoff: {
    contact_requested: '¡Claro! Te paso con una persona de nuestro equipo, que continuará esta conversación en breve.',
    forbidden_topic: 'De eso se encarga nuestro equipo: una persona continuará esta conversación en breve.',
    frustrated: 'Lamento las molestias. Una persona de nuestro equipo continuará esta conversación en breve.',
    ai_unable:
      'Siento no haber podido ayudarte con eso. Una persona de nuestro equipo continuará esta conversación en breve.',
    api: 'Una persona de nuestro equipo continuará esta conversación en breve.',
  },
  handoffFailed: {
    retry_later:
      'Lo siento, no pude contactar a nuestro equipo ahora. Responde a este mensaje y lo intentaré de nuevo.',
    abandoned:
      'Lo siento, ahora no puedo conectarte con una persona. Sigo aquí para ayudarte: pregúntame lo que quieras.',
  },
};

/** By the primary language subtag, so `es-MX` reads Spanish. */
export function repliesIn(language: string): Replies {
  return language.split('-')[0] === 'es' ? SPANISH : ENGLISH;
}
