import { stem, stemmingLanguage } from '../../../../assets/ai/knowledge/stemming.private';

describe('stemming', () => {
  it.each([
    [['ship', 'ships', 'shipped', 'shipping'], 'ship'],
    [['charge', 'charges', 'charged', 'charging'], 'charg'],
    [['refund', 'refunds', 'refunded'], 'refund'],
  ])('meets English forms %p at %p', (forms, expected) => {
    for (const word of forms) expect(stem(word, 'en')).toBe(expected);
  });

  it.each([
    [['cobro', 'cobrar', 'cobraron', 'cobraste'], 'cobr'],
    [['pedido', 'pedidos'], 'ped'],
    [['pago', 'pagar', 'pague'], 'pag'],
  ])('meets Spanish forms %p (accents already dropped) at %p', (forms, expected) => {
    for (const word of forms) expect(stem(word, 'es')).toBe(expected);
  });

  it('stems Spanish as Spanish and every other language as English', () => {
    expect(stemmingLanguage('es')).toBe('es');
    expect(stemmingLanguage('en')).toBe('en');
    expect(stemmingLanguage('fr')).toBe('en');
  });

  it('gives the same stem on a second call, from its cache', () => {
    expect(stem('deliveries', 'en')).toBe(stem('deliveries', 'en'));
    expect(stem('deliveries', 'en')).toBe('deliveri');
  });
});
