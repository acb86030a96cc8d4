import { questionTerms, searchWords, topicTerms, type KnownWords } from '../../../../assets/ai/knowledge/terms.private';

/** A knowledge base that uses these terms, teaches no intent and reads no typo. */
const knowing = (...terms: string[]): KnownWords => ({
  isKnown: (term) => terms.includes(term),
  isIntent: () => false,
  correct: () => undefined,
});

describe('search terms', () => {
  it("stems a topic's words in its language, with no term for stop words and numbers", () => {
    expect(topicTerms('the shipping of 12 items', 'en')).toEqual([null, 'ship', null, null, 'item']);
    expect(topicTerms('los pedidos', 'es')).toEqual([null, 'ped']);
  });

  it('keeps words with digits and letters, and hyphenated words whole', () => {
    expect(topicTerms('5G and 4K on Wi-Fi', 'en')).toEqual(['5g', null, '4k', null, 'wifi', 'wi', 'fi']);
    expect(searchWords('my Wi-Fi check-up', false)).toEqual(['my', 'wifi', 'checkup']);
  });

  it("expands a question's words with the words meaning the same", () => {
    const { alternatives } = questionTerms('I want my money back');
    expect([...alternatives.keys()]).toEqual(['money']);
    expect([...(alternatives.get('money') ?? [])]).toEqual(expect.arrayContaining(['money', 'refund', 'reimburs']));
  });

  it("adds WordNet's related words the knowledge base uses, marked as related, in English only", () => {
    const { alternatives, related, usage } = questionTerms('my kid has a rash', knowing('child'));
    expect(alternatives.get('kid')).toEqual(new Set(['kid', 'child']));
    expect(related).toEqual(new Set(['child']));
    expect(usage.get('kid')).toBeGreaterThan(0);
    const knowingAll: KnownWords = { ...knowing(), isKnown: () => true };
    expect(questionTerms('mi hijo tiene fiebre', knowingAll).related.size).toBe(0);
  });

  it('reads the question in its language, with that language’s vocabulary', () => {
    const spanish = questionTerms('me cobraron dos veces');
    expect(spanish.language).toBe('es');
    expect([...(spanish.alternatives.get('cobr') ?? [])]).toContain('pag');
    const english = questionTerms('which page shows the size chart');
    expect(english.alternatives.get('page')).toEqual(new Set(['page']));
  });

  it('makes the other words qualifiers of an intent, and none without one', () => {
    expect(questionTerms('can I cancel my gym membership').qualifiers).toEqual(new Set(['gym', 'membership']));
    expect(questionTerms("what's the capital of France").qualifiers).toEqual(new Set());
  });

  it('takes the intents the knowledge base teaches', () => {
    const teachingReturn: KnownWords = { ...knowing('return'), isIntent: (term) => term === 'return' };
    expect(questionTerms('can I return my hiking shoes', teachingReturn).qualifiers).toEqual(new Set(['hike', 'shoe']));
    expect(questionTerms('can I return my hiking shoes').qualifiers).toEqual(new Set());
  });

  it('keeps a word with a digit only when the knowledge base uses it: else it is an order number', () => {
    expect([...questionTerms('is there 5G at A1001', knowing('5g')).alternatives.keys()]).toEqual(['5g']);
    expect(questionTerms('is order 12345 ok?').alternatives.has('12345')).toBe(false);
    expect(questionTerms('ok?').alternatives.size).toBe(0);
  });

  it('reads a word neither the knowledge base nor English knows as its typo, and English words as they are', () => {
    const corrections: Record<string, string | null> = { parkng: 'park', realy: null, pizza: 'plaza' };
    const known: KnownWords = { ...knowing('park'), correct: (word) => corrections[word] };
    expect([...questionTerms('is parkng realy free', known).alternatives.keys()]).toEqual(['park', 'free']);
    // "pizza" is an English word: no typo of the knowledge base's "plaza".
    expect([...questionTerms('pizza', known).alternatives.keys()]).toEqual(['pizza']);
  });

  it('reads a letter typed three times or more once', () => {
    expect([...questionTerms('sooo slowww').alternatives.keys()]).toEqual(['slow']);
  });
});
