import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedEngine } from '../../../assets/ai/embedded.private';
import type { EngineOptions, EngineTurnInput } from '../../../assets/ai/engine.private';
import type { MediaItem, TranscriptEntry } from '../../../assets/session/model.private';

const options: EngineOptions = {
  knowledgeBase: readFileSync(join(__dirname, '..', '..', '..', 'assets', 'knowledge.private.md'), 'utf8'),
  forbiddenTopics: ['lawsuit', 'legal action', 'médico'],
  agentName: 'Ava',
  companyName: 'Acme Outfitters',
};
const engine = createEmbeddedEngine(options);

const photo: MediaItem = { url: 'https://api.twilio.com/Media/ME1', contentType: 'image/jpeg' };

/** A conversation so far: contact messages (strings) each followed by the AI's reply, a minute apart. */
function historyOf(...contactMessages: string[]): TranscriptEntry[] {
  return contactMessages.flatMap((body, index) => {
    const at = new Date(Date.UTC(2025, 2, 3, 14, 2 + index)).toISOString();
    return [
      { id: `SM${index}`, author: 'contact' as const, body, at },
      { id: `SM${index}:reply`, author: 'ai' as const, body: 'An answer.', at },
    ];
  });
}

function respond(body: string, turn: Partial<Omit<EngineTurnInput, 'message'>> & { media?: MediaItem[] } = {}) {
  return engine.respond({
    message: { body, media: turn.media ?? [] },
    history: turn.history ?? [],
    failedAnswers: turn.failedAnswers ?? 0,
    customData: turn.customData ?? {},
  });
}

