import type * as Flex from '@twilio/flex-ui';
import { themeOf, type FlexThemeConfig, type Theme } from '../theme';

/** The colours Flex is drawn with: its base theme (`config.theme.isLight`) and the customer's token overrides. */
export function flexTheme(manager: Flex.Manager): Theme {
  return themeOf((manager.configuration as { theme?: FlexThemeConfig } | undefined)?.theme);
}
