/**
 * Rep assist's panel: up to three knowledge-base answers (and an LLM's draft) for the contact's question, each
 * one click from the rep's message input, and "this answered it" to teach the AI once the rep has replied. A
 * plain React 17 component with no Flex import, so Flex and the local sandbox render the very same panel. It
 * never blocks the rep: it asks in the background, never takes the focus, and a failing function is a quiet
 * "No suggestion", never an error dialog. It never sends anything to the contact: the rep does.
 */
import React, { useEffect, useState } from 'react';
import type { AssistClient, Draft, Suggestions } from './api';
import { panelStringsFor, type PanelStrings } from './strings';
import { LIGHT, PANE_TITLE, paneStyle, type Theme } from '../theme';

export interface SuggestionPanelProps {
  taskSid: string;
  client: AssistClient;
  /** Changes when the contact sends a new message: the panel asks again. */
  refreshKey?: string | number;
  /** Puts a text into the rep's message input (Flex's SetInputText); the rep edits and sends it. */
  onInsert(text: string): void;
  /** The rep's latest reply in the conversation: a new topic's draft answer. */
  repReply?: string;
  /** The rep's locale (Flex's); English for any language without strings. */
  locale?: string;
  /** Flex's theme as Paste tokens; the light theme when absent. */
  theme?: Theme;
}

type State = { status: 'loading' } | { status: 'none' } | { status: 'ready'; answer: Suggestions };

/** Nothing to show: the function failed, or the contact asked nothing the knowledge base can answer. */
function isEmpty(answer: Suggestions): boolean {
  return !answer.question || (answer.suggestions.length === 0 && !answer.drafts);
}

export function SuggestionPanel(props: SuggestionPanelProps) {
  const { taskSid, client, refreshKey, onInsert, repReply, locale, theme = LIGHT } = props;
  const strings = panelStringsFor(locale);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [draft, setDraft] = useState<Draft>();

  useEffect(() => {
    const controller = new AbortController();
    const live = () => !controller.signal.aborted;
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    client.suggest(taskSid, controller.signal).then(
      (answer) => {
        if (!live()) return;
        setState(isEmpty(answer) ? { status: 'none' } : { status: 'ready', answer });
        // The model's seconds never hold back the knowledge base's answers: its draft joins them when it comes.
        if (!answer.drafts || !answer.question) return;
        client.draft(taskSid, controller.signal).then(
          (drafted) => live() && setDraft(drafted),
          () => undefined,
        );
      },
      () => live() && setState({ status: 'none' }),
    );
    return () => controller.abort();
  }, [client, taskSid, refreshKey]);

  const style = styles(theme);
  return (
    <section aria-label={strings.title} data-testid="assist-panel" style={style.panel}>
      <h3 style={style.title}>{strings.title}</h3>
      {state.status === 'loading' && <p style={style.quiet}>{strings.loading}</p>}
      {state.status === 'none' && (
        <p style={style.quiet} role="status">
          {strings.noSuggestion}
        </p>
      )}
      {state.status === 'ready' && (
        <>
          <p style={style.question}>
            <span style={style.weak}>{strings.forQuestion}: </span>“{state.answer.question}”
          </p>
          {draft?.draft && draft.questionId === state.answer.questionId && (
            <Card label={strings.draft} text={draft.draft} strings={strings} style={style} onInsert={onInsert} />
          )}
          {state.answer.suggestions.map((suggestion) => (
            <Card
              key={suggestion.topic}
              label={suggestion.topic}
              badge={suggestion.confident ? strings.confident : undefined}
              text={suggestion.answer}
              strings={strings}
              style={style}
              onInsert={onInsert}
            />
          ))}
        </>
      )}
      {repReply && state.status === 'ready' && (
        <Teach
          key={state.answer.questionId}
          taskSid={taskSid}
          client={client}
          answer={state.answer}
          repReply={repReply}
          strings={strings}
          style={style}
        />
      )}
    </section>
  );
}

interface CardProps {
  label: string;
  badge?: string;
  text: string;
  strings: PanelStrings;
  style: Styles;
  onInsert(text: string): void;
}

function Card({ label, badge, text, strings, style, onInsert }: CardProps) {
  return (
    <article style={style.card}>
      <header style={style.cardHeader}>
        <strong>{label}</strong>
        {badge && <span style={style.badge}>{badge}</span>}
      </header>
      <p style={style.answer}>{text}</p>
      <button
        type="button"
        style={style.button}
        onClick={() => onInsert(text)}
        aria-label={`${strings.insert}: ${label}`}
      >
        {strings.insert}
      </button>
    </article>
  );
}

interface TeachProps {
  taskSid: string;
  client: AssistClient;
  answer: Suggestions;
  repReply: string;
  strings: PanelStrings;
  style: Styles;
}

