/**
 * What the rep reads at the top of the Flex conversation: the handoff note, then the transcript in its
 * original order. Long transcripts condense their oldest turns into "earlier messages" blocks so the whole
 * handoff fits in Twilio Functions' 10 s; messages with media are always posted on their own, so the rep sees
 * every attachment inline.
 */
import type { HandoffState, MediaItem, Session, TranscriptEntry } from '../session/model.private';
import type * as Language from '../ai/language.private';
import type * as Text from '../ai/text.private';
import type * as Attributes from './task-attributes.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { languageName } = load<typeof Language>('/ai/language.js');
const { truncate } = load<typeof Text>('/ai/text.js');
const { handoffReasonOf } = load<typeof Attributes>('/handoff/task-attributes.js');

/** Conversations' cap on one message body. */
const MAX_BODY = 1600;
/**
 * The newest entries posted one message each (ten exchanges); older text entries are condensed. Each post is a
 * Twilio call of the handoff, made one after another to keep the order.
 */
export const MAX_INDIVIDUAL_POSTS = 20;

export interface PostMarker {
  kind: 'handoff_note' | 'transcript' | 'earlier_messages';
  /** The transcript entries (session order, inclusive) the post carries; -1 for the note. */
  from: number;
  to: number;
  /** An entry with several attachments is posted as several messages: part `part` of `parts`. */
  part: number;
  parts: number;
}

export interface ConversationPost {
  author: string;
  body: string;
  /** The original time of the message; absent for the note and the condensed blocks (posted now). */
  at?: string;
  media?: MediaItem;
  marker: PostMarker;
}

function utc(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** The note a rep reads first: why, how the contact feels, in what language, and what happened so far. */
export function handoffNote(session: Session, handoff: HandoffState, messageCount: number): string {
  const header = [
    'HANDOFF FROM THE AI',
    `Reason: ${handoffReasonOf(handoff).phrase}`,
    `Sentiment: ${handoff.sentiment}`,
    `Language: ${languageName(handoff.language)} (${handoff.language})`,
    `Messages: ${messageCount}, session began ${utc(session.startedAt)}`,
    'Summary: ',
  ].join('\n');
  return header + truncate(handoff.summary || 'No summary.', MAX_BODY - header.length);
}

export interface PostOptions {
  /** The contact's E.164 number: the author of their messages, so Flex shows them as the customer's. */
  contact: string;
  agentName: string;
  maxIndividual?: number;
}

function authorOf(entry: TranscriptEntry, options: PostOptions): string {
  if (entry.author === 'contact') return options.contact;
  if (entry.author === 'ai') return options.agentName;
  return entry.name ?? 'Agent';
}

function speakerOf(entry: TranscriptEntry, options: PostOptions): string {
  if (entry.author === 'contact') return 'Contact';
  return authorOf(entry, options);
}

function entryPosts(entry: TranscriptEntry, index: number, options: PostOptions): ConversationPost[] {
  const media = entry.media ?? [];
  const parts = Math.max(1, media.length);
  return Array.from({ length: parts }, (_, part) => ({
    author: authorOf(entry, options),
    body: part === 0 ? truncate(entry.body, MAX_BODY) : '',
    at: entry.at,
    ...(media[part] ? { media: media[part] } : {}),
    marker: { kind: 'transcript' as const, from: index, to: index, part: part + 1, parts },
  }));
}

/** Condensed lines of text entries, split into blocks under the body cap. */
function earlierBlocks(entries: { entry: TranscriptEntry; index: number }[], options: PostOptions): ConversationPost[] {
  const title = 'Earlier messages:';
  const blocks: ConversationPost[] = [];
  let lines: string[] = [];
  let from = entries[0]?.index ?? 0;
  let to = from;
  const flush = () => {
    if (lines.length === 0) return;
    const marker = { kind: 'earlier_messages' as const, from, to, part: 1, parts: 1 };
    blocks.push({ author: options.agentName, body: [title, ...lines].join('\n'), marker });
    lines = [];
  };
  for (const { entry, index } of entries) {
    const time = new Date(entry.at).toISOString().slice(11, 16);
    const line = truncate(`[${time}] ${speakerOf(entry, options)}: ${entry.body}`, MAX_BODY - title.length - 1);
    if ([title, ...lines, line].join('\n').length > MAX_BODY) flush();
    if (lines.length === 0) from = index;
    lines.push(line);
    to = index;
  }
  flush();
  return blocks;
}

/**
 * The posts for transcript entries `start` onwards (`entries` is the whole transcript). Text entries older
 * than the newest `maxIndividual` are condensed; an entry with media always gets its own message(s).
 */
export function transcriptPosts(entries: TranscriptEntry[], start: number, options: PostOptions): ConversationPost[] {
  const condenseBefore = entries.length - (options.maxIndividual ?? MAX_INDIVIDUAL_POSTS);
  const posts: ConversationPost[] = [];
  let pending: { entry: TranscriptEntry; index: number }[] = [];
  for (let index = start; index < entries.length; index++) {
    const entry = entries[index];
    if (index < condenseBefore && !entry.media?.length) {
      pending.push({ entry, index });
      continue;
    }
    posts.push(...earlierBlocks(pending, options), ...entryPosts(entry, index, options));
    pending = [];
  }
  posts.push(...earlierBlocks(pending, options));
  return posts;
}

/**
 * What is left to post when some posts are already in the conversation (a handoff resumed after a failure):
 * the entries after the last one posted in full, and the missing parts of one posted in part.
 */
export function remainingTranscriptPosts(
  entries: TranscriptEntry[],
  posted: PostMarker[],
  options: PostOptions,
): ConversationPost[] {
  const last = posted
    .filter((marker) => marker.kind !== 'handoff_note')
    .reduce<PostMarker | undefined>(
      (latest, marker) =>
        !latest || marker.to > latest.to || (marker.to === latest.to && marker.part > latest.part) ? marker : latest,
      undefined,
    );
  if (!last) return transcriptPosts(entries, 0, options);
  const missingParts =
    last.part < last.parts
      ? entryPosts(entries[last.to], last.to, options).filter((post) => post.marker.part > last.part)
      : [];
  return [...missingParts, ...transcriptPosts(entries, last.to + 1, options)];
}
