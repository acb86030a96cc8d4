/**
 * `npm run doctor`: checks, without changing anything, that every piece of Twilio configuration the handoff
 * needs is there and points at this deployment, one line per check, each failure with its fix.
 */
import { createTwilioClient } from '../assets/twilio/gateway.private';
import { runDoctor } from './admin/checks';
import { runCommand } from './admin/command';
import { loadEnv, parseFlags, TARGET_OPTIONS_HELP } from './admin/env';
import { doctorJson, formatDoctor } from './admin/output';

const HELP = `Usage: npm run doctor -- [options]

Checks, read-only: the credentials; that every SID in .env exists in the account; that each number's SMS URL
(and the incoming-message setting of a Messaging Service holding it) and the workspace's task events (its
event callback or an Event Streams sink, exactly one of them) reach this deployment; that every open
handoff conversation has its own webhook, and whose the Conversations service's webhook is; each number's carrier
registration (A2P 10DLC, toll-free verification: a warning only); that the Flex workflow sends a
handed-off text to a human queue; the task channel; the Sync service; whether the active Flex plugin
release carries our plugin, and which version; and handed-off tasks that ended canceled. The numbers checked:
those named (--number, --messaging-service, else TWILIO_PHONE_NUMBER, else the account's only number) and
every other number whose SMS URL, or whose Messaging Service's incoming-message URL, points at this deployment;
each finding names its number. Reads .env (the process environment overrides it).

Options:
${TARGET_OPTIONS_HELP}
  --no-plugin         do not check the Flex plugin (for an account that does without the Handoff card)
  --json              print one JSON document instead of lines
  --env-file <path>   read this file (default: .env.<environment> if there is one, else .env)
  --help, -h          print this help

Exit code: 0 when every check passes, 1 when one fails, 2 for a bad flag or setting.`;

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, 'doctor');
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const env = loadEnv(flags.envFile);
  const report = await runDoctor(createTwilioClient(env), env, flags);
  console.log(flags.json ? doctorJson(report) : formatDoctor(report));
  return report.checks.every((check) => check.ok) ? 0 : 1;
}

runCommand('doctor', main);