const NEW_TOPIC = '';

/** "This answered: <question>", the topic (or a new one with the rep's reply as its draft answer), sent once. */
function Teach({ taskSid, client, answer, repReply, strings, style }: TeachProps) {
  const [topic, setTopic] = useState(answer.suggestions[0]?.topic ?? NEW_TOPIC);
  const [draftAnswer, setDraftAnswer] = useState(repReply);
  const [status, setStatus] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  useEffect(() => setDraftAnswer((current) => current || repReply), [repReply]);
  const question = answer.question ?? '';

  if (status === 'sent') {
    return (
      <p style={style.success} role="status">
        {strings.taught}
      </p>
    );
  }
  const send = () => {
    setStatus('sending');
    const lesson = topic === NEW_TOPIC ? { question, topic: null, draftAnswer } : { question, topic };
    client.teach(taskSid, lesson).then(
      () => setStatus('sent'),
      () => setStatus('failed'),
    );
  };
  return (
    <form
      style={style.teach}
      aria-label={strings.teachTitle}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <h4 style={style.teachTitle}>{strings.teachTitle}</h4>
      <p style={style.question}>
        <span style={style.weak}>{strings.answered}: </span>“{question}”
      </p>
      <label style={style.label}>
        {strings.topic}
        <select style={style.field} value={topic} onChange={(event) => setTopic(event.target.value)}>
          {answer.topics.map((heading) => (
            <option key={heading} value={heading}>
              {heading}
            </option>
          ))}
          <option value={NEW_TOPIC}>{strings.newTopic}</option>
        </select>
      </label>
      {topic === NEW_TOPIC && (
        <label style={style.label}>
          {strings.draftAnswer}
          <textarea
            style={{ ...style.field, minHeight: '64px' }}
            value={draftAnswer}
            onChange={(event) => setDraftAnswer(event.target.value)}
          />
        </label>
      )}
      <button
        type="submit"
        style={style.secondaryButton}
        disabled={status === 'sending' || (topic === NEW_TOPIC && !draftAnswer.trim())}
      >
        {strings.teach}
      </button>
      {status === 'failed' && (
        <p style={style.error} role="status">
          {strings.teachFailed}
        </p>
      )}
    </form>
  );
}

type Styles = ReturnType<typeof styles>;

/** Paste's spacing (space20 4px … space60 16px), radii, type scale and the theme's colours. */
function styles(theme: Theme) {
  const button: React.CSSProperties = {
    padding: '4px 12px',
    border: `1px solid ${theme.colorBorderPrimary}`,
    borderRadius: '4px',
    background: theme.colorBackgroundPrimary,
    color: theme.colorTextInverse,
    font: 'inherit',
    fontWeight: 600,
    cursor: 'pointer',
  };
  return {
    panel: { ...paneStyle(theme), margin: '8px 12px', maxHeight: '40vh', overflowY: 'auto' } as React.CSSProperties,
    title: PANE_TITLE,
    quiet: { margin: 0, color: theme.colorTextWeak },
    weak: { color: theme.colorTextWeak },
    question: { margin: '0 0 8px', overflowWrap: 'anywhere' } as React.CSSProperties,
    card: {
      margin: '0 0 8px',
      padding: '8px 12px',
      border: `1px solid ${theme.colorBorderWeaker}`,
      borderRadius: '4px',
      background: theme.colorBackgroundWeak,
    },
    cardHeader: { display: 'flex', gap: '8px', alignItems: 'center', marginBottom: '4px' },
    badge: {
      padding: '0 8px',
      borderRadius: '9999px',
      background: theme.colorBackgroundPrimaryWeakest,
      color: theme.colorTextLink,
      fontSize: '12px',
      fontWeight: 600,
    },
    answer: { margin: '0 0 8px', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as React.CSSProperties,
    button,
    secondaryButton: { ...button, background: theme.colorBackgroundBody, color: theme.colorTextLink },
    teach: {
      display: 'grid',
      gap: '8px',
      marginTop: '12px',
      paddingTop: '12px',
      borderTop: `1px solid ${theme.colorBorderWeaker}`,
    },
    teachTitle: { margin: 0, fontSize: '14px', fontWeight: 600 },
    label: { display: 'grid', gap: '4px', color: theme.colorTextWeak, fontWeight: 500 },
    field: {
      padding: '4px 8px',
      border: `1px solid ${theme.colorBorderWeak}`,
      borderRadius: '4px',
      background: theme.colorBackgroundBody,
      color: theme.colorText,
      font: 'inherit',
    },
    success: { margin: '12px 0 0', color: theme.colorTextSuccess },
    error: { margin: 0, color: theme.colorTextError },
  };
}
