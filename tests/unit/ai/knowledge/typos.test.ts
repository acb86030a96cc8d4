import { editDistance, spellChecker } from '../../../../assets/ai/knowledge/typos.private';

describe('typos', () => {
  it('counts a swap of two neighbours as one edit, and stops counting past the most allowed', () => {
    expect(editDistance('reshcedule', 'reschedule', 2)).toBe(1);
    expect(editDistance('parkng', 'parking', 2)).toBe(1);
    expect(editDistance('outtage', 'outage', 2)).toBe(1);
    expect(editDistance('pizza', 'plaza', 2)).toBe(2);
    expect(editDistance('bitcoin', 'billing', 1)).toBe(2);
  });

  const checker = spellChecker(
    new Map<string, string | null>([
      ['parking', 'park'],
      ['parks', 'park'],
      ['installation', 'instal'],
      ['really', null],
      ['bill', 'bill'],
      ['bull', 'bull'],
    ]),
  );

  it('reads a misspelled word as the nearest known word within the edits its length allows', () => {
    expect(checker.correct('parkng')).toBe('park');
    expect(checker.correct('instalation')).toBe('instal');
    expect(checker.correct('realy')).toBeNull();
  });

  it('reads nothing into short words, far words, or a tie between different words', () => {
    expect(checker.correct('bll')).toBeUndefined();
    expect(checker.correct('pizzeria')).toBeUndefined();
    expect(checker.correct('boll')).toBeUndefined();
  });
});
