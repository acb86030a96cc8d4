import { questionTerms, topicTerm } from '../../../../assets/ai/knowledge/terms.private';

describe('search terms', () => {
  it('stems a topic word, and leaves out stop words and words with digits', () => {
    expect(topicTerm('shipping')).toBe('ship');
    expect(topicTerm('the')).toBeNull();
    expect(topicTerm('a1001')).toBeNull();
  });

  it("expands a question's words with the words meaning the same", () => {
    const { alternatives } = questionTerms('I want my money back');
    expect([...alternatives.keys()]).toEqual(['money']);
    expect([...(alternatives.get('money') ?? [])]).toEqual(expect.arrayContaining(['money', 'refund', 'reimburs']));
  });

  it('reads the vocabulary in the question language', () => {
    const spanish = questionTerms('me cobraste dos veces');
    expect([...(spanish.alternatives.get('cobrast') ?? [])]).toContain('charg');
    const english = questionTerms('which page shows the size chart');
    expect(english.alternatives.get('page')).toEqual(new Set(['page']));
  });

  it('makes the other words qualifiers of an intent, and none without one', () => {
    expect(questionTerms('can I return my hiking shoes').qualifiers).toEqual(new Set(['hike', 'shoe']));
    expect(questionTerms("what's the capital of France").qualifiers).toEqual(new Set());
  });

  it('has no terms for a question of numbers and stop words', () => {
    expect(questionTerms('is order 12345 ok?').alternatives.has('12345')).toBe(false);
    expect(questionTerms('ok?').alternatives.size).toBe(0);
  });
});
