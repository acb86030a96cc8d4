/**
 * The report's charts as Chart.js configurations: plain data, so the same charts are drawn by the standalone
 * HTML page (`--html`, configurations embedded as JSON) and by the sandbox's Insights view (bundled).
 */
import type { ChartConfiguration } from 'chart.js';
import { REASONS, type InsightsReport, type ReasonCode } from './figures';

export type ChartName = 'containment' | 'reasons' | 'replyTimes';

/** Each chart's title, as the page heads it. */
export const CHART_TITLES: Record<ChartName, string> = {
  containment: 'Containment per day',
  reasons: 'Handoffs by reason',
  replyTimes: 'Time from handoff to the first rep reply',
};

/** The reasons as short as an axis beside a narrow chart needs (REASON_LABELS says them in full). */
const REASON_AXIS: Record<ReasonCode, string> = {
  contact_requested: 'Asked for a person',
  frustrated: 'Frustrated',
  ai_unable: 'AI could not answer',
  forbidden_topic: 'Forbidden topic',
  api: 'Other system',
};

const CONTAINED = '#1f8a4c';
const HANDED_OFF = '#e0782b';
const RATE = '#1f5fbf';
const NEUTRAL = '#5f6b85';

const common = {
  // A report is read, not watched: charts appear drawn (and screenshots are of the final picture).
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
} as const;

export function chartConfigs(report: InsightsReport): Record<ChartName, ChartConfiguration> {
  const days = report.perDay.map((day) => day.date.slice(5));
  return {
    containment: {
      type: 'bar',
      data: {
        labels: days,
        datasets: [
          {
            type: 'line',
            label: 'Containment rate (%)',
            data: report.perDay.map((day) => (day.containmentRate === null ? null : day.containmentRate * 100)),
            borderColor: RATE,
            backgroundColor: RATE,
            yAxisID: 'rate',
            spanGaps: true,
          },
          {
            label: 'Contained by the AI',
            data: report.perDay.map((day) => day.contained),
            backgroundColor: CONTAINED,
            stack: 'sessions',
          },
          {
            label: 'Reached a person',
            data: report.perDay.map((day) => day.handedOff),
            backgroundColor: HANDED_OFF,
            stack: 'sessions',
          },
        ],
      },
      options: {
        ...common,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'Sessions' }, ticks: { precision: 0 } },
          rate: { position: 'right', min: 0, max: 100, title: { display: true, text: 'Contained (%)' } },
        },
      },
    },
    reasons: {
      type: 'bar',
      data: {
        labels: REASONS.map((reason) => REASON_AXIS[reason]),
        datasets: [
          { label: 'Handoffs', data: REASONS.map((reason) => report.byReason[reason]), backgroundColor: HANDED_OFF },
        ],
      },
      options: {
        ...common,
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    },
    replyTimes: {
      type: 'bar',
      data: {
        labels: report.replyTimes.map((bucket) => bucket.label),
        datasets: [
          { label: 'Handoffs', data: report.replyTimes.map((bucket) => bucket.count), backgroundColor: NEUTRAL },
        ],
      },
      options: {
        ...common,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Handoffs' } } },
      },
    },
  };
}
