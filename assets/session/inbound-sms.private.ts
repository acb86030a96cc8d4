/**
 * What happens when a contact texts us: keywords, the contact's session, the AI's turn, the transcript, and
 * the handoff decision. Everything about one message is decided inside one conditional write of the contact
 * record, so a redelivered webhook or a second message racing this one cannot lose or double anything.
 */
import type { AiEngine } from '../ai/engine.private';
import type { ContactRecord, Session, TranscriptEntry } from './model.private';
import type { InboundSms } from '../edge/messaging-webhook.private';
import type { ContactChange } from './store.private';
import type { Deps } from '../runtime/deps.private';
import type { HandoffClaim, HandoffStart as Start } from '../handoff/handoff.private';
import type * as Handoff from '../handoff/handoff.private';
import type * as Keywords from './keywords.private';
import type * as SessionModule from './model.private';
import type * as Outcome from '../insights/outcome.private';
import type * as LoadModule from '../runtime/load.private';

const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
const { keywordOf } = load<typeof Keywords>('/session/keywords.js');
const { recordAiTurn } = load<typeof Outcome>('/insights/outcome.js');
const { HandoffStart } = load<typeof Handoff>('/handoff/handoff.js');
const {
  appendEntries,
  claimHandoff,
  closeSession,
  isSessionOpen,
  mayHoldLateTexts,
  newLeaseOwner,
  openSession,
  rememberMessageSid,
  startHandoff,
} = load<typeof SessionModule>('/session/model.js');

/** The deps every handler gets, and the AI that answers. */
export type InboundDeps = Deps & { engine: AiEngine };

export interface InboundOutcome {
  /** The SMS to answer with; none for opt-outs, opted-out contacts and handed-off sessions. */
  reply?: string;
  /** The session waits for its Flex conversation and task (asked for now, or by an earlier message). */
  handoffPending?: boolean;
  /** The contact was already handled under this MessageSid. */
  duplicate?: boolean;
  /** The session's language (BCP-47), for anything else said to the contact. */
  language?: string;
  /** The handoff just finished: this text may have reached Twilio before the conversation could capture it. */
  lateText?: boolean;
  /** The handoff's lease, when the write that recorded this text could take it for the work above. */
  claim?: HandoffClaim;
}

function contactEntry(sms: InboundSms, at: string): TranscriptEntry {
  return {
    id: sms.messageSid,
    author: 'contact',
    body: sms.body,
    at,
    ...(sms.media.length > 0 ? { media: sms.media } : {}),
  };
}

function replyEntry(sms: InboundSms, body: string, at: string): TranscriptEntry {
  return { id: `${sms.messageSid}:reply`, author: 'ai', body, at };
}

/** The answer already given to a redelivered message, so the contact gets exactly one. */
function earlierReply(contact: ContactRecord, messageSid: string): string | undefined {
  return contact.session?.recent.find((entry) => entry.id === `${messageSid}:reply`)?.body;
}

/**
 * Handles one text in one conditional write, which also takes the handoff's lease when the text leaves work for
 * the handoff (it starts one, arrives while one is pending, or may be a late text), saving the run a read and a
 * write of its own.
 */
export async function handleInboundSms(deps: InboundDeps, sms: InboundSms): Promise<InboundOutcome> {
  const owner = newLeaseOwner();
  // The change may run again after a conflicting write: the last run is the one written.
  let claimed = false;
  let start: Start | undefined;
  const { result, stored } = await deps.store.updateKeeping(
    sms.from,
    async ({ record }) => {
      const change = await decide(deps, sms, record);
      const { handoffPending, lateText } = change.result;
      const leased =
        change.record && (handoffPending || lateText)
          ? claimHandoff(change.record, owner, deps.now(), lateText ? 'handed_off' : 'handoff_pending')
          : undefined;
      claimed = Boolean(leased);
      return leased ? { record: leased, result: change.result } : change;
    },
    {
      // The handoff whose lease this write takes makes its first calls while it is written.
      alongside: ({ record, result }) => {
        if (claimed && result.handoffPending) start ??= new HandoffStart(deps, sms.from, record.session!);
      },
    },
  );
  const started = await start?.settle(claimed, stored);
  return claimed ? { ...result, claim: { owner, stored, start: started } } : result;
}

