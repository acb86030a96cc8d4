/**
 * `--html FILE`: the report as one self-contained page a lead can mail or open offline. Chart.js's own build is
 * inlined (no CDN, nothing fetched), the charts' data rides in a JSON script element, and every text is escaped:
 * the unanswered questions are written by contacts. A Content-Security-Policy lets only the page's own two
 * scripts run and forbids any request, so even an unescaped slip could neither run nor send anything.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHART_TITLES, chartConfigs, type ChartName } from './charts';
import { formatDuration, formatPercent, formatWindow, REASON_LABELS, REASONS, type InsightsReport } from './figures';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** JSON inside a `<script>` element: `<` escaped, so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Chart.js's UMD build, as published: its package's main file sits beside it. */
function chartJsSource(): string {
  const source = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  if (/<\/script/i.test(source)) throw new Error('chart.umd.min.js cannot be inlined: it holds "</script"');
  return source;
}

const DRAW_CHARTS = `
const configs = JSON.parse(document.getElementById('chart-configs').textContent);
for (const [name, config] of Object.entries(configs)) {
  new Chart(document.getElementById('chart-' + name), config);
}`;

const sha256 = (script: string) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`;

const STYLE = `
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; background: #f4f5f8;
  color: #121c2d; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
.window { color: #5f6b85; margin: 0 0 20px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin-bottom: 20px; }
.tile { background: #fff; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.tile b { display: block; font-size: 24px; }
.tile span { color: #5f6b85; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
section { background: #fff; border-radius: 8px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08);
  margin-bottom: 16px; }
h2 { font-size: 15px; margin: 0 0 10px; }
.chart { position: relative; height: 260px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e1e3ea; vertical-align: top; }
td.count { text-align: right; width: 4em; font-variant-numeric: tabular-nums; }
.none { color: #8891aa; font-style: italic; }
footer { color: #8891aa; font-size: 12px; margin-top: 8px; }`;

function tile(value: string | number, label: string, id: string): string {
  return `<div class="tile" data-figure="${id}"><b>${escapeHtml(String(value))}</b><span>${escapeHtml(label)}</span></div>`;
}

function chartSection(name: ChartName): string {
  return `<section><h2>${escapeHtml(CHART_TITLES[name])}</h2><div class="chart"><canvas id="chart-${name}" role="img" aria-label="${escapeHtml(CHART_TITLES[name])}"></canvas></div></section>`;
}

function unansweredTable(report: InsightsReport): string {
  if (report.unanswered.length === 0) return '<p class="none">No unanswered questions in this window.</p>';
  const rows = report.unanswered.map(
    ({ question, count, nearestTopic }) =>
      `<tr><td class="count">${count}</td><td>${escapeHtml(question)}</td><td>${
        nearestTopic === null ? '<span class="none">no topic near</span>' : escapeHtml(nearestTopic)
      }</td></tr>`,
  );
  const more =
    report.unansweredGroups > report.unanswered.length
      ? `<p class="none">… and ${report.unansweredGroups - report.unanswered.length} more: npm run insights -- --kb-suggestions</p>`
      : '';
  return `<table id="unanswered"><thead><tr><th>Asked</th><th>Question</th><th>Nearest topic</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function countsTable(title: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts).map(
    ([name, count]) => `<tr><td>${escapeHtml(name)}</td><td class="count">${count}</td></tr>`,
  );
  return `<section><h2>${escapeHtml(title)}</h2>${
    rows.length ? `<table><tbody>${rows.join('')}</tbody></table>` : '<p class="none">No handoffs.</p>'
  }</section>`;
}

export function renderHtml(report: InsightsReport, generatedAt: Date = new Date()): string {
  const library = chartJsSource();
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(library)} ${sha256(DRAW_CHARTS)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
  ].join('; ');
  const span = `${formatWindow(report.from, report.to)}${report.number ? ` · ${report.number}` : ' · all numbers'}`;
  const reasons = Object.fromEntries(
    REASONS.map((reason) => [`${reason} (${REASON_LABELS[reason]})`, report.byReason[reason]]),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Insights · ${escapeHtml(span)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>AI texting insights</h1>
<p class="window">${escapeHtml(span)}</p>
<div class="tiles">
${tile(report.sessions, 'sessions', 'sessions')}
${tile(formatPercent(report.containmentRate), `contained by the AI (${report.contained})`, 'containmentRate')}
${tile(report.handedOff, 'reached a person', 'handedOff')}
${tile(report.canceled, 'canceled or timed out', 'canceled')}
${tile(formatDuration(report.medianSecondsToFirstRepReply), 'median time to first rep reply', 'median')}
${tile(formatDuration(report.p90SecondsToFirstRepReply), 'p90 time to first rep reply', 'p90')}
</div>
<div class="charts">
${(Object.keys(CHART_TITLES) as ChartName[]).map(chartSection).join('\n')}
${countsTable('Handoffs by reason code', reasons)}
${countsTable('Sentiment at handoff', report.sentiment)}
${countsTable('Languages at handoff', report.languages)}
</div>
<section><h2>Questions the AI could not answer (${report.unansweredQuestions} asked, ${report.unansweredGroups} distinct)</h2>
${unansweredTable(report)}
</section>
<footer>flex-sms-handoff · npm run insights · generated ${escapeHtml(generatedAt.toISOString())}</footer>
</main>
<script type="application/json" id="chart-configs">${scriptJson(chartConfigs(report))}</script>
<script>${library}</script>
<script>${DRAW_CHARTS}</script>
</body>
</html>
`;
}
