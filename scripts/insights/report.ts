/**
 * The insights report: what `npm run insights` prints (as text, JSON, an HTML page) and the sandbox shows, built
 * from the session outcomes the recorder keeps in Sync. Pure: the same outcomes give the same report.
 */
// Private assets load each other through Runtime.getAssets(), as deployed; it points at the sources here.
import '../runtime-assets';
import type { SessionOutcome } from '../../assets/insights/outcome.private';
import { groupUnanswered, type SuggestionGroup } from '../../assets/insights/kb-suggestions.private';
import { maskPhoneNumbers } from '../../assets/runtime/logger.private';
import { SENTIMENTS, type HandoffReason, type Sentiment } from '../../assets/session/model.private';
import { REASONS, type DayFigures, type InsightsReport, type Mood, type ReasonCode } from './figures';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MustHold<T extends true> = T;
/** Compiles only while the report's reason codes and moods are exactly the domain's. */
export type ReportSpeaksTheDomain = MustHold<Same<ReasonCode, HandoffReason>> | MustHold<Same<Mood, Sentiment>>;

export interface ReportWindow {
  /** Sessions that started at or after `from` and before `to` are reported. */
  from: Date;
  to: Date;
  /** Only the sessions that came in on this Twilio number. */
  twilioNumber?: string;
}

/** How many unanswered-question groups a report lists; `--kb-suggestions` takes them all. */
export const UNANSWERED_LISTED = 50;

/** Buckets of the time from handoff to the first rep reply, as a lead reads a service level. */
const REPLY_TIME_BUCKETS: { label: string; fromSeconds: number }[] = [
  { label: '< 30 s', fromSeconds: 0 },
  { label: '30 s – 1 min', fromSeconds: 30 },
  { label: '1 – 2 min', fromSeconds: 60 },
  { label: '2 – 5 min', fromSeconds: 120 },
  { label: '5 – 15 min', fromSeconds: 300 },
  { label: '15 – 60 min', fromSeconds: 900 },
  { label: '> 1 h', fromSeconds: 3600 },
];

const DAY_MS = 86_400_000;

const rounded = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** The middle value (the mean of the two middle ones for an even count), or null for none. */
export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile: the smallest value at least p % of the values are at or below. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Whether a session started in the window (and on its number, when it names one). */
export function inWindow(outcome: SessionOutcome, window: ReportWindow): boolean {
  const started = Date.parse(outcome.startedAt);
  return (
    started >= window.from.getTime() &&
    started < window.to.getTime() &&
    (window.twilioNumber === undefined || outcome.twilioNumber === window.twilioNumber)
  );
}

/** Seconds from the handoff to the first rep reply, when a rep replied. */
export function secondsToFirstRepReply(outcome: SessionOutcome): number | null {
  const handoff = outcome.handoff;
  if (!handoff?.firstRepReplyAt) return null;
  return Math.max(0, (Date.parse(handoff.firstRepReplyAt) - Date.parse(handoff.requestedAt)) / 1000);
}

/** Whether the session's handoff ended without a rep taking it (canceled, deleted or timed out). */
export function wasCanceled(outcome: SessionOutcome): boolean {
  return outcome.handoff?.canceledAt !== undefined;
}

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDay(at: string | Date): string {
  return new Date(at).toISOString().slice(0, 10);
}

function perDay(outcomes: SessionOutcome[], window: ReportWindow): DayFigures[] {
  const days = new Map<string, DayFigures>();
  const first = Date.parse(utcDay(window.from));
  for (let day = first; day < window.to.getTime(); day += DAY_MS) {
    const date = utcDay(new Date(day));
    days.set(date, { date, sessions: 0, contained: 0, handedOff: 0, containmentRate: null });
  }
  for (const outcome of outcomes) {
    const figures = days.get(utcDay(outcome.startedAt));
    if (!figures) continue;
    figures.sessions += 1;
    if (outcome.handoff) figures.handedOff += 1;
    else figures.contained += 1;
  }
  for (const figures of days.values()) {
    if (figures.sessions > 0) figures.containmentRate = rounded(figures.contained / figures.sessions, 4);
  }
  return [...days.values()];
}

