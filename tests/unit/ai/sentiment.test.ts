import { isFrustrated, moodOf, toneOf } from '../../../assets/ai/sentiment.private';

const frustrated = (message: string, language = 'en', previous?: string) =>
  isFrustrated(moodOf(message, language), previous === undefined ? undefined : moodOf(previous, language));

describe('sentiment', () => {
  it('does not take the facts of a case for feelings', () => {
    expect(moodOf('I was charged twice', 'en').score).toBe(0);
    expect(moodOf('the item arrived damaged, wrong size too', 'en').score).toBe(0);
    expect(moodOf('I would like help to cancel my order', 'en').score).toBe(0);
  });

  it('scores Spanish with its own word list, negation included', () => {
    expect(moodOf('excelente servicio, gracias', 'es').score).toBeGreaterThan(0);
    expect(moodOf('estoy muy enojado', 'es').score).toBeLessThan(0);
    expect(moodOf('no estoy contento', 'es').score).toBeLessThan(0);
  });

  it.each([
    ['this is ridiculous', 'en'],
    ['I am so angry, this is the worst service ever', 'en'],
    ['WHERE IS MY ORDER!!!', 'en'],
    ['fuck this', 'en'],
    ['esto es una mierda', 'es'],
    ['estoy harto, pésimo servicio', 'es'],
  ])('%p is frustrated', (message, language) => expect(frustrated(message, language)).toBe(true));

  it.each([
    'I was charged twice',
    'my package is late',
    'still waiting, this is unacceptable',
    'WHERE IS MY ORDER',
    'UPS!!',
  ])('%p alone is not frustrated', (message) => expect(frustrated(message)).toBe(false));

  it('takes negative twice in a row for frustration', () => {
    expect(frustrated('still waiting, this is unacceptable', 'en', 'I am disappointed, no reply yet')).toBe(true);
    expect(frustrated('still waiting, this is unacceptable', 'en', 'where is my order?')).toBe(false);
  });

  it('gives the tone of the conversation, the latest messages weighing most', () => {
    const moods = (...messages: string[]) => messages.map((message) => moodOf(message, 'en'));
    expect(toneOf(moods('where is my order?'))).toBe('neutral');
    expect(toneOf(moods('where is my order?', 'great, thank you so much!'))).toBe('positive');
    expect(toneOf(moods('thanks, great', 'this is terrible, I hate it'))).toBe('negative');
    expect(toneOf([])).toBe('neutral');
  });
});
