/**
 * The report as a contact-center lead reads it in a terminal: the figures first, then the questions the AI
 * could not answer.
 */
import { formatDuration, formatPercent, formatWindow, REASON_LABELS, REASONS, type InsightsReport } from './figures';

/** How many unanswered-question groups the terminal lists. */
const TOP_UNANSWERED = 10;

/** "en 10, es 2", or "—" for none. */
function counts(entries: Record<string, number>): string {
  const shown = Object.entries(entries).filter(([, count]) => count > 0);
  return shown.length ? shown.map(([name, count]) => `${name} ${count}`).join(', ') : '—';
}

/** Contact-written text without control characters: an escape sequence must not reach the terminal. */
const printable = (text: string) => text.replace(/[\p{Cc}]/gu, ' ');

const row = (label: string, value: string | number, note = '') =>
  `${label.padEnd(30)}${String(value).padStart(7)}${note ? `   ${note}` : ''}`;

export function formatReport(report: InsightsReport): string {
  const lines = [
    `Insights on the sessions started ${formatWindow(report.from, report.to)}` +
      (report.number ? ` for ${report.number}` : ', all numbers'),
    '',
    row('Sessions', report.sessions),
    row('Contained by the AI', report.contained, formatPercent(report.containmentRate)),
    row('Reached a person', report.handedOff),
    ...REASONS.map((reason) => row(`  ${reason}`, report.byReason[reason], REASON_LABELS[reason])),
    row('Canceled or timed out', report.canceled, 'no rep took them'),
    row('Awaiting a rep reply', report.awaitingRepReply),
    '',
    `Time to first rep reply       median ${formatDuration(report.medianSecondsToFirstRepReply)}, ` +
      `p90 ${formatDuration(report.p90SecondsToFirstRepReply)} (${report.repReplied} replied)`,
    `Sentiment at handoff          ${counts(report.sentiment)}`,
    `Languages at handoff          ${counts(report.languages)}`,
    '',
  ];
  if (report.unansweredGroups === 0) {
    lines.push('No unanswered questions.');
  } else {
    const top = report.unanswered.slice(0, TOP_UNANSWERED);
    lines.push(
      `Top unanswered questions (${report.unansweredQuestions} asked, ${report.unansweredGroups} distinct)`,
      ...top.map(
        ({ question, count, nearestTopic }) =>
          `${String(count).padStart(5)}  ${printable(question)}  → ${nearestTopic ?? 'no topic near'}`,
      ),
    );
    if (report.unansweredGroups > top.length) {
      lines.push(`  … and ${report.unansweredGroups - top.length} more: npm run insights -- --kb-suggestions`);
    }
  }
  return lines.join('\n');
}
