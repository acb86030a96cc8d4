import { detectLanguage, languageName } from '../../../assets/ai/language.private';

describe('language detection', () => {
  it.each([
    [['where is my package'], 'en'],
    [['I want my money back'], 'en'],
    [['hi'], 'en'],
    [['hola'], 'es'],
    [['gracias'], 'es'],
    [['buenos días'], 'es'],
    [['necesito un asesor'], 'es'],
    [['¿Dónde está mi pedido?'], 'es'],
    [['Bonjour, où est ma commande ?'], 'fr'],
    [['Wo ist meine Bestellung?'], 'de'],
  ])('%p is %p', (messages, language) => expect(detectLanguage(messages)).toBe(language));

  it('falls back to English when the text is too short or unclear to tell', () => {
    expect(detectLanguage(['ok'])).toBe('en');
    expect(detectLanguage(['asdfgh qwerty'])).toBe('en');
    expect(detectLanguage([''])).toBe('en');
  });

  it('reads the latest messages together, so a short reply keeps the conversation language', () => {
    expect(detectLanguage(['¿Cuánto tarda el envío a Madrid?', 'ok'])).toBe('es');
  });

  it('names languages for summaries', () => {
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('en')).toBe('English');
  });
});
