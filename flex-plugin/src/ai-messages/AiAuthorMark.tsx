/**
 * The mark on a message the AI wrote: "AI assistant · <its configured name>", so the rep tells the AI's
 * words from the contact's and their own at a glance; the name alone when it already says as much ("AI
 * Assistant", the default). Plain React, usable by the sandbox's desk as well.
 */
import React from 'react';
import { resolveLocale, stringsFor } from '../handoff-card/strings';

export interface AiAuthorMarkProps {
  /** The AI's configured name, as it authored the message. */
  name: string;
  locale?: string;
}

const mark: React.CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: '4px',
  maxWidth: '100%',
  margin: '0 0 4px',
  padding: '0 8px',
  borderRadius: '9999px',
  background: '#F5F0FC',
  border: '1px solid #C6A8F0',
  color: '#5817BD',
  fontSize: '12px',
  fontWeight: 600,
  lineHeight: '20px',
  overflowWrap: 'anywhere',
};

export function AiAuthorMark({ name, locale }: AiAuthorMarkProps) {
  const resolved = resolveLocale(locale);
  const label = stringsFor(resolved).aiMessage;
  // Case aside, the same words: say them once.
  const same = label.localeCompare(name.trim(), resolved, { sensitivity: 'accent' }) === 0;
  return (
    <span style={mark} data-ai-author="">
      {same ? name : `${label} · ${name}`}
    </span>
  );
}
