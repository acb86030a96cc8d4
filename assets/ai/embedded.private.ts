/**
 * The default AI engine: offline and deterministic. It answers from the knowledge base when it is confident,
 * greets and thanks, and hands the contact to a person when they ask, when a forbidden topic comes up, when
 * they are frustrated, or when it failed to answer twice in a row (in that order of precedence).
 */
import type { AiEngine, EngineOptions, EngineTurn, EngineTurnInput, HandoffDecision } from './engine.private';
import type { MediaItem } from '../session/model.private';
import type * as Intents from './intents.private';
import type * as Search from './knowledge/search.private';
import type * as Language from './language.private';
import type * as Replies from './replies.private';
import type * as Sentiment from './sentiment.private';
import type * as Summary from './summary.private';
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { detectIntent } = load<typeof Intents>('/ai/intents.js');
const { getKnowledgeIndex } = load<typeof Search>('/ai/knowledge/search.js');
const { detectLanguage, languageName } = load<typeof Language>('/ai/language.js');
const { repliesIn } = load<typeof Replies>('/ai/replies.js');
const { moodOf, isFrustrated, toneOf } = load<typeof Sentiment>('/ai/sentiment.js');
const { summarize } = load<typeof Summary>('/ai/summary.js');
const { isStopWord, normalize, phrasePattern, truncate, words } = load<typeof Text>('/ai/text.js');

/** The most an SMS reply may be: Twilio's limit for one message body. */
const MAX_REPLY_LENGTH = 1600;

interface ContactMessage {
  body: string;
  at?: string;
  media: MediaItem[];
}

type ReadMessage = Summary.ReadMessage & { mood: Sentiment.Mood };

export function createEmbeddedEngine(options: EngineOptions): AiEngine {
  const forbiddenTopics = options.forbiddenTopics
    .filter((topic) => words(topic).length > 0)
    .map((topic) => ({ topic, pattern: phrasePattern(topic) }));
  // "Hi Acme!" is a greeting and "Acme hours?" a question about hours: the company's own name is no topic.
  const ownNames = [...new Set(words(`${options.companyName} ${options.agentName}`))]
    .filter((word) => word.length > 2 && !isStopWord(word))
    .map(phrasePattern);

  /** Reads one of the contact's messages: what it asks, how it sounds, what the knowledge base answers. */
  function read(message: ContactMessage, language: string, previous: ReadMessage | undefined): ReadMessage {
    const text = ownNames.reduce((rest, name) => rest.replace(name, ' '), message.body);
    const intent = detectIntent(text);
    const forbiddenTopic = forbiddenTopics.find(({ pattern }) => normalize(message.body).search(pattern) >= 0)?.topic;
    const mood = moodOf(message.body, language);
    const frustrated = isFrustrated(mood, previous?.mood);
    // Only a plain question is looked up; the rest goes to a greeting, thanks or a person.
    const isQuestion = !intent && !forbiddenTopic && !frustrated;
    const search = isQuestion ? getKnowledgeIndex(options.knowledgeBase).search(text) : undefined;
    return { ...message, intent, forbiddenTopic, mood, frustrated, search };
  }

  return {
    async respond(input: EngineTurnInput): Promise<EngineTurn> {
      const contactMessages: ContactMessage[] = input.history
        .filter((entry) => entry.author === 'contact')
        .map(({ body, at, media }): ContactMessage => ({ body, at, media: media ?? [] }))
        .concat(input.message);
      const language = detectLanguage(contactMessages.map((message) => message.body));
      const readMessages: ReadMessage[] = [];
      for (const message of contactMessages) readMessages.push(read(message, language, readMessages.at(-1)));
      const latest = readMessages[readMessages.length - 1];
      const handoff = handoffFor(readMessages, input.failedAnswers);
      const tone = latest.frustrated ? 'negative' : toneOf(readMessages.map((message) => message.mood));
      const answered = handoff ? handoff.reason !== 'ai_unable' : !isFailedAnswer(latest);
      return {
        reply: truncate(replyTo(latest, handoff, language), MAX_REPLY_LENGTH),
        answered,
        ...(!answered && { nearestTopic: nearestTopicOf(latest) }),
        ...(handoff && { handoff }),
        sentiment: tone,
        language,
        summary: summarize({
          messages: readMessages,
          language,
          tone,
          teamReplies: input.history.filter((entry) => entry.author === 'agent').length,
        }),
      };
    },
  };

  function replyTo(message: ReadMessage, handoff: HandoffDecision | undefined, language: string): string {
    const replies = repliesIn(language);
    if (handoff) return replies.handoff[handoff.reason];
    const answer = message.search?.topic?.answer;
    if (message.media.length > 0) return answer ? `${replies.attachment}\n\n${answer}` : replies.attachment;
    if (message.intent === 'greeting') return replies.greeting(options);
    if (message.intent === 'thanks') return replies.thanks;
    if (answer) return answer;
    return isFailedAnswer(message) ? replies.notSure : replies.prompt;
  }
}

/** A question the knowledge base could not answer. An attachment is for a person to open, not a failure. */
function isFailedAnswer(message: ReadMessage): boolean {
  return message.media.length === 0 && !message.search?.topic && (message.search?.keywords.length ?? 0) > 0;
}

/** The topic nearest an unanswered question, with the confidence it fell short by; null when none shares a word. */
function nearestTopicOf(message: ReadMessage): EngineTurn['nearestTopic'] {
  const nearest = message.search?.nearest;
  return nearest ? { heading: nearest.heading, score: message.search!.confidence } : null;
}

/** Words quoted from an unanswered question in a handoff's phrase. */
const TOPIC_WORDS = 3;

/**
 * The handoff the latest message calls for, with a phrase that tells the rep what happened, e.g. "Asked for a
 * person after 2 unanswered questions about warranty".
 */
function handoffFor(messages: ReadMessage[], failedAnswers: number): HandoffDecision | undefined {
  const message = messages[messages.length - 1];
  const failed = failedAnswers + (isFailedAnswer(message) ? 1 : 0);
  const lastFailed = [...messages].reverse().find(isFailedAnswer);
  const topic = lastFailed?.search?.keywords.slice(0, TOPIC_WORDS).join(' ');
  const questions = `${failed} unanswered question${failed === 1 ? '' : 's'}${topic ? ` about ${topic}` : ''}`;
  const afterFailures = failed > 0 ? ` after ${questions}` : '';
  if (message.intent === 'person_request') {
    return { reason: 'contact_requested', phrase: `Asked for a person${afterFailures}` };
  }
  if (message.forbiddenTopic)
    return { reason: 'forbidden_topic', phrase: `Forbidden topic: ${message.forbiddenTopic}` };
  if (message.frustrated) return { reason: 'frustrated', phrase: `Frustrated${afterFailures || ' with the answers'}` };
  if (failedAnswers >= 1 && isFailedAnswer(message))
    return { reason: 'ai_unable', phrase: `AI could not answer ${questions}` };
  // Rephrasing cannot help a question in a language the knowledge base has no topic in: a person takes it now.
  const language = isFailedAnswer(message) ? message.search?.languageWithoutTopics : undefined;
  if (language) {
    return { reason: 'ai_unable', phrase: `AI could not answer ${questions}: no topic in ${languageName(language)}` };
  }
  return undefined;
}
