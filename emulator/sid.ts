import { randomBytes } from 'node:crypto';

/** A Twilio SID: the two-letter resource prefix (AC, IS, MP, SM, MM, ME, PN…) and 32 hex digits. */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A bare 32-hex secret, like an auth token. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}
