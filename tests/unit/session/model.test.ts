import {
  claimHandoff,
  durationMs,
  HANDOFF_LEASE_MS,
  isSessionOpen,
  newContact,
  openSession,
  startHandoff,
} from '../../../assets/session/model.private';

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

describe('an open session', () => {
  const at = new Date('2026-11-24T14:00:00Z');
  const later = (hours: number) => new Date(at.getTime() + hours * 3_600_000);
  const opened = openSession('+15005550006', at);

  it('reads Conversations timer durations', () => {
    expect(durationMs('P1D')).toBe(86_400_000);
    expect(durationMs('PT4H30M15S')).toBe((4 * 3600 + 30 * 60 + 15) * 1000);
  });

  it("stays the AI's while the contact writes within the idle time", () => {
    expect(isSessionOpen(opened, later(2), 180, 'P1D')).toBe(true);
    expect(isSessionOpen(opened, later(3), 180, 'P1D')).toBe(false);
  });

  it('stays with a person however quiet, until Twilio has closed its conversation for inactivity', () => {
    const handedOff = { ...opened, status: 'handed_off' as const };
    expect(isSessionOpen(handedOff, later(23), 180, 'P1D')).toBe(true);
    expect(isSessionOpen(handedOff, later(25), 180, 'P1D')).toBe(false);
    expect(isSessionOpen(handedOff, later(25), 180)).toBe(true);
  });
});

describe("the handoff's lease", () => {
  const at = new Date('2026-11-24T14:05:00Z');
  const grounds = { reason: 'api' as const, summary: '', sentiment: 'neutral' as const, language: 'en' };
  const pending = {
    ...newContact('+15005550009'),
    session: startHandoff(openSession('+15005550006', at), grounds, at),
  };
  const leaseOf = (record: ReturnType<typeof claimHandoff>) => record?.session?.handoff?.lease;

  it('is taken on a pending handoff nobody works on, for a little longer than a Function runs', () => {
    expect(leaseOf(claimHandoff(pending, 'run-a', at))).toEqual({
      owner: 'run-a',
      until: new Date(at.getTime() + HANDOFF_LEASE_MS).toISOString(),
    });
  });

  it("is refused while another run's lease is live, and taken once it has expired", () => {
    const held = claimHandoff(pending, 'run-a', at)!;
    expect(claimHandoff(held, 'run-b', new Date(at.getTime() + HANDOFF_LEASE_MS - 1))).toBeUndefined();
    expect(leaseOf(claimHandoff(held, 'run-a', new Date(at.getTime() + 1000)))?.owner).toBe('run-a');
    expect(leaseOf(claimHandoff(held, 'run-b', new Date(at.getTime() + HANDOFF_LEASE_MS + 1)))?.owner).toBe('run-b');
  });

  it('is only for work there is: a pending handoff, or a finished one whose contact has joined (late texts)', () => {
    const { session } = pending;
    expect(claimHandoff({ ...pending, session: { ...session, status: 'ai' } }, 'run-a', at)).toBeUndefined();
    const handedOff = { ...pending, session: { ...session, status: 'handed_off' as const } };
    expect(claimHandoff(handedOff, 'run-a', at)).toBeUndefined();
    expect(claimHandoff(handedOff, 'run-a', at, 'handed_off')).toBeUndefined();
    const joined = {
      ...handedOff,
      session: { ...handedOff.session, handoff: { ...session.handoff!, participantSid: 'MB1' } },
    };
    expect(leaseOf(claimHandoff(joined, 'run-a', at, 'handed_off'))?.owner).toBe('run-a');
  });
});
