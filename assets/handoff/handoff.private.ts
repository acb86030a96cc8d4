/**
 * The handoff to Flex, in the order that keeps the contact's phone quiet: create the Conversation, post the
 * handoff note and the transcript, only then add the contact's SMS participant, then create the Flex
 * Interaction that makes the task. A lease on the session keeps two runs (two messages at once, /sms/inbound
 * racing /flex/handoff) from ever running at once. The session is written when the lease is taken (in the same
 * write that records the text or the request, where it can: the conversation's create, the transcript's read and
 * the attachments' copies run alongside that write), when the contact joins (the conversation, for the task's
 * events) and when the task exists, each time with the revision the run wrote last: one call. Nothing else is
 * recorded, because everything is found again: the conversation by its unique name, each post by its marker, the
 * participant in the conversation, the interaction by its task. So a run that fails at any call (or runs out of
 * the Function's 10 s) is resumed by the next message or retry, which reads back what is there.
 */
import type { ConversationPost, PostMarker } from './messages.private';
import type { Deps } from '../runtime/deps.private';
import type { HandoffState, MediaItem, Session, TranscriptEntry } from '../session/model.private';
import type { ContactChange, StoredContact } from '../session/store.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as Messages from './messages.private';
import type * as Attributes from './task-attributes.private';
import type * as SessionModule from '../session/model.private';
import type * as Replies from '../ai/replies.private';
import type * as Outcome from '../insights/outcome.private';
import type { HandoffRequest } from '../edge/handoff-request.private';
import type * as ConversationEvents from './conversation-events.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const {
  closeConversation,
  copyMediaToConversations,
  fetchConversation,
  handoffConversations,
  HANDOFF_WEBHOOK_FILTERS,
  isPermanentError,
  readTwilioError,
  retryOnServerError,
  writeConversationAttributes,
} = load<typeof Gateway>('/twilio/gateway.js');
const { handoffNote, remainingTranscriptPosts, transcriptPosts } = load<typeof Messages>('/handoff/messages.js');
const { handoffTaskAttributes } = load<typeof Attributes>('/handoff/task-attributes.js');
const { handoffEventsUrl } = load<typeof ConversationEvents>('/handoff/conversation-events.js');
const { claimHandoff, isSessionOpen, newLeaseOwner, startHandoff } = load<typeof SessionModule>('/session/model.js');
const { repliesIn } = load<typeof Replies>('/ai/replies.js');
const { recordTaskMilestone } = load<typeof Outcome>('/insights/outcome.js');

/** Stop starting new steps this long into an invocation, leaving time to answer inside the 10 s limit. */
export const HANDOFF_TIME_BUDGET_MS = 8_000;

const UNIQUE_NAME_TAKEN = 50353;
const BINDING_IN_USE = 50416;

export type HandoffOutcome =
  | { status: 'handed_off'; conversationSid: string; interactionSid: string }
  /** Another run holds the lease, or this one ran out of time: a later message or retry continues. */
  | { status: 'in_progress' }
  /** A step failed; the session is still pending and a later message or retry resumes it. */
  | { status: 'retry_later'; error: string }
  /** It cannot succeed (e.g. a foreign conversation holds the contact's number): the AI has the contact back. */
  | { status: 'abandoned'; error: string }
  | { status: 'not_pending' };

/** A failure no retry will fix: the handoff is undone. */
export class HandoffRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandoffRefused';
  }
}

class OutOfTime extends Error {}
class LeaseLost extends Error {}

function isPermanent(error: unknown): boolean {
  return error instanceof HandoffRefused || isPermanentError(error);
}

function conversationUniqueName(session: Session): string {
  return `handoff-${session.id}-${session.handoff?.attempt ?? 1}`;
}

/**
 * The lease a write took along with what it was there for (a text, a request): who holds it, and the contact as
 * that write left it, so the run's next write needs no read.
 */
export interface HandoffClaim {
  owner: string;
  stored: StoredContact;
  /** The handoff's first calls, started alongside the write that took the lease. */
  start?: HandoffStart;
}

/** The handoff's conversation as a run opens it: created now, or found (an earlier run of the attempt made it). */
interface OpenedConversation {
  sid: string;
  created: boolean;
}

/**
 * An outside system asks for a person: the open session becomes pending with its reason, and the custom data
 * joins the session's (also when a handoff is already under way, so it can still reach the task). The same
 * write takes the handoff's lease when it can: the claim to give `completeHandoff`.
 */
