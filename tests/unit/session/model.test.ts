import { openSession, startHandoff } from '../../../assets/session/model.private';

describe('starting a handoff', () => {
  const opened = openSession('+15005550006', new Date('2026-11-24T14:02:00Z'));
  const grounds = {
    reason: 'frustrated' as const,
    summary: 'Asked twice about a refund.',
    sentiment: 'negative' as const,
    language: 'en',
  };

  it('leaves the session pending with why, when, and its first attempt', () => {
    const session = startHandoff(opened, grounds, new Date('2026-11-24T14:05:00Z'));
    expect(session.status).toBe('handoff_pending');
    expect(session.handoff).toEqual({ ...grounds, requestedAt: '2026-11-24T14:05:00.000Z', attempt: 1 });
  });

  it('counts a second handoff of the same session as a new attempt, keeping a phrase only when there is one', () => {
    const first = startHandoff(
      opened,
      { ...grounds, phrase: 'Frustrated after 2 unanswered questions' },
      new Date('2026-11-24T14:05:00Z'),
    );
    expect(first.handoff?.phrase).toBe('Frustrated after 2 unanswered questions');
    const second = startHandoff({ ...first, status: 'ai' }, grounds, new Date('2026-11-24T15:00:00Z'));
    expect(second.handoff).toMatchObject({ attempt: 2, requestedAt: '2026-11-24T15:00:00.000Z' });
    expect(second.handoff).not.toHaveProperty('phrase');
  });
});
