/**
 * Inline styles, so the card needs nothing but React wherever it is rendered (Flex, the local sandbox).
 * Spacing and type follow Twilio Paste, the design system Flex UI 2.x is drawn with; colours are the theme's
 * Paste tokens, so the card reads as well in Flex's dark theme and a customer's brand as in the default one.
 */
import type { CSSProperties } from 'react';
import { PANE_TITLE, paneStyle, type Theme } from '../theme';
import { isSentiment, type Sentiment } from './attributes';

export type CardStyles = ReturnType<typeof cardStyles>;

export function cardStyles(theme: Theme) {
  const value: CSSProperties = { margin: 0, minWidth: 0, overflowWrap: 'anywhere' };
  const badges: Record<Sentiment, { background: string; color: string; borderColor: string }> = {
    positive: {
      background: theme.colorBackgroundSuccessWeakest,
      color: theme.colorTextSuccess,
      borderColor: theme.colorBorderSuccessWeak,
    },
    neutral: { background: theme.colorBackgroundWeak, color: theme.colorTextWeak, borderColor: theme.colorBorderWeak },
    negative: {
      background: theme.colorBackgroundErrorWeakest,
      color: theme.colorTextError,
      borderColor: theme.colorBorderErrorWeak,
    },
  };
  return {
    card: { ...paneStyle(theme), margin: '12px', borderLeft: `4px solid ${theme.colorBorderPrimary}` } as CSSProperties,
    title: { ...PANE_TITLE, color: theme.colorText } as CSSProperties,
    fields: {
      display: 'grid',
      gridTemplateColumns: 'minmax(88px, max-content) 1fr',
      columnGap: '12px',
      rowGap: '6px',
      margin: 0,
    } as CSSProperties,
    label: { color: theme.colorTextWeak, fontWeight: 500 } as CSSProperties,
    value,
    missing: { ...value, color: theme.colorTextWeak, fontStyle: 'italic' } as CSSProperties,
    secondary: { color: theme.colorTextWeak } as CSSProperties,
    code: {
      display: 'inline-block',
      marginLeft: '6px',
      padding: '0 6px',
      borderRadius: '4px',
      background: theme.colorBackgroundStrong,
      color: theme.colorText,
      fontFamily: "'Fira Mono', Menlo, Consolas, monospace",
      fontSize: '12px',
      // A code is one token for workflow filters: never broken across lines.
      whiteSpace: 'nowrap',
    } as CSSProperties,
    summary: { ...value, whiteSpace: 'pre-wrap' } as CSSProperties,
    linkButton: {
      display: 'block',
      marginTop: '4px',
      padding: 0,
      border: 'none',
      background: 'none',
      color: theme.colorTextLink,
      font: 'inherit',
      fontWeight: 600,
      cursor: 'pointer',
    } as CSSProperties,
    section: { margin: '12px 0 6px', fontSize: '14px', fontWeight: 600 } as CSSProperties,
    badge(sentiment: string): CSSProperties {
      const colours = badges[isSentiment(sentiment) ? sentiment : 'neutral'];
      return {
        ...colours,
        display: 'inline-block',
        padding: '0 8px',
        border: `1px solid ${colours.borderColor}`,
        borderRadius: '9999px',
        fontSize: '12px',
        fontWeight: 600,
        lineHeight: '20px',
      };
    },
  };
}
