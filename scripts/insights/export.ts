/**
 * `--export FILE.ndjson`: one JSON line per session of the window, for a warehouse or BI tool (the way out when
 * an account outgrows a report run from a laptop): the recorded outcome as it is, with the figures a report
 * derives from it beside it so that a query need not derive them again. No phone number leaves: the business
 * number is masked as the logs mask it, and so is anything number-like in the questions.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { SessionOutcome } from '../../assets/insights/outcome.private';
import { maskPhoneNumbers } from '../../assets/runtime/logger.private';
import { inWindow, secondsToFirstRepReply, utcDay, wasCanceled, type ReportWindow } from './report';

export interface ExportedSession extends SessionOutcome {
  /** The UTC day the session started, YYYY-MM-DD. */
  day: string;
  handedOff: boolean;
  contained: boolean;
  reasonCode: string | null;
  canceled: boolean;
  secondsToFirstRepReply: number | null;
}

export function exportedSession(outcome: SessionOutcome): ExportedSession {
  const seconds = secondsToFirstRepReply(outcome);
  return {
    ...outcome,
    twilioNumber: maskPhoneNumbers(outcome.twilioNumber),
    unanswered: outcome.unanswered.map((turn) => ({ ...turn, question: maskPhoneNumbers(turn.question) })),
    day: utcDay(outcome.startedAt),
    handedOff: outcome.handoff !== undefined,
    contained: outcome.handoff === undefined,
    reasonCode: outcome.handoff?.reasonCode ?? null,
    canceled: wasCanceled(outcome),
    secondsToFirstRepReply: seconds === null ? null : Number(seconds.toFixed(1)),
  };
}

/** Writes the window's sessions, oldest first, one line each; resolves to how many. */
export async function writeExport(file: string, outcomes: SessionOutcome[], window: ReportWindow): Promise<number> {
  const sessions = outcomes
    .filter((outcome) => inWindow(outcome, window))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.sessionId.localeCompare(b.sessionId));
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined); // raced below; a write error in between must not go unhandled
  for (const outcome of sessions) {
    if (!out.write(`${JSON.stringify(exportedSession(outcome))}\n`)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return sessions.length;
}
