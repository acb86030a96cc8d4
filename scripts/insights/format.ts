/**
 * The report's words and numbers as people read them, shared by the terminal, the HTML page and the sandbox's
 * Insights view (so nothing here may load a private asset at run time: the sandbox page bundles it).
 */
import type { HandoffReason } from '../../assets/session/model.private';

/** The handoff reason codes, in the order reports show them. */
export const REASONS: readonly HandoffReason[] = [
  'contact_requested',
  'frustrated',
  'ai_unable',
  'forbidden_topic',
  'api',
];

/** Each reason code in a lead's words. */
export const REASON_LABELS: Record<HandoffReason, string> = {
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

/** "2026-12-01 09:30 UTC", or the bare date at midnight. */
export function formatWhen(iso: string): string {
  const [date, time] = iso.split('T');
  const clock = time.slice(0, 5);
  return clock === '00:00' ? date : `${date} ${clock} UTC`;
}