export async function requestHandoff(
  deps: Deps,
  request: HandoffRequest,
): Promise<{ status: 'requested'; claim?: HandoffClaim } | { status: 'no_session' }> {
  const owner = newLeaseOwner();
  let start: HandoffStart | undefined;
  const { result, stored } = await deps.store.updateKeeping<'claimed' | 'requested' | 'no_session'>(
    request.from,
    async ({ record }): Promise<ContactChange<'claimed' | 'requested' | 'no_session'>> => {
      const now = deps.now();
      const session = record.session;
      if (!isSessionOpen(session, now, deps.config.SESSION_IDLE_MINUTES, deps.config.CONVERSATION_CLOSED_TIMER))
        return { result: 'no_session' };
      const customData = { ...session.customData, ...request.customData };
      const grounds = {
        reason: 'api' as const,
        phrase: request.reason,
        summary:
          request.summary ?? (session.summary || `The contact sent ${session.messageCount} messages in this session.`),
        sentiment: request.sentiment ?? session.sentiment,
        language: request.language ?? session.language,
      };
      const next = {
        ...record,
        session:
          session.status === 'ai' ? startHandoff({ ...session, customData }, grounds, now) : { ...session, customData },
      };
      const claimed = claimHandoff(next, owner, now);
      return claimed ? { record: claimed, result: 'claimed' } : { record: next, result: 'requested' };
    },
    {
      // The handoff's first calls run while the write takes its lease.
      alongside: ({ record, result }) => {
        if (result === 'claimed') start ??= new HandoffStart(deps, request.from, record.session!);
      },
    },
  );
  const started = await start?.settle(result === 'claimed', stored);
  if (result === 'no_session') return { status: 'no_session' };
  return { status: 'requested', ...(result === 'claimed' && { claim: { owner, stored, start: started } }) };
}

/** The handoff's conversation: created, or the one an earlier run of the attempt created (its unique name says so). */
async function openHandoffConversation(deps: Deps, phone: string, session: Session): Promise<OpenedConversation> {
  const { config } = deps;
  const handoff = session.handoff!;
  const conversations = handoffConversations(deps);
  const uniqueName = conversationUniqueName(session);
  try {
    const conversation = await retryOnServerError(() =>
      conversations.create({
        uniqueName,
        friendlyName: phone,
        attributes: writeConversationAttributes({
          contact: phone,
          sessionId: session.id,
          attempt: handoff.attempt,
          scopedEvents: Boolean(config.DOMAIN_NAME),
        }),
        'timers.inactive': config.CONVERSATION_INACTIVE_TIMER,
        'timers.closed': config.CONVERSATION_CLOSED_TIMER,
      }),
    );
    return { sid: conversation.sid, created: true };
  } catch (error) {
    // An earlier run created it and failed before recording it.
    if (readTwilioError(error).code !== UNIQUE_NAME_TAKEN) throw error;
    return { sid: (await retryOnServerError(() => conversations(uniqueName).fetch())).sid, created: false };
  }
}

/** A run's copies of attachments to the Media Content Service, one per attachment. */
class MediaCopies {
  private readonly copies = new Map<string, Promise<string>>();

  constructor(private readonly deps: Deps) {}

  /** Copies an attachment, once: its ME… SID, when its post needs it. */
  copy(media: MediaItem): Promise<string> {
    let copy = this.copies.get(media.url);
    if (!copy) {
      copy = copyMediaToConversations(this.deps, media);
      // Awaited by its post; a failure before that (or of a copy a resumed run turns out not to need) must not
      // go unhandled.
      copy.catch(() => undefined);
      this.copies.set(media.url, copy);
    }
    return copy;
  }
}

/**
 * The first calls of a handoff: its conversation (the one recorded, else created, or found by its unique name),
 * its transcript's read, and a fresh handoff's attachments copied to the Media Content Service as soon as that is
 * read. A request starts them alongside the write that takes the lease, before that write is known to succeed.
 */
export class HandoffStart {
  readonly conversation: Promise<OpenedConversation>;
  readonly media: MediaCopies;
  private readonly uniqueName: string;
  private readonly transcript: Promise<TranscriptEntry[]>;

