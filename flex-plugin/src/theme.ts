/**
 * The colours the Handoff card and rep assist's panel are drawn with: Twilio Paste's design tokens (the values
 * Flex UI 2.x is drawn with, from @twilio-paste/design-tokens 8, Flex UI 2.17's) for Flex's light and dark base
 * themes, with the customer's own token overrides from Flex's `config.theme.tokens` on top. Inline styles with
 * these tokens instead of Paste's components: those would add about 570 KiB (114 KiB gzipped) to a 13 KiB
 * plugin, since Flex does not lend plugins its copy, and about 180 MB to the root's `npm ci` for the sandbox's
 * copy (see flex-plugin/README.md).
 */
import type { CSSProperties } from 'react';

export const TOKENS = [
  'colorBackgroundBody',
  'colorBackgroundWeak',
  'colorBackgroundStrong',
  'colorBackgroundPrimary',
  'colorBackgroundPrimaryWeakest',
  'colorBackgroundSuccessWeakest',
  'colorBackgroundErrorWeakest',
  'colorText',
  'colorTextWeak',
  'colorTextInverse',
  'colorTextLink',
  'colorTextSuccess',
  'colorTextError',
  'colorBorderWeak',
  'colorBorderWeaker',
  'colorBorderPrimary',
  'colorBorderSuccessWeak',
  'colorBorderErrorWeak',
] as const;

export type Theme = Record<(typeof TOKENS)[number], string>;

export const LIGHT: Theme = {
  colorBackgroundBody: 'rgb(255, 255, 255)',
  colorBackgroundWeak: 'rgb(249, 249, 250)',
  colorBackgroundStrong: 'rgb(225, 227, 234)',
  colorBackgroundPrimary: 'rgb(2, 99, 224)',
  colorBackgroundPrimaryWeakest: 'rgb(235, 244, 255)',
  colorBackgroundSuccessWeakest: 'rgb(237, 253, 243)',
  colorBackgroundErrorWeakest: 'rgb(254, 236, 236)',
  colorText: 'rgb(18, 28, 45)',
  colorTextWeak: 'rgb(96, 107, 133)',
  colorTextInverse: 'rgb(255, 255, 255)',
  colorTextLink: 'rgb(2, 99, 224)',
  colorTextSuccess: 'rgb(14, 124, 58)',
  colorTextError: 'rgb(214, 31, 31)',
  colorBorderWeak: 'rgb(202, 205, 216)',
  colorBorderWeaker: 'rgb(225, 227, 234)',
  colorBorderPrimary: 'rgb(2, 99, 224)',
  colorBorderSuccessWeak: 'rgb(54, 213, 118)',
  colorBorderErrorWeak: 'rgb(245, 138, 138)',
};

export const DARK: Theme = {
  colorBackgroundBody: 'rgb(13, 19, 28)',
  colorBackgroundWeak: 'rgb(18, 28, 45)',
  colorBackgroundStrong: 'rgb(31, 48, 76)',
  colorBackgroundPrimary: 'rgb(2, 99, 224)',
  colorBackgroundPrimaryWeakest: 'rgb(18, 28, 45)',
  colorBackgroundSuccessWeakest: 'rgb(5, 41, 18)',
  colorBackgroundErrorWeakest: 'rgb(49, 12, 12)',
  colorText: 'rgb(244, 244, 246)',
  colorTextWeak: 'rgb(136, 145, 170)',
  colorTextInverse: 'rgb(255, 255, 255)',
  colorTextLink: 'rgb(0, 140, 255)',
  colorTextSuccess: 'rgb(162, 246, 195)',
  colorTextError: 'rgb(235, 86, 86)',
  colorBorderWeak: 'rgb(57, 71, 98)',
  colorBorderWeaker: 'rgb(31, 48, 76)',
  colorBorderPrimary: 'rgb(2, 99, 224)',
  colorBorderSuccessWeak: 'rgb(14, 124, 58)',
  colorBorderErrorWeak: 'rgb(173, 17, 17)',
};

/** Flex's `config.theme`: `isLight` picks the base theme, `tokens` overrides Paste tokens by group. */
export interface FlexThemeConfig {
  isLight?: boolean;
  tokens?: Record<string, Record<string, unknown> | undefined>;
}

/** The base theme Flex runs, with the customer's overrides of the tokens used here. */
export function themeOf(config: FlexThemeConfig | undefined): Theme {
  const theme = { ...(config?.isLight === false ? DARK : LIGHT) };
  for (const group of Object.values(config?.tokens ?? {})) {
    for (const token of TOKENS) {
      const value = group?.[token];
      if (typeof value === 'string' && value) theme[token] = value;
    }
  }
  return theme;
}

/** Paste's body font, the one Flex UI is set in. */
const PASTE_FONT = "'Inter var', 'Inter', -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif";

/** The box the card and the panel are drawn in beside Flex's own: Paste's body type on the theme's body colours. */
export function paneStyle(theme: Theme): CSSProperties {
  return {
    boxSizing: 'border-box',
    padding: '12px 16px',
    border: `1px solid ${theme.colorBorderWeaker}`,
    borderRadius: '8px',
    background: theme.colorBackgroundBody,
    color: theme.colorText,
    fontFamily: PASTE_FONT,
    fontSize: '14px',
    lineHeight: '20px',
  };
}

/** A pane's title: Paste's 16/24 semibold heading. */
export const PANE_TITLE: CSSProperties = { margin: '0 0 8px', fontSize: '16px', lineHeight: '24px', fontWeight: 600 };
