import { detectLanguage, languageName } from '../../../assets/ai/language.private';
import type * as LanguageModule from '../../../assets/ai/language.private';

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

  it('loads the detector only for a text long enough for it, never to name a language', () => {
    // A cold container pays for tinyld's profiles when it loads: /flex/handoff and short texts must not.
    const loadDetector = jest.fn(() => jest.requireActual<object>('tinyld'));
    jest.isolateModules(() => {
      jest.doMock('tinyld', loadDetector);
      const language = jest.requireActual<typeof LanguageModule>('../../../assets/ai/language.private');
      expect(language.languageName('es')).toBe('Spanish');
      expect(language.detectLanguage(['hola'])).toBe('es');
      expect(loadDetector).not.toHaveBeenCalled();
      expect(language.detectLanguage(['Bonjour, où est ma commande ?'])).toBe('fr');
      expect(language.detectLanguage(['Wo ist meine Bestellung?'])).toBe('de');
      expect(loadDetector).toHaveBeenCalledTimes(1);
    });
  });

  it('names languages for summaries', () => {
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('en')).toBe('English');
  });
});