  constructor(
    private readonly deps: Deps,
    private readonly phone: string,
    private readonly session: Session,
  ) {
    this.uniqueName = conversationUniqueName(session);
    this.media = new MediaCopies(deps);
    const recorded = session.handoff!.conversationSid;
    this.conversation = recorded
      ? Promise.resolve({ sid: recorded, created: false })
      : openHandoffConversation(deps, phone, session);
    // A fresh handoff posts every attachment: their copies start as soon as the transcript is read.
    this.transcript = deps.store.transcript(phone, session).then((entries) => {
      if (!recorded) for (const media of entries.flatMap((entry) => entry.media ?? [])) void this.media.copy(media);
      return entries;
    });
    // Awaited by the run (or by `settle`); a failure meanwhile must not go unhandled.
    this.conversation.catch(() => undefined);
    this.transcript.catch(() => undefined);
  }

  /** Whether it was started for the handoff attempt `session` is in. */
  isFor(session: Session): boolean {
    return conversationUniqueName(session) === this.uniqueName;
  }

  /** The transcript of `session` (in the attempt it was started for): the one read, unless texts came since. */
  transcriptOf(session: Session): Promise<TranscriptEntry[]> {
    return session.messageCount === this.session.messageCount
      ? this.transcript
      : this.deps.store.transcript(this.phone, session);
  }

  /**
   * What becomes of it once the write that was to take the lease is done (`stored`): the run that took the lease
   * for its attempt goes on from it; a run of another request holding that lease finds its conversation by the
   * unique name; a conversation no handoff will use (the session closed, the contact opted out meanwhile) is
   * closed, so none is left empty. When the write fails it is left, since the write may have landed: the next
   * run finds it, or Twilio closes it by its timer.
   */
  async settle(claimed: boolean, stored: StoredContact): Promise<HandoffStart | undefined> {
    const session = stored.record.session;
    if (session?.status === 'handoff_pending' && this.isFor(session)) return claimed ? this : undefined;
    const opened = await this.conversation.catch(() => undefined);
    if (opened?.created) {
      await closeConversation(this.deps, opened.sid).catch((error: unknown) =>
        this.deps.logger.error('could not close a conversation no handoff uses', { error }),
      );
    }
    return undefined;
  }
}

/** What the contact is told when their handoff could not be completed, so they are never left waiting. */
export function handoffFailureText(outcome: 'retry_later' | 'abandoned', language: string): string {
  return repliesIn(language).handoffFailed[outcome];
}

/**
 * Runs (or resumes) the pending handoff of the contact's session until `deadline` (epoch ms: the invocation's
 * start plus the budget, so time the AI already spent counts), with the lease `claim` when the caller's write
 * took it already. Never throws for Twilio failures.
 */
export async function completeHandoff(
  deps: Deps,
  phone: string,
  deadline = Date.now() + HANDOFF_TIME_BUDGET_MS,
  claim?: HandoffClaim,
): Promise<HandoffOutcome> {
  const run = new HandoffRun(deps, phone, deadline, claim?.owner, 'handoff_pending', claim?.start);
  const claimed = claim ? run.adopt(claim.stored) : await run.claim();
  if (claimed !== 'claimed') return claimed;
  try {
    return await run.execute();
  } catch (error) {
    if (error instanceof LeaseLost) return { status: 'in_progress' };
    if (error instanceof OutOfTime) {
      // What is posted stays posted; the next message or retry carries on from there.
      await run.releaseLease();
      return { status: 'retry_later', error: 'The handoff ran out of time; the next message or retry continues it' };
    }
    const { message } = readTwilioError(error);
    if (isPermanent(error)) {
      deps.logger.error('handoff abandoned', { error });
      await run.abandon(message);
      return { status: 'abandoned', error: message };
    }
    deps.logger.warn('handoff step failed; the next message or retry resumes it', { error });
    await run.releaseLease();
    return { status: 'retry_later', error: message };
  }
}

/**
 * Posts the texts a handed-off session recorded that its conversation never captured (they reached Twilio
 * before the contact joined but were handled after the handoff ended), once each, under the handoff's lease.
 * Never throws: a text it could not post now is posted by the next one's check.
 */
export async function postLateTexts(
  deps: Deps,
  phone: string,
  deadline = Date.now() + HANDOFF_TIME_BUDGET_MS,
  claim?: HandoffClaim,
): Promise<void> {
  const run = new HandoffRun(deps, phone, deadline, claim?.owner, 'handed_off');
  try {
    if ((claim ? run.adopt(claim.stored) : await run.claim()) !== 'claimed') return;
    await run.postLateTexts();
  } catch (error) {
    deps.logger.warn('could not post texts the conversation missed; the next text retries', { error });
    await run.releaseLease();
  }
}

