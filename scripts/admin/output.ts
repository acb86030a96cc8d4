/**
 * What setup and the doctor print: for people, one line per step or check (✔ done or fine, → would change,
 * ✖ needs attention) with what it means and how to fix it on the lines below; for automation, one JSON document.
 */
import type { SetupReport, StepResult } from './apply';
import type { Check, DoctorReport } from './checks';
import type { DeploymentNumber } from './numbers';
import type { FieldChange } from './step';

const SYMBOLS: Record<StepResult['outcome'], string> = {
  unchanged: '✔',
  changed: '✔',
  'would-change': '→',
  refused: '✖',
  'not-applied': '✖',
  'not-asked': '✖',
  broken: '✖',
  failed: '✖',
  warning: '⚠',
};

const indent = (text: string) => `    ${text}`;

function changeLine({ field, from, to }: FieldChange): string {
  return indent(`${field}: ${from ?? '(not set)'} → ${to}`);
}

function trouble(consequence: string | undefined, fix: string | undefined): string[] {
  return [...(consequence ? [indent(consequence)] : []), ...(fix ? [indent(`Fix: ${fix}`)] : [])];
}

export function formatResult({ step, outcome, message }: StepResult): string {
  const lines = [`${SYMBOLS[outcome]} ${step.subject}: ${message}`];
  if (outcome === 'changed' || outcome === 'would-change') lines.push(...step.changes.map(changeLine));
  else if (SYMBOLS[outcome] !== '✔') lines.push(...trouble(step.consequence, step.fix));
  return lines.join('\n');
}

/** Which numbers a run was about: those named, then the others found already wired to the deployment. */
function numbersLines(numbers: DeploymentNumber[], command: 'setup' | 'doctor'): string[] {
  const described = (asked: boolean) =>
    numbers.filter((n) => n.asked === asked).map(({ phoneNumber, why }) => `${phoneNumber} (${why})`);
  const [named, found] = [described(true), described(false)];
  const how = command === 'setup' ? 'checked and left as they are' : 'checked too';
  return [
    ...(named.length ? [`Numbers named: ${named.join(', ')}`] : []),
    ...(found.length ? [`Other numbers wired to this deployment, ${how}: ${found.join(', ')}`] : []),
  ];
}

export function formatSetupSummary(report: SetupReport, dryRun: boolean): string {
  const count = (outcome: StepResult['outcome']) => report.results.filter((r) => r.outcome === outcome).length;
  const attention = report.results.filter((r) => SYMBOLS[r.outcome] === '✖').length;
  const done = `${count('changed')} changed, ${count('unchanged')} already as needed`;
  const summary = dryRun
    ? `Dry run: nothing was changed; ${count('would-change')} change(s) planned, ${attention} need attention.`
    : report.ok
      ? `Setup complete: ${done}.`
      : `Setup is not complete: ${done}, ${attention} need attention (✖ above).`;
  return [...numbersLines(report.numbers, 'setup'), summary].join('\n');
}

export function setupJson(report: SetupReport, options: { dryRun: boolean }): string {
  return JSON.stringify(
    {
      command: 'setup',
      ok: report.ok,
      dryRun: options.dryRun,
      domain: report.domain ?? null,
      numbers: report.numbers,
      steps: report.results.map(({ step, outcome, message }) => ({
        id: step.id,
        subject: step.subject,
        ...(step.numbers && { numbers: step.numbers }),
        status: step.status,
        outcome,
        message,
        detail: step.detail,
        changes: step.changes,
        ...(step.consequence && { consequence: step.consequence }),
        ...(step.fix && { fix: step.fix }),
      })),
    },
    null,
    2,
  );
}

export function formatCheck(check: Check): string {
  const symbol = check.warning ? '⚠' : check.ok ? '✔' : '✖';
  const line = `${symbol} ${check.subject}: ${check.detail}`;
  return [line, ...(check.ok && !check.warning ? [] : trouble(check.consequence, check.fix))].join('\n');
}

export function formatDoctor(report: DoctorReport): string {
  const failed = report.checks.filter((check) => !check.ok).length;
  const total = report.checks.length;
  const warnings = report.checks.filter((check) => check.warning).length;
  const warned = warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}: ⚠ above)` : '';
  const summary =
    failed === 0 ? `All ${total} checks passed${warned}.` : `${failed} of ${total} checks failed${warned}.`;
  return [...report.checks.map(formatCheck), '', ...numbersLines(report.numbers, 'doctor'), summary].join('\n');
}

export function doctorJson(report: DoctorReport): string {
  const ok = report.checks.every((check) => check.ok);
  const { domain, numbers, checks } = report;
  return JSON.stringify({ command: 'doctor', ok, domain: domain ?? null, numbers, checks }, null, 2);
}

/** A usage or configuration error: plain lines for people, `{ok: false, errors}` for automation. */
export function formatUsageError(command: string, problems: string[], json: boolean): string {
  if (json) return JSON.stringify({ command, ok: false, errors: problems }, null, 2);
  return problems.map((problem) => `✖ ${problem}`).join('\n');
}
