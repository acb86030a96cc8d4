/**
 * What a deploy uploads as the Functions service's environment: only the variables the functions read
 * (`CONFIG_VARIABLES`), never the CLI's own settings (TWILIO_PHONE_NUMBER, read by setup and doctor) nor
 * local development's (TWILIO_API_BASE_URL would send production's Twilio calls to an emulator).
 */
import { CONFIG_VARIABLES } from '../../assets/runtime/config.private';

/** Twilio gives deployed functions the account's own; twilio-run reads these only to authenticate the deploy. */
const CREDENTIALS = ['ACCOUNT_SID', 'AUTH_TOKEN'] as const;

const LOCAL_ONLY = new Set<string>([...CREDENTIALS, 'TWILIO_API_BASE_URL']);

/** The names a deploy uploads. */
export const DEPLOYED_VARIABLES = CONFIG_VARIABLES.filter((name) => !LOCAL_ONLY.has(name));

/** The settings a deploy reads: the credentials and the variables it uploads. */
export const DEPLOY_SETTINGS = [...CREDENTIALS, ...DEPLOYED_VARIABLES];

export type Credentials = Record<(typeof CREDENTIALS)[number], string>;

/**
 * The `--env` file twilio-run deploys with: the credentials, which it drops before uploading, then the
 * variables. Values are double-quoted with newlines as `\n`, the one form twilio-run's dotenv (6.x: no
 * comments, no escapes but `\n`) reads back unchanged.
 */
export function deployEnvFile(credentials: Credentials, variables: Record<string, string>): string {
  return Object.entries({ ...credentials, ...variables })
    .map(([name, value]) => `${name}="${value.replace(/\r?\n/g, '\\n')}"\n`)
    .join('');
}
