import type { ReadMessage } from '../../../assets/ai/summary.private';
import { summarize } from '../../../assets/ai/summary.private';

const topic = (heading: string) => ({ keywords: [heading], topic: { id: 0, heading, answer: '…' }, confidence: 1 });
const unanswered = (...keywords: string[]) => ({ keywords, confidence: 0.2 });

function message(body: string, read: Partial<ReadMessage> = {}): ReadMessage {
  return { body, media: [], frustrated: false, ...read };
}

describe('the conversation summary', () => {
  it('tells what the contact asked, what the AI answered and what they asked of the team', () => {
    const summary = summarize({
      messages: [
        message('hi', { at: '2025-03-03T14:02:10Z', intent: 'greeting' }),
        message('how do returns work?', { at: '2025-03-03T14:03:00Z', search: topic('Returns') }),
        message('and the refund?', { at: '2025-03-03T14:04:00Z', search: topic('Refund timing') }),
        message('I was charged twice', { at: '2025-03-03T14:05:00Z', search: unanswered('charged', 'twice') }),
        message('THIS IS A JOKE!!!', { at: '2025-03-03T14:06:00Z', frustrated: true }),
        message('agent', { intent: 'person_request' }),
      ],
      language: 'en',
      tone: 'negative',
      teamReplies: 0,
    });
    expect(summary).toBe(
      'The contact wrote 6 messages since 14:02 UTC, in English. ' +
        'They asked about returns and refund timing; the AI answered both. ' +
        'They then asked about "charged twice", which the AI could not answer. ' +
        'They then sounded frustrated. They then asked for a person. Tone: negative. Latest message: "agent"',
    );
  });

  it('mentions attachments, forbidden topics and the date when the conversation spans days', () => {
    const summary = summarize({
      messages: [
        message('', { at: '2025-03-02T23:58:00Z', media: [{ url: 'https://x/1', contentType: 'image/png' }] }),
        message('about the lawsuit', { at: '2025-03-03T00:01:00Z', forbiddenTopic: 'lawsuit' }),
      ],
      language: 'es',
      tone: 'neutral',
      teamReplies: 2,
    });
    expect(summary).toBe(
      'The contact wrote 2 messages since 2025-03-02 23:58 UTC, in Spanish. They sent a photo the AI cannot open. ' +
        'They then raised lawsuit, a topic for the team. A person from the team has replied 2 times. ' +
        'Tone: neutral. Latest message: "about the lawsuit"',
    );
  });

  it('stays short, leaving out the oldest part and quoting only the latest message, truncated', () => {
    const messages = Array.from({ length: 30 }, (_, index) =>
      message(`question ${index} ${'and more words '.repeat(20)}`, {
        at: 'not a date',
        search: index % 2 ? topic(`Topic ${index}`) : unanswered(`word${index}`),
      }),
    );
    const summary = summarize({ messages, language: 'en', tone: 'neutral', teamReplies: 0 });
    expect(summary.length).toBeLessThanOrEqual(600);
    expect(summary).toMatch(/^The contact wrote 30 messages, in English\. Earlier messages left out\./);
    expect(summary).toContain('asked about topic 29; the AI answered it.');
    expect(summary).not.toContain('question 28');
    expect(summary).toMatch(/Latest message: "question 29 and more words .{80,}…"$/);
  });
});
