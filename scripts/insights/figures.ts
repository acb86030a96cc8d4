/**
 * The insights report's shape (`npm run insights -- --json`'s document) and its words and numbers as people read
 * them: shared by the terminal, the HTML page and the sandbox's Insights view, so nothing here may load a private
 * asset (the sandbox page bundles it).
 */

/**
 * The handoff reason codes (session/model's HandoffReason), in the order reports show them, and the moods at
 * handoff (its Sentiment): spelled out here because the page cannot type-check the domain module (it loads
 * private assets); insights/report fails to compile if the two lists drift apart.
 */
export const REASONS = ['contact_requested', 'frustrated', 'ai_unable', 'forbidden_topic', 'api'] as const;
export type ReasonCode = (typeof REASONS)[number];
export type Mood = 'positive' | 'neutral' | 'negative';

export interface DayFigures {
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  sessions: number;
  contained: number;
  handedOff: number;
  /** null on a day without sessions. */
  containmentRate: number | null;
}

export interface ReplyTimeBucket {
  label: string;
  /** Handoffs whose first rep reply came within this bucket: from `fromSeconds` (included) to the next one's. */
  fromSeconds: number;
  count: number;
}

export interface UnansweredFigure {
  question: string;
  count: number;
  nearestTopic: string | null;
}

export interface InsightsReport {
  from: string;
  to: string;
  sessions: number;
  contained: number;
  handedOff: number;
  /** contained / sessions, 0..1 to 4 decimals; null when no session started in the window. */
  containmentRate: number | null;
  byReason: Record<ReasonCode, number>;
  /** Handoffs nobody took: their task was canceled, deleted or timed out. */
  canceled: number;
  medianSecondsToFirstRepReply: number | null;
  /** The most asked first: at most UNANSWERED_LISTED groups (`unansweredGroups` says how many there are). */
  unanswered: UnansweredFigure[];
  p90SecondsToFirstRepReply: number | null;
  /** Handoffs a rep replied to: the sample of the median and p90. */
  repReplied: number;
  /** Handoffs not replied to, canceled or completed: still in a queue, or with a rep who has not replied yet. */
  awaitingRepReply: number;
  replyTimes: ReplyTimeBucket[];
  /** The contact's sentiment when handed off. */
  sentiment: Record<Mood, number>;
  /** The language of the conversation when handed off, most frequent first. */
  languages: Record<string, number>;
  /** AI replies in the window's sessions, and of those the ones that said the AI was not sure. */
  aiTurns: number;
  notSureTurns: number;
  unansweredQuestions: number;
  unansweredGroups: number;
  perDay: DayFigures[];
  /** The Twilio number reported on (masked as the logs mask it), or null for all. */
  number: string | null;
}

/** Each reason code in a lead's words. */
export const REASON_LABELS: Record<ReasonCode, string> = {
  contact_requested: 'asked for a person',
  frustrated: 'frustrated',
  ai_unable: 'the AI could not answer',
  forbidden_topic: 'a topic the AI must not handle',
  api: 'handed off by another system',
};

/** "45 s", "2 min 5 s", "1 h 20 min"; "—" when there is nothing to measure. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ''}`;
  const minutes = Math.round((whole % 3600) / 60);
  return `${Math.floor(whole / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)} %`;
}

/** "2026-12-01 09:30 UTC" (with the seconds when there are any), or the bare date at midnight. */
export function formatWhen(iso: string): string {
  const [date, time] = iso.split('T');
  const clock = time.slice(6, 8) === '00' ? time.slice(0, 5) : time.slice(0, 8);
  return clock === '00:00' ? date : `${date} ${clock} UTC`;
}

/**
 * A report's window as people say it: whole days with their last day included ("2026-12-01 to 2026-12-07" for
 * [Dec 1, Dec 8)), else from and to the minute.
 */
export function formatWindow(from: string, to: string): string {
  const wholeDays = /T00:00:00(\.000)?Z$/;
  if (wholeDays.test(from) && wholeDays.test(to)) {
    const last = new Date(Date.parse(to) - 86_400_000).toISOString().slice(0, 10);
    const first = from.slice(0, 10);
    return first === last ? first : `${first} to ${last}`;
  }
  return `${formatWhen(from)} to ${formatWhen(to)}`;
}
