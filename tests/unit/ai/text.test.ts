import { keywordsAsWritten, normalize, phrasePattern, truncate } from '../../../assets/ai/text.private';

describe('text helpers', () => {
  it('normalizes case, accents and apostrophes', () => {
    expect(normalize("¿Dónde ESTÁ? Don't")).toBe('¿donde esta? dont');
  });

  it('keeps the meaningful words as written', () => {
    expect(keywordsAsWritten("Hi, where's my Gift Card?")).toEqual(['Gift', 'Card']);
  });

  it('finds phrases as whole words, whatever the spacing', () => {
    const pattern = phrasePattern('Legal Action');
    expect(normalize('Considering LEGAL   action now').search(pattern)).toBeGreaterThanOrEqual(0);
    expect(normalize('legal-action').search(pattern)).toBeGreaterThanOrEqual(0);
    expect(normalize('illegal actions').search(pattern)).toBe(-1);
  });

  it('truncates at a sentence end, else at a word', () => {
    expect(truncate('Short.', 10)).toBe('Short.');
    expect(truncate('First sentence here. Second sentence is longer.', 30)).toBe('First sentence here.');
    expect(truncate('one two three four five six', 12)).toBe('one two…');
  });
});
