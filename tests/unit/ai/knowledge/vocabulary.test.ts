import {
  isEnglishWord,
  isIntent,
  relatedStems,
  synonymsOf,
  usageCount,
} from '../../../../assets/ai/knowledge/vocabulary.private';

describe('the customer-service vocabulary', () => {
  it('finds the words meaning the same, whatever the form of the word asked about', () => {
    expect(synonymsOf('refunds', 'en')).toEqual(expect.arrayContaining(['refund', 'money']));
    expect(synonymsOf('cobraste', 'es')).toEqual(expect.arrayContaining(['pago', 'cobro']));
  });

  it('knows nothing of a word outside it', () => {
    expect(synonymsOf('tent', 'en')).toEqual([]);
  });

  it('keeps each language to itself: an English "page" is not a Spanish "pago", nor "refund" Spanish', () => {
    expect(synonymsOf('page', 'en')).toEqual([]);
    expect(synonymsOf('pages', 'es')).toContain('pago');
    expect(synonymsOf('refund', 'en')).not.toContain('reembolso');
  });

  it('tells the words naming something contacts ask to do', () => {
    expect(isIntent('cancelling', 'en')).toBe(true);
    expect(isIntent('cancelar', 'es')).toBe(true);
    expect(isIntent('shoes', 'en')).toBe(false);
  });

  it("knows WordNet's related English words by stem, and none of a word it does not know", () => {
    expect(relatedStems('kid')).toContain('child');
    expect(relatedStems('feverish')).toContain('fever');
    expect(relatedStems('blackout')).toEqual(expect.arrayContaining(['interrupt']));
    expect(relatedStems('bitcoin')).toEqual([]);
  });

  it('tells everyday words from words naming a particular thing by their usage', () => {
    expect(usageCount('night')).toBeGreaterThan(100);
    expect(usageCount('pizza')).toBeLessThan(5);
    expect(usageCount('bitcoin')).toBe(0);
  });

  it('tells the English words WordNet knows, first and last of its table included, from typos and new words', () => {
    expect(['aa', 'night', 'pizza', 'zyrian'].every(isEnglishWord)).toBe(true);
    expect(['parkng', 'bitcoin', 'a', 'zzzz'].some(isEnglishWord)).toBe(false);
  });
});
