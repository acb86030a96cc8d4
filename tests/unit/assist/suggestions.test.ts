/**
 * Rep assist's pure parts: the knowledge-base suggestions for a question, and the masking of a contact's
 * question before it is kept (contract 2's one masking function).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SUGGESTIONS, suggestionsFor } from '../../../assets/assist/assist.private';
import { maskContactText } from '../../../assets/insights/mask.private';

const knowledgeBase = readFileSync(join(__dirname, '..', '..', '..', 'assets', 'knowledge.private.md'), 'utf8');

describe('suggestionsFor', () => {
  test('the topic the AI is sure of, alone', () => {
    expect(suggestionsFor(knowledgeBase, 'how do I return an item')).toEqual([
      { topic: 'Returns', answer: expect.stringContaining('return unworn items'), confident: true },
    ]);
  });

  test('without a sure topic, up to three close ones, none marked sure', () => {
    const suggestions = suggestionsFor(knowledgeBase, 'Can I rent a canoe for the weekend?');
    expect(suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
    expect(suggestions.every((suggestion) => !suggestion.confident)).toBe(true);
  });
});

describe('maskContactText', () => {
  test.each([
    ['my order 123456 never came', 'my order [number] never came'],
    ['call me on +1 (415) 555-0100', 'call me on [number]'],
    ['write to jane.doe+shop@example.co.uk please', 'write to [email] please'],
    ['card 4111 1111 1111 1111 was charged twice', 'card [card] was charged twice'],
    ['card 4111-1111-1111-1111', 'card [card]'],
  ])('%s', (text, masked) => {
    expect(maskContactText(text)).toBe(masked);
  });

  test('keeps the small numbers a question is about', () => {
    expect(maskContactText('can I return size 9 shoes after 30 days?')).toBe(
      'can I return size 9 shoes after 30 days?',
    );
  });
});
