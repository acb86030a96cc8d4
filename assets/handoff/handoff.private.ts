/**
 * The handoff to Flex, in the order that keeps the contact's phone quiet: create the Conversation, post the
 * handoff note and the transcript, only then add the contact's SMS participant, then create the Flex
 * Interaction that makes the task. Every step is recorded on the session, so a run that fails (or runs out of
 * the Function's 10 s) is resumed by the next message or retry; a lease on the session keeps two runs (two
 * messages at once, /sms/inbound racing /flex/handoff) from ever doing the same step twice.
 */
import type { ConversationPost, PostMarker } from './messages.private';
import type { Deps } from '../runtime/deps.private';
import type { ContactRecord, HandoffState, Session, SessionStatus } from '../session/model.private';
import type * as Gateway from '../twilio/gateway.private';
import type * as Messages from './messages.private';
import type * as Attributes from './task-attributes.private';
import type * as SessionModule from '../session/model.private';
import type * as Replies from '../ai/replies.private';
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
const { isSessionOpen, startHandoff } = load<typeof SessionModule>('/session/model.js');
const { repliesIn } = load<typeof Replies>('/ai/replies.js');

/** Longer than a Function may run, so a lease outlives the run that took it but not by much. */
const LEASE_MS = 15_000;
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

function withHandoff(record: ContactRecord, session: Session, patch: Partial<HandoffState>): ContactRecord {
  return { ...record, session: { ...session, handoff: { ...session.handoff!, ...patch } } };
}

function conversationUniqueName(session: Session): string {
  return `handoff-${session.id}-${session.handoff?.attempt ?? 1}`;
}

/**
 * An outside system asks for a person: the open session becomes pending with its reason, and the custom data
 * joins the session's (also when a handoff is already under way, so it can still reach the task).
 */
export async function requestHandoff(deps: Deps, request: HandoffRequest): Promise<'requested' | 'no_session'> {
  return deps.store.update<'requested' | 'no_session'>(request.from, async ({ record }) => {
    const now = deps.now();
    const session = record.session;
    if (!isSessionOpen(session, now, deps.config.SESSION_IDLE_MINUTES, deps.config.CONVERSATION_CLOSED_TIMER))
      return { result: 'no_session' };
    const customData = { ...session.customData, ...request.customData };
    if (session.status !== 'ai') {
      return { record: { ...record, session: { ...session, customData } }, result: 'requested' };
    }
    const grounds = {
      reason: 'api' as const,
      phrase: request.reason,
      summary:
        request.summary ?? (session.summary || `The contact sent ${session.messageCount} messages in this session.`),
      sentiment: request.sentiment ?? session.sentiment,
      language: request.language ?? session.language,
    };
    return {
      record: { ...record, session: startHandoff({ ...session, customData }, grounds, now) },
      result: 'requested',
    };
  });
}

/** What the contact is told when their handoff could not be completed, so they are never left waiting. */
export function handoffFailureText(outcome: 'retry_later' | 'abandoned', language: string): string {
  return repliesIn(language).handoffFailed[outcome];
}

/**
 * Runs (or resumes) the pending handoff of the contact's session until `deadline` (epoch ms: the invocation's
 * start plus the budget, so time the AI already spent counts). Never throws for Twilio failures.
 */
