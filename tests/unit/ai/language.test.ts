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

  it.each([
    // English of SMS, typos and slang, that tinyld alone read as it, de, ber, tk and ga: its marker words tell.
    'my sons temprature is 102 what do i do',
    'kiddo needs his kindergarten shots lol when can we come',
    'I got a QR code in my email for my new line, what do I do with it?',
    'my internt is realy slow today',
    'how do i transfer my internt to my new apartmnt',
    'how do i stop all thes junk txts from random numbers',
    'tryna use my phone w a diff carrier, can u unlock it',
    'paid it all, plz turn my lights back on',
    'cant log into the app smh',
  ])('%p is English', (message) => expect(detectLanguage([message])).toBe('en'));

  describe('the detector (tinyld), loaded only for a text the marker words cannot tell', () => {
    // A cold container pays for tinyld's profiles when it loads: a question in English or Spanish must not.
    // Within the isolated registry throughout: a tinyld required after it ends would come from the shared one.
    function withFreshModule(test: (language: typeof LanguageModule, loadDetector: jest.Mock) => void): void {
      const loadDetector = jest.fn(() => jest.requireActual<object>('tinyld'));
      jest.isolateModules(() => {
        jest.doMock('tinyld', loadDetector);
        test(jest.requireActual<typeof LanguageModule>('../../../assets/ai/language.private'), loadDetector);
      });
    }

    it('is not loaded to name a language, nor for English or Spanish the marker words tell', () => {
      withFreshModule((language, loadDetector) => {
        expect(language.languageName('es')).toBe('Spanish');
        expect(language.detectLanguage(['hola'])).toBe('es');
        expect(language.detectLanguage(['What are your opening hours?'])).toBe('en');
        expect(language.detectLanguage(['¿Cuánto tarda el envío a Madrid?'])).toBe('es');
        expect(language.detectLanguage(['cant log into the app smh'])).toBe('en');
        expect(loadDetector).not.toHaveBeenCalled();
      });
    });

    it('names the languages with no marker words, loaded once', () => {
      withFreshModule((language, loadDetector) => {
        expect(language.detectLanguage(['Bonjour, où est ma commande ?'])).toBe('fr');
        expect(language.detectLanguage(['Wo ist meine Bestellung?'])).toBe('de');
        expect(loadDetector).toHaveBeenCalledTimes(1);
      });
    });

    it('decides between as many English as Spanish marker words', () => {
      withFreshModule((language, loadDetector) => {
        // "cual" and "the": one marker each.
        expect(language.detectLanguage(['cual es the price'])).toBe('es');
        expect(loadDetector).toHaveBeenCalledTimes(1);
      });
    });

    it('is not loaded for a text too short for it, which stays English', () => {
      withFreshModule((language, loadDetector) => {
        expect(language.detectLanguage(['ok merci'])).toBe('en');
        expect(loadDetector).not.toHaveBeenCalled();
      });
    });
  });

  it('names languages for summaries', () => {
    expect(languageName('es')).toBe('Spanish');
    expect(languageName('en')).toBe('English');
  });

  it('builds its language names at the first name asked for, once', () => {
    // ICU's display names cost a cold container ~40 ms: a text the AI answers never asks for one.
    const { DisplayNames } = Intl;
    let built = 0;
    Object.assign(Intl, {
      DisplayNames: class extends DisplayNames {
        constructor(...args: ConstructorParameters<typeof DisplayNames>) {
          super(...args);
          built++;
        }
      },
    });
    try {
      jest.isolateModules(() => {
        const language = jest.requireActual<typeof LanguageModule>('../../../assets/ai/language.private');
        expect(language.detectLanguage(['What are your opening hours?'])).toBe('en');
        expect(built).toBe(0);
        expect(language.languageName('es')).toBe('Spanish');
        expect(language.languageName('fr')).toBe('French');
        expect(built).toBe(1);
      });
    } finally {
      Object.assign(Intl, { DisplayNames });
    }
  });
});
