/**
 * `npm run setup`: after a deploy, points the Twilio numbers named and the Flex workspace's task events at this
 * deployment, checks that the Flex workflow routes handed-off texts to a human queue, the task channel and
 * the Sync service, and prints every change it makes. Running it again changes nothing.
 */
import { createInterface } from 'node:readline/promises';
import { createTwilioClient } from '../assets/twilio/gateway.private';
import { runSetup } from './admin/apply';
import { runCommand } from './admin/command';
import { loadEnv, parseFlags, TARGET_OPTIONS_HELP } from './admin/env';
import { formatResult, formatSetupSummary, setupJson } from './admin/output';

const HELP = `Usage: npm run setup -- [options]

Points your Twilio numbers (SMS URL, and the incoming-message setting of a Messaging Service holding
them) and the Flex workspace's task events (its event callback, or an Event Streams sink when another
integration owns the callback: with --yes) at this deployment; gives open handoff conversations their own
webhook and removes this deployment's old Conversations service webhook (another's stays); reports numbers carriers may filter (A2P 10DLC, toll-free verification); checks that the Flex
workflow sends handed-off texts to a human queue, that the task channel exists, and finds or creates the
Sync service; releases the Flex plugin (the Handoff card) that npm run deploy ships, keeping every plugin
the account's active release carries. Other numbers already wired to this deployment (their SMS URL, or
their Messaging Service's incoming-message URL, points at it) are listed and checked, never changed: name
them with --number to change them. Reads .env (the process environment overrides it). Run it after npm run
deploy; running it again changes nothing.

Options:
${TARGET_OPTIONS_HELP}
  --queue <WQ…>       the human queue the workflow's handoff filter targets
                      (default: the queue handed-off texts land in now)
  --dry-run           print the plan and change nothing
  --force             replace webhooks that point at another deployment; make a Messaging Service
                      that also serves other numbers defer to its numbers (theirs keep their URL)
  --yes, -y           add the workflow's handoff filter, use Event Streams, remove a Flex messaging
                      address, without asking
  --no-plugin         leave the Flex plugin (the Handoff card) out: neither register nor release it
  --json              print one JSON document instead of lines
  --env-file <path>   read this file (default: .env.<environment> if there is one, else .env)
  --help, -h          print this help

Exit code: 0 when everything is set up (or would be, with --dry-run), 1 when something needs attention,
2 for a bad flag or setting.`;

async function askYesNo(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, 'setup');
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const env = loadEnv(flags.envFile);
  const client = createTwilioClient(env);
  // Never wait for an answer that cannot come: no terminal, or output meant for a program.
  const ask = process.stdin.isTTY && !flags.json ? askYesNo : undefined;
  if (flags.dryRun && !flags.json) console.log('Dry run: nothing will be changed.');
  const report = await runSetup(client, env, flags, { ...flags, ask }, (result) => {
    if (!flags.json) console.log(formatResult(result));
  });
  if (flags.json) {
    console.log(setupJson(report, flags));
  } else {
    console.log(formatSetupSummary(report, flags.dryRun));
  }
  return report.ok ? 0 : 1;
}

runCommand('setup', main);