export async function completeHandoff(
  deps: Deps,
  phone: string,
  deadline = Date.now() + HANDOFF_TIME_BUDGET_MS,
): Promise<HandoffOutcome> {
  const run = new HandoffRun(deps, phone, deadline);
  const claim = await run.claim();
  if (claim !== 'claimed') return claim;
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
): Promise<void> {
  const run = new HandoffRun(deps, phone, deadline, 'handed_off');
  try {
    if ((await run.claim()) !== 'claimed') return;
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

class HandoffRun {
  private readonly owner = Math.random().toString(36).slice(2);
  private session!: Session;
  /** Done but not yet on the session: goes with the next checkpoint, saving a write of its own. */
  private unrecorded: Partial<HandoffState> = {};

  constructor(
    private readonly deps: Deps,
    private readonly phone: string,
    private readonly deadline: number,
    /** The status the run works in: a handoff under way, or a finished one whose late texts are posted. */
    private readonly status: SessionStatus = 'handoff_pending',
  ) {}

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
    return this.deps.store.update<'claimed' | HandoffOutcome>(this.phone, async ({ record }) => {
      const session = record.session;
      if (this.status === 'handed_off') {
        return session?.status === 'handed_off' && session.handoff?.participantSid
          ? this.takeLease(record, session, { status: 'in_progress' as const })
          : { result: { status: 'not_pending' as const } };
      }
      if (session?.status === 'handed_off' && session.handoff?.conversationSid && session.handoff.interactionSid) {
        const { conversationSid, interactionSid } = session.handoff;
        return { result: { status: 'handed_off' as const, conversationSid, interactionSid } };
      }
      if (session?.status !== 'handoff_pending' || !session.handoff)
        return { result: { status: 'not_pending' as const } };
      return this.takeLease(record, session, { status: 'in_progress' as const });
    });
  }

  private takeLease<T>(record: ContactRecord, session: Session, taken: T) {
    const now = this.deps.now();
    const lease = session.handoff!.lease;
    if (lease && lease.owner !== this.owner && Date.parse(lease.until) > now.getTime()) return { result: taken };
    this.session = session;
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    return {
      record: withHandoff(record, session, { lease: { owner: this.owner, until } }),
      result: 'claimed' as const,
    };
  }

  /** Records progress, as long as this run still holds the lease. */
  private async checkpoint(patch: Partial<HandoffState>, sessionPatch: Partial<Session> = {}): Promise<void> {
    await this.deps.store.update(this.phone, async ({ record }) => {
      const session = record.session;
      if (session?.id !== this.session.id || session.handoff?.lease?.owner !== this.owner) throw new LeaseLost();
      // The contact opted out, or the task was canceled meanwhile: go no further, undo what was made.
      if (session.status !== this.status) throw new HandoffRefused('The session left the handoff while it ran');
      const handoff = { ...session.handoff, ...this.unrecorded, ...patch };
      const updated: Session = { ...session, ...sessionPatch, handoff };
      this.session = updated;
      this.unrecorded = {};
      return { record: { ...record, session: updated }, result: undefined };
    });
  }

  async releaseLease(): Promise<void> {
    await this.checkpoint({ lease: undefined }).catch(() => undefined);
  }

  /** Undoes what cannot succeed: the conversation closes, the session is the AI's again. */
  async abandon(error: string): Promise<void> {
    const conversationSid = this.handoff?.conversationSid;
    if (conversationSid) {
      await closeConversation(this.deps, conversationSid).catch((closeError: unknown) =>
        this.deps.logger.error('could not close conversation', { error: closeError }),
      );
    }
    await this.checkpoint({ lease: undefined }, { status: 'ai', failedAnswers: 0 }).catch(() => undefined);
    this.deps.logger.warn('handoff undone; the AI answers again', { error });
  }

  async execute(): Promise<HandoffOutcome> {
    const { sid: conversationSid, created } = this.handoff.conversationSid
      ? { sid: this.handoff.conversationSid, created: false }
      : await this.createConversation();
    // Until the first posts are recorded, this run may be the one that made the conversation.
    if (!this.handoff.webhookSid && this.handoff.postedEntries === undefined) {
      await this.attachEventsWebhook(conversationSid, created);
    }
    // A run that added the contact but failed before recording it: their texts since are in the conversation.
    const joined = this.handoff.participantSid || created ? undefined : await this.contactParticipant(conversationSid);
    if (joined)
      await this.checkpoint({ participantSid: joined.sid, participantAddedAt: joined.dateCreated.toISOString() });
    // Once the contact is in, the conversation captures their texts itself: nothing is replayed after that.
    if (!this.handoff.participantSid) {
      if (this.handoff.postedEntries === undefined || this.handoff.postedEntries < this.session.messageCount) {
        await this.postTranscript(conversationSid, created);
      }
      await this.addContact(conversationSid);
    }
    await this.postMessagesMissedWhileJoining(conversationSid);
    const interactionSid = this.handoff.interactionSid ?? (await this.createInteraction(conversationSid));
    return { status: 'handed_off', conversationSid, interactionSid };
  }

  private async createConversation(): Promise<{ sid: string; created: boolean }> {
    const { config } = this.deps;
    const uniqueName = conversationUniqueName(this.session);
    try {
      const conversation = await retryOnServerError(() =>
        this.conversations.create({
          uniqueName,
          friendlyName: this.phone,
          attributes: writeConversationAttributes({
            contact: this.phone,
            sessionId: this.session.id,
            attempt: this.handoff.attempt,
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
      return { sid: (await retryOnServerError(() => this.conversations(uniqueName).fetch())).sid, created: false };
    }
  }

  /**
   * The conversation's own post-event webhook, whose URL names this handoff: /conversations/event then knows
   * whose an event is without asking Twilio. A resumed run first looks for the one an earlier run attached.
   */
  private async attachEventsWebhook(conversationSid: string, created: boolean): Promise<void> {
    const domain = this.deps.config.DOMAIN_NAME;
    if (!domain) {
      this.deps.logger.warn('DOMAIN_NAME is not set: the handoff conversation gets no webhook of its own');
      return;
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
    this.unrecorded.webhookSid = webhook.sid;
  }

  /** The note, then every transcript entry not yet in the conversation. */
  private async postTranscript(conversationSid: string, created: boolean): Promise<void> {
    const transcript = await this.deps.store.transcript(this.phone, this.session);
    const options = { contact: this.phone, agentName: this.deps.config.AI_AGENT_NAME };
    const posted = created ? [] : await this.postedMarkers(conversationSid);
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
    await this.checkpoint({ conversationSid, postedEntries: transcript.length });
  }

  private async postedMarkers(conversationSid: string): Promise<PostMarker[]> {
    return markersOf(
      await retryOnServerError(() => this.conversations(conversationSid).messages.list({ pageSize: 100 })),
    );
  }

  /** Posts in order; attachments are uploaded first, all at once, so they cost one round trip. */
  private async post(conversationSid: string, posts: ConversationPost[]): Promise<void> {
    const mediaSids = new Map<string, string>();
    await Promise.all(
      posts
        .flatMap((post) => (post.media ? [post.media] : []))
        .map(async (media) => {
          mediaSids.set(media.url, await copyMediaToConversations(this.deps, media));
        }),
    );
    for (const post of posts) {
      this.checkTime();
      await retryOnServerError(() =>
        this.conversations(conversationSid).messages.create({
          author: post.author,
          ...(post.body ? { body: post.body } : {}),
          ...(post.at ? { dateCreated: new Date(post.at) } : {}),
          ...(post.media ? { mediaSid: mediaSids.get(post.media.url) } : {}),
          attributes: JSON.stringify({ handoff: post.marker }),
        }),
      );
    }
  }

  /** Adds the contact's SMS participant: from now on the conversation texts them and captures their texts. */
  private async addContact(conversationSid: string): Promise<void> {
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
    await this.checkpoint({ participantSid: participant.sid, participantAddedAt: this.deps.now().toISOString() });
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
   * Texts that arrived while the participant was being added: those the conversation did not capture itself
   * (they reached Twilio before the participant existed) are posted, so none is lost and none is there twice.
   */
  private async postMessagesMissedWhileJoining(conversationSid: string): Promise<void> {
    const posted = this.handoff.postedEntries ?? 0;
    if (posted >= this.session.messageCount) return;
    const transcript = await this.deps.store.transcript(this.phone, this.session);
    const recent = await retryOnServerError(() =>
      this.conversations(conversationSid).messages.list({ order: 'desc', pageSize: 50 }),
    );
    const captured = recent
      .filter((message) => message.author === this.phone && !message.attributes?.includes('"handoff"'))
      .map((message) => message.body ?? '');
    // Posted by an earlier run that failed before recording it.
    const postedBefore = new Set(markersOf(recent).map((marker) => marker.to));
    const missed = transcript
      .map((entry, index) => ({ entry, index }))
      .slice(posted)
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
    await this.checkpoint({ postedEntries: transcript.length });
  }

  async postLateTexts(): Promise<void> {
    await this.postMessagesMissedWhileJoining(this.handoff.conversationSid!);
    await this.checkpoint({ lease: undefined });
  }

  private async createInteraction(conversationSid: string): Promise<string> {
    const adopted = this.handoff.interactionRequestedAt ? await this.findInteraction(conversationSid) : undefined;
    if (adopted) {
      await this.finish(adopted);
      return adopted.interactionSid;
    }
    await this.checkpoint({ interactionRequestedAt: this.deps.now().toISOString() });
    const { config } = this.deps;
    const attributes = handoffTaskAttributes({
      contact: this.phone,
      conversationSid,
      handoff: this.handoff,
      customData: this.session.customData,
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
    const ids = { interactionSid: interaction.sid, channelSid: (interaction.channel as { sid?: string }).sid };
    await this.finish(ids);
    return ids.interactionSid;
  }

  /**
   * A run that asked for the interaction and then failed may have created it: its task, which carries the
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

  private async finish(ids: { interactionSid: string; channelSid?: string; taskSid?: string }): Promise<void> {
    await this.checkpoint({ ...ids, lease: undefined }, { status: 'handed_off' });
  }
}