/** What the handoff's own posts among `messages` carry. */
function markersOf(messages: { attributes?: string | null }[]): PostMarker[] {
  return messages.flatMap((message) => {
    try {
      const marker = (JSON.parse(message.attributes ?? '{}') as { handoff?: PostMarker }).handoff;
      return marker ? [marker] : [];
    } catch {
      return [];
    }
  });
}

/** How many transcript entries the posts marked so carry: through the newest one posted in full. */
function postedThrough(markers: PostMarker[]): number {
  return markers.reduce(
    (count, marker) =>
      marker.kind !== 'handoff_note' && marker.part === marker.parts ? Math.max(count, marker.to + 1) : count,
    0,
  );
}

/** What a resumed run finds of earlier runs' work in the conversation. */
interface FoundProgress {
  markers: PostMarker[];
  participant?: { sid: string; addedAt: string };
}

class HandoffRun {
  private stored!: StoredContact;
  private sessionId!: string;
  private conversationSid?: string;
  /** Transcript entries (in session order) the conversation already has, posted or captured. */
  private posted = 0;
  private media: MediaCopies;

  constructor(
    private readonly deps: Deps,
    private readonly phone: string,
    private readonly deadline: number,
    private readonly owner: string = newLeaseOwner(),
    /** The status the run works in: a handoff under way, or a finished one whose late texts are posted. */
    private readonly status: 'handoff_pending' | 'handed_off' = 'handoff_pending',
    /** The first calls, when the request that took the lease started them. */
    private start?: HandoffStart,
  ) {
    this.media = new MediaCopies(deps);
  }

  private get session(): Session {
    return this.stored.record.session!;
  }

  private get handoff(): HandoffState {
    return this.session.handoff!;
  }

  private get conversations() {
    return handoffConversations(this.deps);
  }

  private checkTime(): void {
    if (Date.now() > this.deadline) throw new OutOfTime();
  }

  /** Takes the lease unless a live run holds it. */
  async claim(): Promise<'claimed' | HandoffOutcome> {
    const { result, stored } = await this.deps.store.updateKeeping<'claimed' | HandoffOutcome>(
      this.phone,
      async ({ record }) => {
        const session = record.session;
        const handoff = session?.handoff;
        if (this.status === 'handoff_pending' && session?.status === 'handed_off') {
          if (handoff?.conversationSid && handoff.interactionSid) {
            const { conversationSid, interactionSid } = handoff;
            return { result: { status: 'handed_off' as const, conversationSid, interactionSid } };
          }
        }
        if (session?.status !== this.status || !handoff) return { result: { status: 'not_pending' as const } };
        const claimed = claimHandoff(record, this.owner, this.deps.now(), this.status);
        if (!claimed) {
          return { result: this.status === 'handed_off' ? { status: 'not_pending' } : { status: 'in_progress' } };
        }
        return { record: claimed, result: 'claimed' as const };
      },
    );
    return result === 'claimed' ? this.adopt(stored) : result;
  }

  /** Goes on from the contact as the write that took the lease left it. */
  adopt(stored: StoredContact): 'claimed' {
    this.stored = stored;
    this.sessionId = this.session.id;
    return 'claimed';
  }

  /** Throws unless the session is still this run's to work on. */
  private assertStillOurs(): void {
    const session = this.stored.record.session;
    if (session?.id !== this.sessionId || session.handoff?.lease?.owner !== this.owner) throw new LeaseLost();
    // The contact opted out, or the task was canceled meanwhile: go no further, undo what was made.
    if (session.status !== this.status) throw new HandoffRefused('The session left the handoff while it ran');
  }

  /**
   * Writes on the session with the revision this run holds: one call. When another writer came first (a text
   * arrived), the session is read again, `beforeRetry` runs on it, and the write is tried again.
   */
  private async record(
    patch: Partial<HandoffState>,
    sessionPatch: Partial<Session> = {},
    beforeRetry: () => Promise<void> = async () => undefined,
  ): Promise<void> {
    const held = this.stored;
    const { stored } = await this.deps.store.updateKeeping(
      this.phone,
      async (current) => {
        this.stored = current;
        this.assertStillOurs();
        if (current !== held) await beforeRetry();
        const session = this.session;
        const updated: Session = { ...session, ...sessionPatch, handoff: { ...session.handoff!, ...patch } };
        return { record: { ...current.record, session: updated }, result: undefined };
      },
      { from: held },
    );
    this.stored = stored;
  }

