import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

/** A phone number in E.164 (`+15551234567`), or undefined when it is not a possible phone number. */
export function toE164(raw: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim());
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** A webhook parameter holding a phone number, normalised to E.164. */
export const phoneNumberParam = z.string().transform((raw, ctx) => {
  const e164 = toE164(raw);
  if (!e164) ctx.addIssue({ code: 'custom', message: 'is not a phone number' });
  return e164 ?? '';
});
