/**
 * The conversation at a glance, for the rep who takes over: how much the contact wrote, since when, in which
 * language, what they asked and whether the AI answered, what they asked of the team, and their latest words.
 */
import type { MediaItem, Sentiment as Tone } from '../session/model.private';
import type { Intent } from './intents.private';
import type { KnowledgeSearch } from './knowledge/search.private';
import type * as Language from './language.private';
import type * as Text from './text.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { languageName } = load<typeof Language>('/ai/language.js');
const { truncate } = load<typeof Text>('/ai/text.js');

/** What the engine made of one of the contact's messages. */
export interface ReadMessage {
  body: string;
  /** ISO 8601; absent for the new message. */
  at?: string;
  media: MediaItem[];
  intent?: Intent;
  forbiddenTopic?: string;
  frustrated: boolean;
  /** The knowledge base's answer, when the message was looked up. */
  search?: KnowledgeSearch;
}

export interface Conversation {
  /** The contact's messages, oldest first, the new one last. */
  messages: ReadMessage[];
  language: string;
  tone: Tone;
  /** How many messages people from the team have sent. */
  teamReplies: number;
}

const MAX_LENGTH = 600;
const LATEST_MESSAGE_LENGTH = 140;
const KEYWORDS_QUOTED = 4;

/** Something the contact did, with what it was about; in a row, events of one kind merge into one sentence. */
interface Event {
  kind: 'answered' | 'unanswered' | 'asked_for_person' | 'frustrated' | 'thanked' | 'forbidden' | 'attachment';
  details: string[];
}

export function summarize(conversation: Conversation): string {
  const { messages, language, tone, teamReplies } = conversation;
  const latest = messages[messages.length - 1];
  const written = `${plural(messages.length, 'message')}${since(messages)}`;
  const opening = `The contact wrote ${written}, in ${languageName(language)}.`;
  const closing = [
    teamReplies > 0 ? `A person from the team has replied ${plural(teamReplies, 'time')}.` : '',
    `Tone: ${tone}.`,
    latest.body.trim() ? `Latest message: "${truncate(latest.body.trim(), LATEST_MESSAGE_LENGTH)}"` : '',
  ];
  const story = mergeRepeats(messages.flatMap(eventsOf)).map(
    (event, index) => `They ${index > 0 ? 'then ' : ''}${describe(event)}.`,
  );
  // When the story does not fit, the oldest part goes: the rep needs the latest most.
  let omitted = false;
  const render = () =>
    [opening, omitted ? 'Earlier messages left out.' : '', ...story, ...closing].filter(Boolean).join(' ');
  while (render().length > MAX_LENGTH && story.length > 1) {
    story.shift();
    omitted = true;
  }
  return truncate(render(), MAX_LENGTH);
}

/** " since 14:02 UTC", with the date when the conversation spans days; nothing without a valid time. */
function since(messages: ReadMessage[]): string {
  const times = messages
    .map((message) => new Date(message.at ?? Number.NaN))
    .filter((at) => !Number.isNaN(at.getTime()))
    .map((at) => at.toISOString());
  if (times.length === 0) return '';
  const [date, time] = times[0].slice(0, 16).split('T');
  const sameDay = times.every((at) => at.startsWith(date));
  return ` since ${sameDay ? '' : `${date} `}${time} UTC`;
}

function eventsOf(message: ReadMessage): Event[] {
  const events: Event[] = [];
  const add = (kind: Event['kind'], ...details: string[]) => events.push({ kind, details });
  if (message.media.length > 0) add('attachment', attachmentName(message.media));
  if (message.search?.topic) add('answered', topicName(message.search.topic.heading));
  else if (message.search?.keywords.length) {
    add('unanswered', `"${message.search.keywords.slice(0, KEYWORDS_QUOTED).join(' ')}"`);
  }
  if (message.forbiddenTopic) add('forbidden', message.forbiddenTopic);
  if (message.frustrated) add('frustrated');
  if (message.intent === 'person_request') add('asked_for_person');
  if (message.intent === 'thanks') add('thanked');
  return events;
}

function mergeRepeats(events: Event[]): Event[] {
  const merged: Event[] = [];
  for (const event of events) {
    const last = merged.at(-1);
    if (last?.kind === event.kind) last.details = [...new Set([...last.details, ...event.details])];
    else merged.push({ ...event });
  }
  return merged;
}

function describe({ kind, details }: Event): string {
  switch (kind) {
    case 'answered':
      return `asked about ${list(details)}; the AI answered ${['it', 'both'][details.length - 1] ?? 'all of them'}`;
    case 'unanswered':
      return `asked about ${list(details)}, which the AI could not answer`;
    case 'asked_for_person':
      return 'asked for a person';
    case 'frustrated':
      return 'sounded frustrated';
    case 'thanked':
      return 'thanked the AI';
    case 'forbidden':
      return `raised ${list(details)}, ${details.length > 1 ? 'topics' : 'a topic'} for the team`;
    case 'attachment':
      return `sent ${list(details)} the AI cannot open`;
  }
}

/** "Opening hours" reads "opening hours" mid-sentence; "Acme Rewards membership" and questions stay as written. */
function topicName(heading: string): string {
  if (heading.endsWith('?')) return `"${heading}"`;
  const [first, ...rest] = heading.split(' ');
  const sentenceCase = rest.every((word) => word === word.toLowerCase()) && /^\p{Lu}\p{Ll}*$/u.test(first);
  return sentenceCase ? heading.charAt(0).toLowerCase() + heading.slice(1) : heading;
}

function attachmentName(media: MediaItem[]): string {
  if (media.length > 1) return `${media.length} attachments`;
  const type = media[0].contentType.split('/')[0];
  return { image: 'a photo', video: 'a video', audio: 'an audio clip' }[type] ?? 'an attachment';
}

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