  async releaseLease(): Promise<void> {
    await this.record({ lease: undefined }).catch(() => undefined);
  }

  /** Undoes what cannot succeed: the conversation closes, the session is the AI's again. */
  async abandon(error: string): Promise<void> {
    const conversationSid = this.conversationSid ?? this.handoff?.conversationSid;
    if (conversationSid) {
      await closeConversation(this.deps, conversationSid).catch((closeError: unknown) =>
        this.deps.logger.error('could not close conversation', { error: closeError }),
      );
    }
    // For insights, a handoff no rep could take: canceled, as TaskRouter's cancel is.
    const { outcome } = recordTaskMilestone(this.session, {
      kind: 'canceled',
      at: this.deps.now(),
      reason: 'abandoned',
    });
    await this.record({ lease: undefined }, { status: 'ai', failedAnswers: 0, outcome }).catch(() => undefined);
    this.deps.logger.warn('handoff undone; the AI answers again', { error });
  }

  async execute(): Promise<HandoffOutcome> {
    // The transcript (its older entries are Sync items) is read while the conversation is made, unless the
    // request that took the lease started both already.
    if (!this.start?.isFor(this.session)) this.start = new HandoffStart(this.deps, this.phone, this.session);
    this.media = this.start.media;
    const [transcript, conversation] = await Promise.all([
      this.start.transcriptOf(this.session),
      this.start.conversation,
    ]);
    const conversationSid = conversation.sid;
    this.conversationSid = conversationSid;
    // A run that did not create the conversation may follow one that failed after any of its calls.
    const found: FoundProgress = conversation.created ? { markers: [] } : await this.findProgress(conversationSid);
    const webhook = this.handoff.webhookSid
      ? Promise.resolve(this.handoff.webhookSid)
      : this.attachEventsWebhook(conversationSid, conversation.created);
    // Awaited below; a failure meanwhile must not go unhandled.
    webhook.catch(() => undefined);

    let participant = found.participant;
    if (participant) {
      // The contact is in: the conversation captures their texts itself, nothing is replayed.
      this.posted = this.handoff.postedEntries ?? postedThrough(found.markers);
    } else {
      await this.postTranscript(conversationSid, transcript, found.markers);
      this.checkTime();
      const addedAt = this.deps.now().toISOString();
      participant = { sid: await this.addContact(conversationSid), addedAt };
      // A slow add may have used up the time: the next run finds the participant in the conversation.
      this.checkTime();
      // Now the conversation goes on the session, so the task's events find it; a write that meets a text that
      // came in, or the contact opting out, learns it before the task exists.
      await this.record({
        conversationSid,
        participantSid: participant.sid,
        participantAddedAt: addedAt,
        postedEntries: this.posted,
      });
    }
    const webhookSid = await webhook;
    await this.postMissedTexts(conversationSid);
    this.checkTime();
    const adopted = found.participant ? await this.findInteraction(conversationSid) : undefined;
    const ids = adopted ?? (await this.createInteraction(conversationSid));
    await this.record(
      {
        ...ids,
        conversationSid,
        webhookSid,
        participantSid: participant.sid,
        participantAddedAt: participant.addedAt,
        postedEntries: this.posted,
        lease: undefined,
      },
      { status: 'handed_off' },
      () => this.postMissedTexts(conversationSid),
    );
    return { status: 'handed_off', conversationSid, interactionSid: ids.interactionSid };
  }

  /** What earlier runs left in the conversation: the posts (by their markers) and the contact's participant. */
  private async findProgress(conversationSid: string): Promise<FoundProgress> {
    const { participantSid, participantAddedAt, postedEntries } = this.handoff;
    const joined =
      participantSid && participantAddedAt ? { sid: participantSid, addedAt: participantAddedAt } : undefined;
    // What the session records is not looked for again: the contact joined, and what was posted by then.
    if (joined && postedEntries !== undefined) return { markers: [], participant: joined };
    const conversation = this.conversations(conversationSid);
    const [messages, participant] = await Promise.all([
      retryOnServerError(() => conversation.messages.list({ pageSize: 100 })),
      joined ??
        this.contactParticipant(conversationSid).then(
          (found) => found && { sid: found.sid, addedAt: found.dateCreated.toISOString() },
        ),
    ]);
    return { markers: markersOf(messages), participant };
  }