/** The unanswered questions of the sessions, grouped (near-identical wordings as one), most asked first. */
export function unansweredGroups(outcomes: SessionOutcome[]): SuggestionGroup[] {
  return groupUnanswered(
    outcomes.flatMap((outcome) =>
      outcome.unanswered.map((turn) => ({
        // Masked when recorded; masked again so that no report can show a number whatever was stored.
        question: maskPhoneNumbers(turn.question),
        nearestTopic: turn.nearestTopic,
        score: turn.score,
      })),
    ),
  );
}

function countBy<Key extends string>(keys: Key[]): Record<Key, number> {
  const counts = {} as Record<Key, number>;
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** The report on the sessions that started in the window (outcomes outside it are left out). */
export function buildReport(all: SessionOutcome[], window: ReportWindow): InsightsReport {
  const outcomes = all.filter((outcome) => inWindow(outcome, window));
  const handoffs = outcomes.flatMap((outcome) => (outcome.handoff ? [outcome.handoff] : []));
  const replySeconds = outcomes
    .map(secondsToFirstRepReply)
    .filter((seconds): seconds is number => seconds !== null)
    .sort((a, b) => a - b);
  const groups = unansweredGroups(outcomes);
  const sessions = outcomes.length;
  const handedOff = handoffs.length;
  const byReason = Object.fromEntries(REASONS.map((reason) => [reason, 0])) as Record<HandoffReason, number>;
  for (const handoff of handoffs) if (handoff.reasonCode in byReason) byReason[handoff.reasonCode] += 1;
  const sentiment = Object.fromEntries(SENTIMENTS.map((mood) => [mood, 0])) as Record<Sentiment, number>;
  for (const handoff of handoffs) if (handoff.sentiment in sentiment) sentiment[handoff.sentiment] += 1;
  const languages = Object.entries(countBy(handoffs.map((handoff) => handoff.language)))
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .reduce<Record<string, number>>((sorted, [language, count]) => ({ ...sorted, [language]: count }), {});
  const optionalSeconds = (value: number | null) => (value === null ? null : rounded(value, 1));
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    sessions,
    contained: sessions - handedOff,
    handedOff,
    containmentRate: sessions > 0 ? rounded((sessions - handedOff) / sessions, 4) : null,
    byReason,
    canceled: outcomes.filter(wasCanceled).length,
    medianSecondsToFirstRepReply: optionalSeconds(median(replySeconds)),
    unanswered: groups
      .slice(0, UNANSWERED_LISTED)
      .map(({ question, count, nearestTopic }) => ({ question, count, nearestTopic })),
    p90SecondsToFirstRepReply: optionalSeconds(percentile(replySeconds, 90)),
    repReplied: replySeconds.length,
    awaitingRepReply: handoffs.filter(
      (handoff) => !handoff.firstRepReplyAt && !handoff.canceledAt && !handoff.completedAt,
    ).length,
    replyTimes: REPLY_TIME_BUCKETS.map((bucket, index) => {
      const until = REPLY_TIME_BUCKETS[index + 1]?.fromSeconds ?? Infinity;
      const count = replySeconds.filter((seconds) => seconds >= bucket.fromSeconds && seconds < until).length;
      return { ...bucket, count };
    }),
    sentiment,
    languages,
    aiTurns: outcomes.reduce((sum, outcome) => sum + outcome.aiTurns, 0),
    notSureTurns: outcomes.reduce((sum, outcome) => sum + outcome.notSureTurns, 0),
    unansweredQuestions: groups.reduce((sum, group) => sum + group.count, 0),
    unansweredGroups: groups.length,
    perDay: perDay(outcomes, window),
    number: window.twilioNumber === undefined ? null : maskPhoneNumbers(window.twilioNumber),
  };
}
