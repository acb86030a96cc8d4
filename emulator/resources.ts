/** Helpers that give emulated resources Twilio's exact JSON: every schema property, Twilio's dates and URLs. */
import { schemaProperties } from './specs';

/** `https://<sub>.twilio.com<path>`: what Twilio puts in `url` and `links` fields. */
export function twilioUrl(sub: string, path: string): string {
  return `https://${sub}.twilio.com${path}`;
}

/** ISO 8601 without milliseconds, as the v1 APIs (Sync, Conversations, Flex, TaskRouter) write dates. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 2822, as API v2010 writes dates: `Fri, 24 May 2019 17:44:46 +0000`. */
export function rfc2822Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/**
 * The resource as the spec's component schema lists it: every property present, in schema order, null where
 * the emulator has no value. A field the schema lacks is a bug in the emulator, so it throws.
 */
export function shape(component: string, fields: Record<string, unknown>): Record<string, unknown> {
  const properties = schemaProperties(component);
  const unknown = Object.keys(fields).filter((name) => !properties.includes(name));
  if (unknown.length) throw new Error(`${component} has no ${unknown.join(', ')}`);
  return Object.fromEntries(properties.map((name) => [name, fields[name] ?? null]));
}

/** `{SmsFallbackUrl: …}` → `{sms_fallback_url: …}`: settings kept under their parameter names, as JSON fields. */
export function snakeCaseKeys(settings: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase(), value]),
  );
}