  /**
   * The conversation's own post-event webhook, whose URL names this handoff: /conversations/event then knows
   * whose an event is without asking Twilio. A resumed run first looks for the one an earlier run attached.
   */
  private async attachEventsWebhook(conversationSid: string, created: boolean): Promise<string | undefined> {
    const domain = this.deps.config.DOMAIN_NAME;
    if (!domain) {
      this.deps.logger.warn('DOMAIN_NAME is not set: the handoff conversation gets no webhook of its own');
      return undefined;
    }
    const url = handoffEventsUrl(domain, {
      phone: this.phone,
      sessionId: this.session.id,
      attempt: this.handoff.attempt,
    });
    const webhooks = this.conversations(conversationSid).webhooks;
    const existing = created
      ? undefined
      : (await retryOnServerError(() => webhooks.list())).find(
          (webhook) => (webhook.configuration as { url?: string } | null)?.url === url,
        );
    // Not retried on a 5xx, which may have created it: the next run finds it above.
    const webhook =
      existing ??
      (await webhooks.create({
        target: 'webhook',
        'configuration.url': url,
        'configuration.method': 'post',
        'configuration.filters': HANDOFF_WEBHOOK_FILTERS,
      }));
    return webhook.sid;
  }

  /** The note, then every transcript entry not yet in the conversation, in order. */
  private async postTranscript(
    conversationSid: string,
    transcript: TranscriptEntry[],
    posted: PostMarker[],
  ): Promise<void> {
    const options = { contact: this.phone, agentName: this.deps.config.AI_AGENT_NAME };
    const posts: ConversationPost[] = [];
    if (!posted.some((marker) => marker.kind === 'handoff_note')) {
      const body = handoffNote(this.session, this.handoff, transcript.length);
      posts.push({
        author: options.agentName,
        body,
        marker: { kind: 'handoff_note', from: -1, to: -1, part: 1, parts: 1 },
      });
    }
    posts.push(...remainingTranscriptPosts(transcript, posted, options));
    await this.post(conversationSid, posts);
    this.posted = transcript.length;
  }

  /**
   * Posts in order, one at a time (Conversations keeps the order they arrive in). The attachments are all
   * copied at once, ahead of the posts that carry them.
   */
  private async post(conversationSid: string, posts: ConversationPost[]): Promise<void> {
    for (const post of posts) if (post.media) void this.media.copy(post.media);
    for (const post of posts) {
      this.checkTime();
      const mediaSid = post.media && (await this.media.copy(post.media));
      await retryOnServerError(() =>
        this.conversations(conversationSid).messages.create({
          author: post.author,
          ...(post.body ? { body: post.body } : {}),
          ...(post.at ? { dateCreated: new Date(post.at) } : {}),
          ...(mediaSid ? { mediaSid } : {}),
          attributes: JSON.stringify({ handoff: post.marker }),
        }),
      );
    }
  }

  /** Adds the contact's SMS participant: from now on the conversation texts them and captures their texts. */
  private async addContact(conversationSid: string): Promise<string> {
    const participants = this.conversations(conversationSid).participants;
    const create = () =>
      retryOnServerError(() =>
        participants.create({
          'messagingBinding.address': this.phone,
          'messagingBinding.proxyAddress': this.session.twilioNumber,
        }),
      );
    let participant;
    try {
      participant = await create();
    } catch (error) {
      const failure = readTwilioError(error);
      if (failure.code !== BINDING_IN_USE) throw error;
      const holder = /CH[0-9a-f]{32}/.exec(failure.message)?.[0];
      if (holder === conversationSid) {
        participant = await this.contactParticipant(conversationSid);
      } else {
        await this.releaseBinding(holder);
        participant = await create();
      }
    }
    if (!participant) throw new HandoffRefused('The contact is in the conversation but has no participant');
    return participant.sid;
  }

  /** The contact's SMS participant in the conversation, if they joined it. */
  private async contactParticipant(conversationSid: string) {
    const participants = await retryOnServerError(() => this.conversations(conversationSid).participants.list());
    return participants.find((p) => (p.messagingBinding as { address?: string } | null)?.address === this.phone);
  }

