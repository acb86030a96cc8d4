/**
 * The Handoff card: why the AI handed the contact over, how they feel, their language, the summary, when,
 * and the workflow's `flex_*` data. A plain React 17 component with no Flex import, so the plugin and the
 * local sandbox render the very same card. Everything shown is React text (escaped), never HTML.
 */
import React, { useEffect, useState } from 'react';
import { isSentiment, readHandoff, type HandoffView } from './attributes';
import { languageName, localTime, timeAgo } from './format';
import { resolveLocale, stringsFor, type CardStrings } from './strings';
import * as style from './styles';

export interface HandoffCardProps {
  /** The task's attributes (an object, or its JSON). A task that was not handed off renders nothing. */
  attributes: unknown;
  /** The rep's locale (Flex's `manager.localization.localeTag`); the browser's when absent. */
  locale?: string;
  /** IANA time zone for the handoff time; the browser's when absent. */
  timeZone?: string;
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

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt style={style.label}>{label}</dt>
      {children}
    </>
  );
}

function Missing({ strings }: { strings: CardStrings }) {
  return <dd style={style.missing}>{strings.notProvided}</dd>;
}

function Reason({ view, strings }: { view: HandoffView; strings: CardStrings }) {
  const phrase = view.reason ?? (view.reasonCode && strings.reasonCodes[view.reasonCode]);
  if (!phrase) return <Missing strings={strings} />;
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

function Sentiment({ sentiment, strings }: { sentiment?: string; strings: CardStrings }) {
  if (!sentiment) return <Missing strings={strings} />;
  const known = isSentiment(sentiment) ? strings.sentiments[sentiment] : undefined;
  return (
    <dd style={style.value}>
      <span style={style.badge(sentiment)} data-sentiment={known ? sentiment : 'unknown'}>
        {known ?? sentiment}
      </span>
    </dd>
  );
}

function Summary({ summary, strings }: { summary?: string; strings: CardStrings }) {
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
}: {
  view: HandoffView;
  locale: string;
  timeZone?: string;
  strings: CardStrings;
}) {
  const now = useNow();
  if (!view.timestamp) return <Missing strings={strings} />;
  if (!view.handoffAt) return <dd style={style.value}>{view.timestamp}</dd>;
  return (
    <dd style={style.value}>
      <time dateTime={view.handoffAt.toISOString()}>{localTime(view.handoffAt, locale, timeZone)}</time>
      <span style={style.secondary}> · {timeAgo(view.handoffAt, now, locale)}</span>
    </dd>
  );
}

export function HandoffCard({ attributes, locale, timeZone }: HandoffCardProps) {
  const view = readHandoff(attributes);
  if (!view) return null;
  const tag = resolveLocale(locale ?? browserLocale());
  const strings = stringsFor(tag);
  return (
    <section style={style.card} aria-label={strings.title}>
      <h2 style={style.title}>{strings.title}</h2>
      <dl style={style.fields}>
        <Field label={strings.reason}>
          <Reason view={view} strings={strings} />
        </Field>
        <Field label={strings.sentiment}>
          <Sentiment sentiment={view.sentiment} strings={strings} />
        </Field>
        <Field label={strings.language}>
          {view.language ? (
            <dd style={style.value}>{languageName(view.language, tag)}</dd>
          ) : (
            <Missing strings={strings} />
          )}
        </Field>
        <Field label={strings.handedOffAt}>
          <HandedOffAt view={view} locale={tag} timeZone={timeZone} strings={strings} />
        </Field>
        <Field label={strings.summary}>
          <Summary summary={view.summary} strings={strings} />
        </Field>
      </dl>
      {view.custom.length > 0 && (
        <>
          <h3 style={style.section}>{strings.customData}</h3>
          <dl style={style.fields} aria-label={strings.customData}>
            {view.custom.map((entry) => (
              <Field key={entry.key} label={entry.label}>
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
