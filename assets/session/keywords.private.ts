/** Carrier-grade messaging keywords, as Twilio's default opt-out handling knows them. */

export type Keyword = 'opt_out' | 'opt_in' | 'help';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);
const HELP = new Set(['HELP', 'INFO']);

/**
 * The keyword a message is, if any: Twilio's `OptOutType` (Advanced Opt-Out) wins, else the whole body,
 * trimmed and in any case, must be one of the words.
 */
export function keywordOf(body: string, optOutType?: string): Keyword | undefined {
  const type = optOutType?.toUpperCase();
  if (type === 'STOP') return 'opt_out';
  if (type === 'START') return 'opt_in';
  if (type === 'HELP') return 'help';
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  if (HELP.has(word)) return 'help';
  return undefined;
}
