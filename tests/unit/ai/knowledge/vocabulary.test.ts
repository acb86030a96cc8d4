import { isIntent, synonymsOf } from '../../../../assets/ai/knowledge/vocabulary.private';

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
    expect(isIntent('returning', 'en')).toBe(true);
    expect(isIntent('cancelar', 'es')).toBe(true);
    expect(isIntent('shoes', 'en')).toBe(false);
  });
});
