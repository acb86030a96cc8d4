/**
 * One piece of the account's configuration as setup and the doctor see it: how it is, what breaks because of
 * it, and what setup would change. Setup applies steps; the doctor only reads them.
 */
import { readTwilioError } from '../../assets/twilio/gateway.private';

export type StepStatus =
  /** As this deployment needs it (setup may still tidy it: see `changes`). */
  | 'ok'
  /** Wrong or missing, and setup can fix it. */
  | 'fixable'
  /** Points at another deployment: setup replaces it only with --force. */
  | 'conflict'
  /** Wrong, and setup cannot fix it: `fix` says how. */
  | 'broken'
  /** Works, but something outside setup's reach may still stop texts (carrier registration): reported only. */
  | 'warning';

export interface FieldChange {
  field: string;
  from: string | null;
  to: string;
}

export interface Step {
  id: string;
  /** What it is about: `Twilio number +15005550006`. */
  subject: string;
  status: StepStatus;
  /** One line: how it is, or what is wrong with it. */
  detail: string;
  /** What goes wrong because of it, in a Flex admin's words. */
  consequence?: string;
  fix?: string;
  /** What setup would change; on an `ok` step, tidy-ups that break nothing. */
  changes: FieldChange[];
  /** A setting setup keeps (a webhook, the workflow), rather than something it only checks. */
  setting?: boolean;
  /** Setup asks this before applying, unless --yes. */
  confirm?: string;
  /** What applying does, as in "would …": `set it`, `create it`. */
  action?: string;
  /** Makes the changes; answers what it did. */
  apply?: () => Promise<string>;
  /** The Twilio numbers it is about, for a step about some. */
  numbers?: string[];
  /** About numbers setup was not asked to change (found pointing at this deployment): reported, never applied. */
  notAsked?: true;
}

/** Twilio's largest list page: an account's numbers and services in as few reads as Twilio allows. */
export const LARGEST_PAGE = 1000;

export function isNotFound(error: unknown): boolean {
  return readTwilioError(error).status === 404;
}

export function isAuthFailure(error: unknown): boolean {
  const { status, code } = readTwilioError(error);
  return code === 20003 || status === 401;
}

/** `Twilio answered 500 (20500): …`, or the error's own message when Twilio was not reached. */
export function describeError(error: unknown): string {
  const { status, code, message } = readTwilioError(error);
  if (status !== undefined) return `Twilio answered ${status}${code ? ` (${code})` : ''}: ${message}`;
  return message;
}

/** A step whose reading failed for a reason other than the ones it handles. */
export function failedStep(id: string, subject: string, error: unknown): Step {
  return {
    id,
    subject,
    status: 'broken',
    detail: `could not be read: ${describeError(error)}`,
    fix: 'Run the command again; if it keeps failing, check status.twilio.com',
    changes: [],
  };
}

/** Reads with `read`, turning an unexpected failure into a broken step instead of ending the run. */
export async function guarded(id: string, subject: string, read: () => Promise<Step[]>): Promise<Step[]> {
  try {
    return await read();
  } catch (error) {
    return [failedStep(id, subject, error)];
  }
}
