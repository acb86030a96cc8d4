/**
 * The sandbox's Insights view: `npm run insights`'s figures and charts, live, for the sessions just played on
 * the phone and the desk. The report comes from the sandbox server (the recorder's reader and the CLI's
 * buildReport on the emulated account); the charts are the CLI page's own Chart.js configurations.
 */
import React, { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import Chart from 'chart.js/auto';
import { CHART_TITLES, chartConfigs, type ChartName } from '../../scripts/insights/charts';
import {
  formatDuration,
  formatPercent,
  formatWindow,
  REASON_LABELS,
  REASONS,
  type InsightsReport,
} from '../../scripts/insights/figures';
import { poll } from './api';

/** A report is heavier than the phone's texts: refreshed every two seconds while shown. */
const REFRESH_MS = 2000;

async function fetchReport(): Promise<InsightsReport> {
  const answer = await fetch('/api/insights');
  if (!answer.ok) throw new Error(`Insights: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as InsightsReport;
}

function ChartCard({ name, report }: { name: ChartName; report: InsightsReport }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const config = JSON.stringify(chartConfigs(report)[name]);
  // Drawn again only when its data changed, not at every refresh.
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, JSON.parse(config));
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="insights-card">
      <h3>{CHART_TITLES[name]}</h3>
      <div className="insights-chart">
        <canvas ref={canvas} role="img" aria-label={CHART_TITLES[name]} />
      </div>
    </div>
  );
}

function Figure({ id, value, label }: { id: string; value: string | number; label: string }) {
  return (
    <div className="insights-figure" data-figure={id}>
      <b>{value}</b>
      <span>{label}</span>
    </div>
  );
}

function Counts({ title, counts }: { title: string; counts: Record<string, number> }) {
  const rows = Object.entries(counts);
  return (
    <div className="insights-card">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <div className="empty">No handoffs yet.</div>
      ) : (
        <table>
          <tbody>
            {rows.map(([name, count]) => (
              <tr key={name}>
                <td>{name}</td>
                <td className="count">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Unanswered({ report }: { report: InsightsReport }) {
  return (
    <div className="insights-card insights-wide">
      <h3>
        Questions the AI could not answer ({report.unansweredQuestions} asked, {report.unansweredGroups} distinct)
      </h3>
      {report.unanswered.length === 0 ? (
        <div className="empty">None yet: ask the AI something the knowledge base does not cover.</div>
      ) : (
        <table data-testid="unanswered">
          <thead>
            <tr>
              <th>Asked</th>
              <th>Question</th>
              <th>Nearest topic</th>
            </tr>
          </thead>
          <tbody>
            {report.unanswered.map((group) => (
              <tr key={group.question}>
                <td className="count">{group.count}</td>
                <td>{group.question}</td>
                <td>{group.nearestTopic ?? <i>no topic near</i>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function Insights({ onError }: { onError: (error: Error) => void }) {
  const [report, setReport] = useState<InsightsReport>();
  useEffect(() => poll(async () => setReport(await fetchReport()), REFRESH_MS, onError), [onError]);
  if (!report) return <div className="empty">Reading the sessions…</div>;
  const reasons = Object.fromEntries(
    REASONS.map((reason) => [`${REASON_LABELS[reason]} (${reason})`, report.byReason[reason]]),
  );
  return (
    <section className="insights" aria-label="Insights">
      <p className="insights-window">
        Sessions started {formatWindow(report.from, report.to)}, as <code>npm run insights</code> reports them (
        {report.aiTurns} AI replies, {report.notSureTurns} not sure)
      </p>
      <div className="insights-figures">
        <Figure id="sessions" value={report.sessions} label="sessions" />
        <Figure
          id="containmentRate"
          value={formatPercent(report.containmentRate)}
          label={`contained by the AI (${report.contained})`}
        />
        <Figure id="handedOff" value={report.handedOff} label="reached a person" />
        <Figure id="canceled" value={report.canceled} label="canceled or timed out" />
        <Figure
          id="median"
          value={formatDuration(report.medianSecondsToFirstRepReply)}
          label="median first rep reply"
        />
        <Figure id="p90" value={formatDuration(report.p90SecondsToFirstRepReply)} label="p90 first rep reply" />
      </div>
      <div className="insights-grid">
        {(Object.keys(CHART_TITLES) as ChartName[]).map((name) => (
          <ChartCard key={name} name={name} report={report} />
        ))}
        <Counts title="Handoffs by reason code" counts={reasons} />
        <Counts title="Sentiment at handoff" counts={report.sentiment} />
        <Counts title="Languages at handoff" counts={report.languages} />
        <Unanswered report={report} />
      </div>
    </section>
  );
}

type View = 'desk' | 'insights';

/** The rep desk and the Insights view in one place beside the phone, as tabs: the desk stays live when hidden. */
export function DeskAndInsights({ desk, onError }: { desk: ReactElement; onError: (error: Error) => void }) {
  const [view, setView] = useState<View>('desk');
  const tab = useCallback(
    (name: View, label: string) => (
      <button role="tab" aria-selected={view === name} className="view-tab" onClick={() => setView(name)}>
        {label}
      </button>
    ),
    [view],
  );
  return (
    <div className="views">
      <div role="tablist" className="view-tabs">
        {tab('desk', 'Rep desk')}
        {tab('insights', 'Insights')}
      </div>
      <div className="view" hidden={view !== 'desk'}>
        {desk}
      </div>
      {view === 'insights' && (
        <div className="view">
          <Insights onError={onError} />
        </div>
      )}
    </div>
  );
}
