import type * as Flex from '@twilio/flex-ui';

/** The rep's Flex locale (the locale selector's choice); undefined before Flex has one. */
export function flexLocale(manager: Flex.Manager): string | undefined {
  try {
    return manager.localization?.localeTag || undefined;
  } catch {
    return undefined;
  }
}
