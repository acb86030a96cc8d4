/**
 * Inline styles, so the card needs nothing but React wherever it is rendered (Flex, the local sandbox).
 * Colours and spacing follow Twilio Paste, the design system Flex UI 2.x is drawn with.
 */
import type { CSSProperties } from 'react';
import { isSentiment, type Sentiment } from './attributes';

const text = '#121C2D';
const weak = '#606B85';
const border = '#E1E3EA';

export const card: CSSProperties = {
  boxSizing: 'border-box',
  margin: '12px',
  padding: '12px 16px',
  border: `1px solid ${border}`,
  borderLeft: '4px solid #0263E0',
  borderRadius: '8px',
  background: '#FFFFFF',
  color: text,
  fontFamily: "'Inter var', 'Inter', -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif",
  fontSize: '14px',
  lineHeight: '20px',
};

export const title: CSSProperties = { margin: '0 0 8px', fontSize: '16px', lineHeight: '24px', fontWeight: 600 };

export const fields: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: 'minmax(88px, max-content) 1fr',
  columnGap: '12px',
  rowGap: '6px',
  margin: 0,
};

export const label: CSSProperties = { color: weak, fontWeight: 500 };

export const value: CSSProperties = { margin: 0, minWidth: 0, overflowWrap: 'anywhere' };

export const missing: CSSProperties = { ...value, color: weak, fontStyle: 'italic' };

export const secondary: CSSProperties = { color: weak };

export const code: CSSProperties = {
  display: 'inline-block',
  marginLeft: '6px',
  padding: '0 6px',
  borderRadius: '4px',
  background: '#F4F4F6',
  color: weak,
  fontFamily: "'Fira Mono', Menlo, Consolas, monospace",
  fontSize: '12px',
  // A code is one token for workflow filters: never broken across lines.
  whiteSpace: 'nowrap',
};

export const summary: CSSProperties = { ...value, whiteSpace: 'pre-wrap' };

export const linkButton: CSSProperties = {
  display: 'block',
  marginTop: '4px',
  padding: 0,
  border: 'none',
  background: 'none',
  color: '#0263E0',
  font: 'inherit',
  fontWeight: 600,
  cursor: 'pointer',
};

export const section: CSSProperties = { margin: '12px 0 6px', fontSize: '14px', fontWeight: 600 };

const BADGES: Record<Sentiment, { background: string; color: string; borderColor: string }> = {
  positive: { background: '#EDFDF3', color: '#0E7C3A', borderColor: '#89E2AE' },
  neutral: { background: '#F4F4F6', color: '#394762', borderColor: '#CACDD8' },
  negative: { background: '#FEECEC', color: '#C72323', borderColor: '#F6B1B1' },
};

export function badge(sentiment: string): CSSProperties {
  const colours = BADGES[isSentiment(sentiment) ? sentiment : 'neutral'];
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
}
