/**
 * The Handoff card: why the AI handed the contact over, how they feel, their language, the summary, when,
 * and the workflow's `flex_*` data. A plain React 17 component with no Flex import, so the plugin and the
 * local sandbox render the very same card. Everything shown is React text (escaped), never HTML.
 */
import React, { useEffect, useMemo, useState } from 'react';
import { isSentiment, readHandoff, type HandoffView } from './attributes';
import { languageName, localTime, timeAgo } from './format';
import { resolveLocale, stringsFor, type CardStrings } from './strings';
import { LIGHT, type Theme } from '../theme';
import { cardStyles, type CardStyles } from './styles';

export interface HandoffCardProps {
  /** The task's attributes (an object, or its JSON). A task that was not handed off renders nothing. */
  attributes: unknown;
  /** The rep's locale (Flex's `manager.localization.localeTag`); the browser's when absent. */
  locale?: string;
  /** IANA time zone for the handoff time; the browser's when absent. */
  timeZone?: string;
  /** Flex's theme as Paste tokens; the light theme when absent. */
  theme?: Theme;
}

/** Summaries longer than this are folded, with a button to read the rest. */
export const SUMMARY_FOLD = 400;

const REFRESH_MS = 30_000;

function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function browserLocale(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

/** What every part of the card gets: its strings and its styles. */
interface Parts {
  strings: CardStrings;
  style: CardStyles;
}

function Field({ label, style, children }: { label: string; style: CardStyles; children: React.ReactNode }) {
  return (
    <>
      <dt style={style.label}>{label}</dt>
      {children}
    </>
  );
}

function Missing({ strings, style }: Parts) {
  return <dd style={style.missing}>{strings.notProvided}</dd>;
}

function Reason({ view, strings, style }: Parts & { view: HandoffView }) {
  const phrase = view.reason ?? (view.reasonCode && strings.reasonCodes[view.reasonCode]);
  if (!phrase) return <Missing strings={strings} style={style} />;
  return (
    <dd style={style.value}>
      {phrase}
      {view.reasonCode && (
        <code style={style.code} title={strings.reasonCodes[view.reasonCode]}>
          {view.reasonCode}
        </code>
      )}
    </dd>
  );
}

function Sentiment({ sentiment, strings, style }: Parts & { sentiment?: string }) {
  if (!sentiment) return <Missing strings={strings} style={style} />;
  const known = isSentiment(sentiment) ? strings.sentiments[sentiment] : undefined;
  return (
    <dd style={style.value}>
      <span style={style.badge(sentiment)} data-sentiment={known ? sentiment : 'unknown'}>
        {known ?? sentiment}
      </span>
    </dd>
  );
}

function Summary({ summary, strings, style }: Parts & { summary?: string }) {
  const [expanded, setExpanded] = useState(false);
  if (!summary) return <dd style={style.missing}>{strings.noSummary}</dd>;
  // Code points, so a fold never splits an emoji or an accented letter made of two.
  const characters = Array.from(summary);
  const folded = characters.length > SUMMARY_FOLD;
  return (
    <dd style={style.summary}>
      {folded && !expanded ? `${characters.slice(0, SUMMARY_FOLD).join('').trimEnd()}…` : summary}
      {folded && (
        <button type="button" style={style.linkButton} aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? strings.showLess : strings.showMore}
        </button>
      )}
    </dd>
  );
}

function HandedOffAt({
  view,
  locale,
  timeZone,
  strings,
  style,
}: Parts & {
  view: HandoffView;
  locale: string;
  timeZone?: string;
}) {
  const now = useNow();
  if (!view.timestamp) return <Missing strings={strings} style={style} />;
  if (!view.handoffAt) return <dd style={style.value}>{view.timestamp}</dd>;
  return (
    <dd style={style.value}>
      <time dateTime={view.handoffAt.toISOString()}>{localTime(view.handoffAt, locale, timeZone)}</time>
      <span style={style.secondary}> · {timeAgo(view.handoffAt, now, locale)}</span>
    </dd>
  );
}

export function HandoffCard({ attributes, locale, timeZone, theme = LIGHT }: HandoffCardProps) {
  const style = useMemo(() => cardStyles(theme), [theme]);
  const view = readHandoff(attributes);
  if (!view) return null;
  const tag = resolveLocale(locale ?? browserLocale());
  const strings = stringsFor(tag);
  return (
    <section style={style.card} aria-label={strings.title}>
      <h2 style={style.title}>{strings.title}</h2>
      <dl style={style.fields}>
        <Field label={strings.reason} style={style}>
          <Reason view={view} strings={strings} style={style} />
        </Field>
        <Field label={strings.sentiment} style={style}>
          <Sentiment sentiment={view.sentiment} strings={strings} style={style} />
        </Field>
        <Field label={strings.language} style={style}>
          {view.language ? (
            <dd style={style.value}>{languageName(view.language, tag)}</dd>
          ) : (
            <Missing strings={strings} style={style} />
          )}
        </Field>
        <Field label={strings.handedOffAt} style={style}>
          <HandedOffAt view={view} locale={tag} timeZone={timeZone} strings={strings} style={style} />
        </Field>
        <Field label={strings.summary} style={style}>
          <Summary summary={view.summary} strings={strings} style={style} />
        </Field>
      </dl>
      {view.custom.length > 0 && (
        <>
          <h3 style={style.section}>{strings.customData}</h3>
          <dl style={style.fields} aria-label={strings.customData}>
            {view.custom.map((entry) => (
              <Field key={entry.key} label={entry.label} style={style}>
                <dd style={style.value} title={entry.key}>
                  {entry.value}
                </dd>
              </Field>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
