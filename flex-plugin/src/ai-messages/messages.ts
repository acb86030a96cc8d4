/**
 * Which messages of a handoff's conversation the AI wrote. The functions post the handoff note, the transcript
 * and condensed "earlier messages" blocks with a `handoff` marker in each message's attributes
 * (assets/handoff-messages.private.ts); the note and the condensed blocks are always authored under the AI's
 * configured name, a transcript post under the contact's number, the AI's name, or a rep's name (a reply from
 * an earlier handoff of the session). So the AI's name is learned from the note, never guessed.
 */

export type PostKind = 'handoff_note' | 'transcript' | 'earlier_messages';

/** What the Conversations SDK's Message offers: its author and its attributes (an object, or JSON text). */
export interface ThreadMessage {
  author?: string | null;
  attributes?: unknown;
}

const KINDS: readonly string[] = ['handoff_note', 'transcript', 'earlier_messages'];

function attributesOf(message: ThreadMessage): unknown {
  if (typeof message.attributes !== 'string') return message.attributes;
  try {
    return JSON.parse(message.attributes);
  } catch {
    return undefined;
  }
}

/** The kind of handoff post a message is, or undefined for anything else (a rep's reply, a new text). */
export function postKind(message: ThreadMessage): PostKind | undefined {
  const attributes = attributesOf(message);
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const marker = (attributes as { handoff?: unknown }).handoff;
  const kind = typeof marker === 'object' && marker !== null ? (marker as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && KINDS.includes(kind) ? (kind as PostKind) : undefined;
}

/** Posts only the AI authors. */
function alwaysTheAi(kind: PostKind | undefined): boolean {
  return kind === 'handoff_note' || kind === 'earlier_messages';
}

/** The AI's name in a conversation: the author of its note or of a condensed block among `messages`. */
export function aiNameAmong(messages: readonly ThreadMessage[]): string | undefined {
  return messages.find((message) => alwaysTheAi(postKind(message)) && message.author)?.author ?? undefined;
}

/** Whether the AI wrote a message, given its name in this conversation (undefined while not known). */
export function isAiMessage(message: ThreadMessage, aiName: string | undefined): boolean {
  const kind = postKind(message);
  if (alwaysTheAi(kind)) return true;
  return kind === 'transcript' && aiName !== undefined && message.author === aiName;
}
