/**
 * The command line of `npm run insights`, checked up front: a bad date, a window that ends before it starts or a
 * malformed number fails with a message that names it (exit code 2), before anything is read.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { E164, UsageError } from '../admin/env';
import { DEFAULT_ENVIRONMENT, environmentEnvFile, environmentNameProblem } from '../admin/environment';
import type { ReportWindow } from './report';

export interface InsightsFlags {
  window: ReportWindow;
  environment: string;
  envFile?: string;
  json: boolean;
  html?: string;
  exportFile?: string;
  kbSuggestions: boolean;
  help: boolean;
}

/** Without --since, the report covers this many days before --until (default: now). */
export const DEFAULT_DAYS = 7;

const DAY_MS = 86_400_000;

const OPTIONS = {
  since: { type: 'string' },
  until: { type: 'string' },
  number: { type: 'string', multiple: true },
  environment: { type: 'string' },
  'env-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  html: { type: 'string' },
  'kb-suggestions': { type: 'boolean', default: false },
  export: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

/** Whether the fields name a real calendar day and time ("2026-02-30" and "25:00" do not). */
function isRealDateTime(fields: string[]): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = fields.map((field) => Number(field ?? 0));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

/**
 * An ISO 8601 date or date-time, in UTC unless it says otherwise ("2026-12-01", "2026-12-01T09:30",
 * "2026-12-01T09:30:00-05:00"). A bare date starts at its midnight; as the end of a window (`endOfDay`) it
 * includes that whole day: `--until 2026-12-07` reports up to and including December 7.
 */
export function parseInstant(flag: string, text: string, endOfDay: boolean): Date {
  const problem = new UsageError([
    `${flag} must be an ISO 8601 date such as 2026-12-01 or 2026-12-01T09:30:00Z, not ${JSON.stringify(text)}`,
  ]);
  const date = DATE.exec(text);
  if (date) {
    if (!isRealDateTime(date.slice(1, 4))) throw problem;
    const midnight = Date.parse(`${text}T00:00:00Z`);
    return new Date(endOfDay ? midnight + DAY_MS : midnight);
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime || !isRealDateTime(dateTime.slice(1, 7))) throw problem;
  const at = Date.parse(dateTime[8] ? text : `${text}Z`);
  if (Number.isNaN(at)) throw problem;
  return new Date(at);
}

function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

export function parseInsightsFlags(argv: string[], now: Date = new Date()): InsightsFlags {
  let values: Partial<Record<keyof typeof OPTIONS, string | boolean | string[]>>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS }));
  } catch (error) {
    throw new UsageError([`${(error as Error).message}. See npm run insights -- --help`]);
  }
  const text = (name: keyof typeof OPTIONS) => values[name] as string | undefined;
  const problems: string[] = [];
  const instant = (flag: 'since' | 'until', endOfDay: boolean): Date | undefined => {
    const given = text(flag);
    if (given === undefined) return undefined;
    try {
      return parseInstant(`--${flag}`, given, endOfDay);
    } catch (error) {
      problems.push(...(error as UsageError).problems);
      return undefined;
    }
  };
  const since = instant('since', false);
  const until = instant('until', true);
  const to = until ?? now;
  const from = since ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  const badDate = problems.length > 0;
  if (!badDate && from.getTime() >= to.getTime()) {
    problems.push(
      until
        ? `--until must be after --since: ${formatInstant(to)} is not after ${formatInstant(from)}`
        : `--since ${formatInstant(from)} is not in the past: give --until too for a window in the future`,
    );
  }
  const numbers = (values.number as string[] | undefined) ?? [];
  if (numbers.length > 1) problems.push('--number takes one Twilio number: leave it out to report on all of them');
  for (const number of numbers.filter((n) => !E164.test(n))) {
    problems.push(`--number must be an E.164 number such as +14155550100, not ${JSON.stringify(number)}`);
  }
  const environment = text('environment') ?? DEFAULT_ENVIRONMENT;
  const environmentProblem = environmentNameProblem(environment);
  if (environmentProblem) problems.push(environmentProblem);
  const json = values.json === true;
  const kbSuggestions = values['kb-suggestions'] === true;
  if (json && kbSuggestions) {
    problems.push('--json prints the report and --kb-suggestions the suggestions: give one of them');
  }
  for (const flag of ['html', 'export'] as const) {
    const file = text(flag);
    if (file === '') problems.push(`--${flag} needs a file name`);
    // Found out before the sessions are read, not after.
    else if (file !== undefined && !existsSync(dirname(resolve(file)))) {
      problems.push(`--${flag} ${file}: there is no folder ${dirname(resolve(file))}`);
    }
  }
  if (problems.length) throw new UsageError(problems);
  return {
    window: { from, to, ...(numbers[0] !== undefined && { twilioNumber: numbers[0] }) },
    environment,
    envFile: text('env-file') ?? environmentEnvFile(environment),
    json,
    html: text('html'),
    exportFile: text('export'),
    kbSuggestions,
    help: values.help === true,
  };
}
