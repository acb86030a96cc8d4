import React from 'react';
import { render, screen } from '@testing-library/react';
import { AiAuthorMark, aiNameAmong, isAiMessage, postKind } from '../src/ai-messages';

const marker = (kind: string) => ({ handoff: { kind, from: 0, to: 0, part: 1, parts: 1 } });

/** A handoff's thread as the functions post it (assets/flex-handoff.private.ts), then live messages. */
const note = { author: 'Ava', attributes: marker('handoff_note') };
const earlier = { author: 'Ava', attributes: marker('earlier_messages') };
const contactPost = { author: '+15551234567', attributes: marker('transcript') };
const aiPost = { author: 'Ava', attributes: marker('transcript') };
const earlierRepPost = { author: 'Sam Rep', attributes: marker('transcript') };
const liveContact = { author: '+15551234567', attributes: {} };
const liveRep = { author: 'sam_40example_2Ecom', attributes: {} };

describe('which messages the AI wrote', () => {
  test("the note and condensed blocks are always the AI's", () => {
    expect(isAiMessage(note, undefined)).toBe(true);
    expect(isAiMessage(earlier, undefined)).toBe(true);
  });

  test("a transcript post is the AI's when it carries the name the note was posted under", () => {
    expect(isAiMessage(aiPost, 'Ava')).toBe(true);
    expect(isAiMessage(contactPost, 'Ava')).toBe(false);
    expect(isAiMessage(earlierRepPost, 'Ava')).toBe(false);
  });

  test("without the note's name, no transcript post is claimed for the AI", () => {
    expect(isAiMessage(aiPost, undefined)).toBe(false);
  });

  test("messages without the handoff marker are never the AI's, whatever their author", () => {
    expect(isAiMessage(liveContact, 'Ava')).toBe(false);
    expect(isAiMessage(liveRep, 'Ava')).toBe(false);
    expect(isAiMessage({ author: 'Ava', attributes: {} }, 'Ava')).toBe(false);
  });

  test("the AI's name is learned from its note or condensed blocks", () => {
    expect(aiNameAmong([contactPost, aiPost, note])).toBe('Ava');
    expect(aiNameAmong([earlier, contactPost])).toBe('Ava');
    expect(aiNameAmong([contactPost, aiPost, liveRep])).toBeUndefined();
  });

  test.each([
    ['attributes as JSON text', { attributes: JSON.stringify(marker('transcript')) }, 'transcript'],
    ['broken JSON text', { attributes: '{"handoff":' }, undefined],
    ['no attributes', {}, undefined],
    ['null attributes', { attributes: null }, undefined],
    ['a marker of an unknown kind', { attributes: marker('something_else') }, undefined],
    ['a marker that is not an object', { attributes: { handoff: 'handoff_note' } }, undefined],
  ])('postKind reads %s', (_name, message, kind) => {
    expect(postKind(message)).toBe(kind);
  });
});

describe('the AI mark', () => {
  test("names the AI, in the rep's language", () => {
    render(<AiAuthorMark name="Ava" locale="es-ES" />);
    expect(screen.getByText('Asistente de IA · Ava')).toBeInTheDocument();
  });

  test('defaults to English', () => {
    render(<AiAuthorMark name="Ava" />);
    expect(screen.getByText('AI assistant · Ava')).toBeInTheDocument();
  });

  test.each([
    ['the default name', 'AI Assistant', 'en-US', 'AI Assistant'],
    ['the label in other case', 'ai assistant', undefined, 'ai assistant'],
    ["the label in the rep's language", 'Asistente de IA', 'es-ES', 'Asistente de IA'],
  ])('says it once when the name is %s', (_case, name, locale, shown) => {
    const { container } = render(<AiAuthorMark name={name} locale={locale} />);
    expect(container.textContent).toBe(shown);
  });

  test('keeps the label beside a name that only resembles it', () => {
    const { container } = render(<AiAuthorMark name="AI Assistant 2" />);
    expect(container.textContent).toBe('AI assistant · AI Assistant 2');
  });

  test('shows a name carrying markup as typed', () => {
    const { container } = render(<AiAuthorMark name={'<img src=x onerror=alert(1)>'} />);
    expect(screen.getByText('AI assistant · <img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
  });
});
