/** The panel's words in the rep's language (Flex's locale), as the Handoff card's are: English or Spanish. */
import { resolveLocale } from '../handoff-card/strings';

export interface PanelStrings {
  title: string;
  forQuestion: string;
  loading: string;
  noSuggestion: string;
  draft: string;
  confident: string;
  insert: string;
  teachTitle: string;
  answered: string;
  topic: string;
  newTopic: string;
  draftAnswer: string;
  teach: string;
  taught: string;
  teachFailed: string;
}

const en: PanelStrings = {
  title: 'Suggested answers',
  forQuestion: 'For',
  loading: 'Looking in the knowledge base…',
  noSuggestion: 'No suggestion',
  draft: 'Drafted reply',
  confident: 'Best match',
  insert: 'Insert',
  teachTitle: 'Teach the AI',
  answered: 'This answered',
  topic: 'Topic',
  newTopic: 'New topic',
  draftAnswer: 'Draft answer (your reply)',
  teach: 'Suggest to the knowledge base',
  taught: 'Sent to the knowledge base author for review.',
  teachFailed: 'Could not send it; try again.',
};

const es: PanelStrings = {
  title: 'Respuestas sugeridas',
  forQuestion: 'Para',
  loading: 'Buscando en la base de conocimiento…',
  noSuggestion: 'Sin sugerencias',
  draft: 'Respuesta redactada',
  confident: 'Mejor coincidencia',
  insert: 'Insertar',
  teachTitle: 'Enseñar a la IA',
  answered: 'Esto respondió',
  topic: 'Tema',
  newTopic: 'Tema nuevo',
  draftAnswer: 'Respuesta propuesta (la tuya)',
  teach: 'Sugerir a la base de conocimiento',
  taught: 'Enviado a quien edita la base de conocimiento.',
  teachFailed: 'No se pudo enviar; inténtalo de nuevo.',
};

export function panelStringsFor(locale: string | undefined): PanelStrings {
  return resolveLocale(locale).split('-')[0].toLowerCase() === 'es' ? es : en;
}