describe('the embedded engine', () => {
  describe('answers', () => {
    it.each([
      ['when are you open?', 'Monday to Friday'],
      ['where is my package', 'carrier claim'],
      ['I want my money back', 'original payment method'],
      ['where is my order 12345', 'enter your order number'],
      ['Can I return shoes bought on 12/03?', 'within 30 days'],
    ])('%p from the knowledge base, as written', async (question, excerpt) => {
      const turn = await respond(question);
      expect(turn).toMatchObject({ answered: true, language: 'en' });
      expect(turn.reply).toContain(excerpt);
      expect(turn.handoff).toBeUndefined();
    });

    it('says it does not know rather than guess, and counts that as a failure', async () => {
      const turn = await respond('do you sell bicycles?');
      expect(turn.answered).toBe(false);
      expect(turn.reply).toMatch(/not sure.*don't have that information.*AGENT/);
      expect(turn.handoff).toBeUndefined();
    });

    it('greets with its name and the company, in the contact language', async () => {
      expect((await respond('Hi Acme!')).reply).toMatch(/^Hi! I'm Ava, the Acme Outfitters assistant\./);
      const spanish = await respond('buenos días');
      expect(spanish).toMatchObject({ answered: true, language: 'es' });
      expect(spanish.reply).toMatch(/^¡Hola! Soy Ava, el asistente virtual de Acme Outfitters\./);
    });

    it('takes thanks kindly', async () => {
      expect(await respond('thanks!')).toMatchObject({ answered: true, reply: expect.stringMatching(/welcome/) });
      expect((await respond('muchas gracias')).reply).toMatch(/^¡De nada!/);
    });

    it('asks what it can do for a message with nothing to answer, without counting a failure', async () => {
      const turn = await respond('ok', { failedAnswers: 1 });
      expect(turn).toMatchObject({ answered: true, reply: expect.stringMatching(/What can I help you with/) });
      expect(turn.handoff).toBeUndefined();
    });
  });

  describe('hands off', () => {
    it.each(['can I talk to a human', 'real person please', 'AGENT', 'let me talk to a manager', 'speak to someone'])(
      'when the contact asks for a person: %p',
      async (message) => {
        const turn = await respond(message);
        expect(turn.handoff).toEqual({ reason: 'contact_requested', phrase: 'Asked for a person' });
        expect(turn.reply).toMatch(/person from our team.*shortly/);
      },
    );

    it.each(['quiero hablar con una persona', 'un agente por favor', 'hablar con un humano', 'necesito un asesor'])(
      'when the contact asks for a person in Spanish, replying in Spanish: %p',
      async (message) => {
        const turn = await respond(message);
        expect(turn).toMatchObject({ handoff: { reason: 'contact_requested' }, language: 'es' });
        expect(turn.reply).toMatch(/persona de nuestro equipo.*en breve/);
      },
    );

    it('when a forbidden topic comes up, whatever its case and accents, as a whole word', async () => {
      expect((await respond('I am considering LEGAL action over this')).handoff).toEqual({
        reason: 'forbidden_topic',
        phrase: 'Forbidden topic: legal action',
      });
      expect((await respond('necesito un medico')).handoff).toEqual({
        reason: 'forbidden_topic',
        phrase: 'Forbidden topic: médico',
      });
      expect((await respond('is this lawsuits-proof?')).handoff?.reason).not.toBe('forbidden_topic');
    });

    it('when the contact is frustrated: strongly negative, shouting or swearing', async () => {
      for (const message of ['this is ridiculous', 'WHERE IS MY ORDER!!!', 'what the fuck']) {
        const turn = await respond(message);
        expect(turn).toMatchObject({ handoff: { reason: 'frustrated' }, sentiment: 'negative' });
        expect(turn.reply).toMatch(/sorry for the trouble/);
      }
    });

    it('when the contact is negative twice in a row', async () => {
      const second = 'still waiting, this is unacceptable';
      expect((await respond(second)).handoff).toBeUndefined();
      const history = historyOf('I am disappointed, nobody replied');
      expect((await respond(second, { history })).handoff).toEqual({
        reason: 'frustrated',
        phrase: 'Frustrated with the answers',
      });
    });

    it('when the AI fails to answer twice in a row, not once', async () => {
      expect((await respond('do you sell bicycles?', { failedAnswers: 0 })).handoff).toBeUndefined();
      const turn = await respond('what about pizza ovens?', { failedAnswers: 1 });
      expect(turn).toMatchObject({ handoff: { reason: 'ai_unable' }, answered: false });
      expect(turn.handoff?.phrase).toMatch(/^AI could not answer 2 unanswered questions about pizza ovens$/);
      expect(turn.reply).toMatch(/couldn't help with that.*person from our team/);
      expect((await respond('when are you open?', { failedAnswers: 1 })).handoff).toBeUndefined();
    });

    it('at once, in Spanish, for a Spanish question the knowledge base has no Spanish topic for', async () => {
      const turn = await respond('¿Dónde está mi pedido?');
      expect(turn).toMatchObject({ handoff: { reason: 'ai_unable' }, answered: false, language: 'es' });
      expect(turn.handoff?.phrase).toBe('AI could not answer 1 unanswered question about pedido: no topic in Spanish');
      expect(turn.reply).toMatch(/^Siento no haber podido ayudarte.*una persona de nuestro equipo/i);
      const bilingual = createEmbeddedEngine({
        ...options,
        knowledgeBase: `${options.knowledgeBase}\n## Pedidos\nSigue tu pedido con el número que te enviamos por correo.\n`,
      });
      const answered = await bilingual.respond({
        message: { body: '¿Dónde está mi pedido?', media: [] },
        history: [],
        failedAnswers: 0,
        customData: {},
      });
      expect(answered).toMatchObject({
        answered: true,
        reply: 'Sigue tu pedido con el número que te enviamos por correo.',
      });
      expect(answered.handoff).toBeUndefined();
    });

    it('with a phrase that tells the rep what happened before', async () => {
      const history = historyOf('do you repair pizza ovens?');
      const turn = await respond('let me talk to a person', { history, failedAnswers: 2 });
      expect(turn.handoff).toEqual({
        reason: 'contact_requested',
        phrase: 'Asked for a person after 2 unanswered questions about repair pizza ovens',
      });
    });

    it('for the weightiest reason: person, then forbidden topic, then frustration, then failures', async () => {
      const failedOnce = { failedAnswers: 1 };
      expect((await respond('this is bullshit, get me a human about my lawsuit', failedOnce)).handoff?.reason).toBe(
        'contact_requested',
      );
      expect((await respond('this is bullshit, I am filing a lawsuit', failedOnce)).handoff?.reason).toBe(
        'forbidden_topic',
      );
      expect((await respond('this is bullshit, bicycles!', failedOnce)).handoff?.reason).toBe('frustrated');
    });
  });

  describe('with a picture', () => {
    it('says a person can open it, answers the text too, and does not count a failure', async () => {
      const turn = await respond('my jacket arrived damaged', { media: [photo], failedAnswers: 1 });
      expect(turn.answered).toBe(true);
      expect(turn.handoff).toBeUndefined();
      expect(turn.reply).toMatch(/^I can't open pictures or attachments, but a person on our team can\. Reply AGENT/);
      expect(turn.reply).toContain('free replacement');
    });

    it('replies in the contact language, even without text', async () => {
      const history = historyOf('hola, mi chaqueta llegó rota');
      const turn = await respond('', { media: [photo], history });
      expect(turn).toMatchObject({ answered: true, language: 'es' });
      expect(turn.reply).toMatch(/^No puedo abrir fotos ni archivos adjuntos.*AGENTE/);
    });
  });

  describe('reports', () => {
    it('the language of the contact', async () => {
      expect((await respond('¿Dónde está mi pedido?')).language).toBe('es');
      expect((await respond('where is my order?')).language).toBe('en');
      expect((await respond('ok', { history: historyOf('Bonjour, où est ma commande ?') })).language).toBe('fr');
    });

    it('the sentiment of the conversation, the latest messages weighing most', async () => {
      expect((await respond('where is my order?')).sentiment).toBe('neutral');
      expect((await respond('great, thank you so much!')).sentiment).toBe('positive');
      expect((await respond('I am disappointed and sad', { history: historyOf('hi') })).sentiment).toBe('negative');
    });

    it('a summary a rep can read at a glance', async () => {
      const history = historyOf('¿Cómo hago una devolución?', '¿Cuándo recibo mi reembolso?', '¿Venden bicicletas?');
      const turn = await respond('quiero hablar con una persona', { history });
      expect(turn.summary).toBe(
        'The contact wrote 4 messages since 14:02 UTC, in Spanish. ' +
          // The sample knowledge base has no Spanish topics: a person answers Spanish questions.
          'They asked about "devolución", "reembolso" and "bicicletas", which the AI could not answer. ' +
          'They then asked for a person. Tone: neutral. Latest message: "quiero hablar con una persona"',
      );
    });

    it('that a person from the team already replied', async () => {
      const history: TranscriptEntry[] = [
        ...historyOf('my order is late'),
        { id: 'IM1', author: 'agent', body: 'Looking into it.', at: '2025-03-03T15:00:00Z' },
      ];
      expect((await respond('thanks', { history })).summary).toContain('A person from the team has replied 1 time.');
    });
  });

  it('keeps replies under the SMS limit, cut at a sentence', async () => {
    const sentence = 'Our warranty covers every product we sell for life, with a few exceptions. ';
    const longEngine = createEmbeddedEngine({
      ...options,
      knowledgeBase: `## Warranty\n${sentence.repeat(40)}`,
    });
    const turn = await longEngine.respond({
      message: { body: 'warranty?', media: [] },
      history: [],
      failedAnswers: 0,
      customData: {},
    });
    expect(turn.reply.length).toBeLessThanOrEqual(1600);
    expect(turn.reply).toMatch(/exceptions\.$/);
  });

  it('is deterministic: the same input gives the same output', async () => {
    const input: EngineTurnInput = {
      message: { body: 'I was charged twice!', media: [photo] },
      history: historyOf('hola', 'where is my order?'),
      failedAnswers: 1,
      customData: { flex_priority: 'high' },
    };
    const first = await engine.respond(input);
    expect(await engine.respond(input)).toEqual(first);
    expect(await createEmbeddedEngine(options).respond(input)).toEqual(first);
  });
});

describe('the nearest topic of a question it could not answer (for insights)', () => {
  it('names the topic that covered the question best, with the confidence that fell short', async () => {
    const turn = await respond('Do you have a store in Paris?');
    expect(turn.answered).toBe(false);
    expect(turn.nearestTopic).toEqual({ heading: 'Store locations', score: expect.any(Number) });
    expect(turn.nearestTopic!.score).toBeGreaterThan(0);
    expect(turn.nearestTopic!.score).toBeLessThan(0.58);
  });

  it('is null when no topic shares a word with the question, and absent on an answer', async () => {
    expect((await respond('Do you sell pizza?')).nearestTopic).toBeNull();
    expect(await respond('when are you open?')).not.toHaveProperty('nearestTopic');
  });

  it('comes with the handoff when a second question goes unanswered', async () => {
    const turn = await respond('Do you have a store in Paris?', { failedAnswers: 1, history: historyOf('pizza?') });
    expect(turn.handoff?.reason).toBe('ai_unable');
    expect(turn.nearestTopic?.heading).toBe('Store locations');
  });
});
