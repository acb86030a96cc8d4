/**
 * `npm run insights`: how much the AI handles, why contacts reach a person, how long they wait for a rep, and
 * what the AI could not answer, read from the session outcomes the functions record in Sync.
 */
// Private assets load each other through Runtime.getAssets(), as deployed; it points at the sources here.
import './runtime-assets';
import { writeFileSync } from 'node:fs';
import { createTwilioClient } from '../assets/twilio/gateway.private';
import { formatKbSuggestions } from '../assets/insights/kb-suggestions.private';
import { maskPhoneNumbers } from '../assets/runtime/logger.private';
import { runCommand } from './admin/command';
import { readSettings, settingProblems, UsageError } from './admin/env';
import { writeExport } from './insights/export';
import { renderHtml } from './insights/html';
import { DEFAULT_DAYS, parseInsightsFlags, type InsightsFlags } from './insights/options';
import { readFromSandbox, readInsights, type InsightsData } from './insights/read';
import { buildReport, inWindow, unansweredGroups } from './insights/report';
import { formatReport } from './insights/terminal';

const HELP = `Usage: npm run insights -- [options]

Reports on the texting sessions that started in a window: sessions, how many the AI contained, handoffs by
reason, handoffs nobody took (canceled or timed out), the time from handoff to the first rep reply (median and
p90), sentiment and language at handoff, and the questions the AI could not answer, near-identical wordings
grouped. Reads the session outcomes the functions keep in Sync (paged: about one read per 100 sessions). No
phone number appears in any output. Reads .env (the process environment overrides it); without Twilio
credentials there, it reports on the local emulator of a running npm start.

Options:
  --since <date>      the window's start, ISO 8601: 2026-12-01 or 2026-12-01T09:30:00Z (UTC unless it says)
                      (default: ${DEFAULT_DAYS} days before --until)
  --until <date>      the window's end (default: now); a bare date includes that whole day
  --number <E.164>    only the sessions that came in on this Twilio number
  --json              print the report as one JSON document (see README.md, "Insights")
  --html <file>       also write the report as one self-contained HTML page with charts
  --export <file>     also write one JSON line per session (NDJSON) for a warehouse or BI tool
  --kb-suggestions    print the unanswered questions and the reps' taught suggestions as knowledge-base
                      lines (? question) under the heading of their nearest topic, instead of the report
  --environment <name>  read .env.<name> when there is one (dev by default)
  --env-file <path>   read this file (default: .env.<environment> if there is one, else .env)
  --help, -h          print this help

Exit code: 0 on success, 1 when reading fails, 2 for a bad flag or setting.`;

const TWILIO_SETTINGS = ['ACCOUNT_SID', 'AUTH_TOKEN', 'TWILIO_API_BASE_URL', 'SYNC_SERVICE_SID'] as const;

/** Reading progress on stderr, so stdout stays the report (or JSON): redrawn on a terminal, once a second else. */
function progressReporter(): { update: (p: { reads: number; sessions: number }) => void; done: () => void } {
  const started = Date.now();
  let shown = 0;
  let last = '';
  const line = (p: { reads: number; sessions: number }) =>
    `Reading sessions: ${p.sessions} in ${p.reads} read${p.reads === 1 ? '' : 's'}`;
  return {
    update(progress) {
      last = line(progress);
      if (process.stderr.isTTY) process.stderr.write(`\r${last}`);
      else if (Date.now() - shown >= 1000) {
        shown = Date.now();
        process.stderr.write(`${last}\n`);
      }
    },
    done() {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${last || 'Reading sessions: none'} (${seconds} s)\n`);
    },
  };
}

/** The window's sessions from the account in the settings, or from the local emulator without credentials. */
async function read(flags: InsightsFlags): Promise<InsightsData> {
  const settings = readSettings(flags.envFile, TWILIO_SETTINGS);
  const progress = progressReporter();
  let data: InsightsData;
  if (!settings.ACCOUNT_SID && !settings.AUTH_TOKEN) {
    const sandboxUrl = process.env.SANDBOX_URL ?? `http://127.0.0.1:${process.env.SANDBOX_PORT ?? 3002}`;
    data = await readFromSandbox(sandboxUrl, flags.window, flags.kbSuggestions);
    progress.update({ reads: data.reads, sessions: data.outcomes.length });
  } else {
    const problems = settingProblems(settings, TWILIO_SETTINGS);
    if (!settings.SYNC_SERVICE_SID) {
      problems.push(
        'SYNC_SERVICE_SID is missing: the Sync service the functions keep sessions in (npm run setup names it).',
      );
    }
    if (problems.length) throw new UsageError(problems);
    const client = createTwilioClient({
      ACCOUNT_SID: settings.ACCOUNT_SID,
      AUTH_TOKEN: settings.AUTH_TOKEN,
      TWILIO_API_BASE_URL: settings.TWILIO_API_BASE_URL,
    });
    data = await readInsights(
      client,
      settings.SYNC_SERVICE_SID as string,
      flags.window,
      { taught: flags.kbSuggestions },
      progress.update,
    );
  }
  progress.done();
  return data;
}

async function main(argv: string[]): Promise<number> {
  const flags = parseInsightsFlags(argv);
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const data = await read(flags);
  const report = buildReport(data.outcomes, flags.window);
  if (flags.html) {
    writeFileSync(flags.html, renderHtml(report));
    process.stderr.write(`Wrote the report's page to ${flags.html}\n`);
  }
  if (flags.exportFile) {
    const count = await writeExport(flags.exportFile, data.outcomes, flags.window);
    process.stderr.write(`Wrote ${count} session${count === 1 ? '' : 's'} to ${flags.exportFile}\n`);
  }
  if (flags.kbSuggestions) {
    const sessions = data.outcomes.filter((outcome) => inWindow(outcome, flags.window));
    // A rep's draft may quote a number as a contact's question may: suggestions show none.
    const taught = data.taught.map((suggestion) => ({
      ...suggestion,
      question: maskPhoneNumbers(suggestion.question),
      ...(suggestion.draftAnswer !== undefined && { draftAnswer: maskPhoneNumbers(suggestion.draftAnswer) }),
    }));
    const suggestions = formatKbSuggestions(unansweredGroups(sessions), taught);
    console.log(suggestions || 'No unanswered questions and no taught suggestions in this window.');
  } else {
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
  }
  return 0;
}

runCommand('insights', main);