async function decide(
  deps: InboundDeps,
  sms: InboundSms,
  stored: ContactRecord,
): Promise<ContactChange<InboundOutcome>> {
  if (stored.seenMessageSids.includes(sms.messageSid)) {
    const handoffPending = stored.session?.status === 'handoff_pending';
    const language = stored.session?.language;
    return { result: { reply: earlierReply(stored, sms.messageSid), duplicate: true, handoffPending, language } };
  }
  const now = deps.now();
  const contact = rememberMessageSid(stored, sms.messageSid);
  const keyword = keywordOf(sms.body, sms.optOutType);

  if (keyword === 'opt_out') {
    const session = contact.session && closeSession(contact.session, 'opted_out', now);
    return { record: { ...contact, optedOut: true, session }, result: {} };
  }
  if (contact.optedOut) {
    // Twilio confirms the opt-in itself; until then nothing reaches the contact from us.
    return { record: { ...contact, optedOut: keyword !== 'opt_in' }, result: {} };
  }

  const session = isSessionOpen(
    contact.session,
    now,
    deps.config.SESSION_IDLE_MINUTES,
    deps.config.CONVERSATION_CLOSED_TIMER,
  )
    ? contact.session
    : openSession(sms.to, now);
  if (keyword === 'help') {
    return answerWith(contact, session, sms, deps.config.HELP_TEXT, now);
  }
  if (session.status !== 'ai') {
    // A person has (or is getting) the conversation: keep the message, let Flex answer. Twilio calls this
    // webhook for every inbound text, also those a conversation captures, so the transcript misses none.
    const updated = appendEntries(session, [contactEntry(sms, now.toISOString())], now);
    const handoffPending = updated.status === 'handoff_pending';
    const lateText = mayHoldLateTexts(updated, now);
    return {
      record: { ...contact, session: updated },
      result: { handoffPending, language: updated.language, lateText },
    };
  }
  return takeAiTurn(deps, contact, session, sms, now);
}

function answerWith(
  contact: ContactRecord,
  session: Session,
  sms: InboundSms,
  reply: string,
  now: Date,
): ContactChange<InboundOutcome> {
  const at = now.toISOString();
  const updated = appendEntries(session, [contactEntry(sms, at), replyEntry(sms, reply, at)], now);
  return { record: { ...contact, session: updated }, result: { reply } };
}

async function takeAiTurn(
  deps: InboundDeps,
  contact: ContactRecord,
  session: Session,
  sms: InboundSms,
  now: Date,
): Promise<ContactChange<InboundOutcome>> {
  const turn = await deps.engine.respond({
    message: { body: sms.body, media: sms.media },
    history: session.recent,
    failedAnswers: session.failedAnswers,
    customData: session.customData,
  });
  const at = now.toISOString();
  let updated: Session = {
    ...recordAiTurn(
      appendEntries(session, [contactEntry(sms, at), replyEntry(sms, turn.reply, at)], now),
      turn,
      sms.body,
      now,
    ),
    failedAnswers: turn.answered ? 0 : session.failedAnswers + 1,
    sentiment: turn.sentiment,
    language: turn.language,
    summary: turn.summary,
    customData: { ...session.customData, ...turn.customData },
  };
  if (turn.handoff) {
    const { reason, phrase } = turn.handoff;
    updated = startHandoff(
      updated,
      { reason, phrase, summary: turn.summary, sentiment: turn.sentiment, language: turn.language },
      now,
    );
  }
  return {
    record: { ...contact, session: updated },
    result: { reply: turn.reply, handoffPending: Boolean(turn.handoff), language: turn.language },
  };
}