  /**
   * Twilio 50416: the contact's number is still bound to another conversation. One of ours from a finished
   * session or an earlier attempt is closed, which frees the number; anyone else's is not ours to close.
   */
  private async releaseBinding(holder: string | undefined): Promise<void> {
    if (!holder) throw new HandoffRefused('Twilio 50416 without the conversation that holds the number');
    const { attributes } = await fetchConversation(this.deps, holder);
    const finished =
      attributes.contact === this.phone &&
      (attributes.sessionId !== this.session.id || attributes.attempt !== this.handoff.attempt);
    if (!finished) {
      throw new HandoffRefused(
        `The contact's number is held by conversation ${holder}, which is not a finished handoff of this contact`,
      );
    }
    this.deps.logger.info('closing a finished conversation that still holds the contact number', { holder });
    await closeConversation(this.deps, holder);
  }

  /**
   * Texts that arrived while the handoff ran (or soon after it): those the conversation did not capture itself
   * (they reached Twilio before the participant existed) are posted, so none is lost and none is there twice.
   */
  private async postMissedTexts(conversationSid: string): Promise<void> {
    if (this.posted >= this.session.messageCount) return;
    const [transcript, recent] = await Promise.all([
      this.deps.store.transcript(this.phone, this.session),
      retryOnServerError(() => this.conversations(conversationSid).messages.list({ order: 'desc', pageSize: 50 })),
    ]);
    const captured = recent
      .filter((message) => message.author === this.phone && !message.attributes?.includes('"handoff"'))
      .map((message) => message.body ?? '');
    // Posted by an earlier run that failed before recording it.
    const postedBefore = new Set(markersOf(recent).map((marker) => marker.to));
    const missed = transcript
      .map((entry, index) => ({ entry, index }))
      .slice(this.posted)
      .filter(({ entry, index }) => {
        // A rep's message comes from the conversation itself.
        if (entry.author === 'agent' || postedBefore.has(index)) return false;
        const at = entry.author === 'contact' ? captured.indexOf(entry.body) : -1;
        if (at === -1) return true;
        captured.splice(at, 1);
        return false;
      });
    const options = { contact: this.phone, agentName: this.deps.config.AI_AGENT_NAME, maxIndividual: Infinity };
    await this.post(
      conversationSid,
      missed.flatMap(({ index }) => transcriptPosts(transcript.slice(0, index + 1), index, options)),
    );
    this.posted = transcript.length;
  }

  async postLateTexts(): Promise<void> {
    this.posted = this.handoff.postedEntries ?? 0;
    const conversationSid = this.handoff.conversationSid!;
    await this.postMissedTexts(conversationSid);
    await this.record({ postedEntries: this.posted, lease: undefined }, {}, () =>
      this.postMissedTexts(conversationSid),
    );
  }

  private async createInteraction(conversationSid: string): Promise<{ interactionSid: string; channelSid?: string }> {
    const { config } = this.deps;
    const attributes = handoffTaskAttributes({
      contact: this.phone,
      conversationSid,
      handoff: this.handoff,
      customData: this.session.customData,
      sessionStartedAt: this.session.startedAt,
    });
    const interaction = await this.deps.client.flexApi.v1.interaction.create({
      channel: { type: 'sms', initiated_by: 'customer', properties: { media_channel_sid: conversationSid } },
      routing: {
        properties: {
          workspace_sid: config.FLEX_WORKSPACE_SID,
          workflow_sid: config.FLEX_WORKFLOW_SID,
          task_channel_unique_name: config.FLEX_TASK_CHANNEL,
          attributes,
        },
      },
    });
    return { interactionSid: interaction.sid, channelSid: (interaction.channel as { sid?: string }).sid };
  }

  /**
   * A run that added the contact and then failed may have created the interaction: its task, which carries the
   * conversation SID, tells.
   */
  private async findInteraction(conversationSid: string) {
    const tasks = await retryOnServerError(() =>
      this.deps.client.taskrouter.v1
        .workspaces(this.deps.config.FLEX_WORKSPACE_SID)
        .tasks.list({ evaluateTaskAttributes: `conversationSid == "${conversationSid}"`, limit: 1 }),
    );
    const attributes = tasks[0] && (JSON.parse(tasks[0].attributes) as Record<string, string>);
    return attributes?.flexInteractionSid
      ? {
          interactionSid: attributes.flexInteractionSid,
          channelSid: attributes.flexInteractionChannelSid,
          taskSid: tasks[0].sid,
        }
      : undefined;
  }
}
