import {
  INDEX_SHARDS,
  indexKeyAt,
  indexMapName,
  indexMapNames,
  outcomesToIndex,
  recordAiTurn,
  recordTaskMilestone,
  refreshOutcome,
  shardOf,
} from '../../../assets/insights/outcome.private';
import { closeSession, openSession, startHandoff, type Session } from '../../../assets/session/model.private';

const T0 = new Date('2026-03-31T23:50:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** The session as the store writes it: outcome refreshed. */
function written(session: Session): Session {
  return { ...session, outcome: refreshOutcome(session) };
}

const answered = { answered: true };
const notSure = (heading: string | null, score = 0.31) => ({
  answered: false,
  nearestTopic: heading === null ? null : { heading, score },
});

describe('recordAiTurn', () => {
  it('counts answered and not-sure turns, keeping the not-sure questions masked with their nearest topic', () => {
    let session = openSession('+15005550006', T0);
    session = recordAiTurn(session, answered, 'What are your hours?', at(1));
    session = recordAiTurn(session, notSure('Returns', 0.4567), 'Can I return order 123456?', at(2));
    session = recordAiTurn(session, notSure(null), 'Do you sell pizza?', at(3));
    session = recordAiTurn(
      session,
      { answered: true, handoff: { reason: 'contact_requested' } },
      'Let me talk to a person',
      at(4),
    );
    expect(session.outcome).toEqual({
      sessionId: session.id,
      twilioNumber: '+15005550006',
      startedAt: T0.toISOString(),
      aiTurns: 4,
      answeredTurns: 1,
      notSureTurns: 2,
      unanswered: [
        { question: 'Can I return order [number]?', nearestTopic: 'Returns', score: 0.457, at: at(2).toISOString() },
        { question: 'Do you sell pizza?', nearestTopic: null, score: null, at: at(3).toISOString() },
      ],
    });
  });

  it('keeps the record small: five questions at most, each cut to 200 characters', () => {
    let session = openSession('+15005550006', T0);
    for (let i = 0; i < 14; i++) session = recordAiTurn(session, notSure('Returns'), 'why '.repeat(100), at(i));
    expect(session.outcome?.notSureTurns).toBe(14);
    expect(session.outcome?.unanswered).toHaveLength(5);
    expect(session.outcome?.unanswered[0].question).toHaveLength(200);
  });
});

describe('refreshOutcome', () => {
  it('reads the handoff, the first rep reply, the completion and the end off the session', () => {
    let session = written(openSession('+15005550006', T0));
    session = startHandoff(
      session,
      { reason: 'frustrated', summary: 's', sentiment: 'negative', language: 'es' },
      at(5),
    );
    session = written(recordTaskMilestone(written(session), { kind: 'accepted', at: at(6) }));
    session = written({
      ...session,
      status: 'handed_off',
      recent: [{ id: 'IM1', author: 'agent', body: 'Hola', at: at(7).toISOString() }],
    });
    session = written(closeSession(session, 'task_completed', at(9)));
    expect(session.outcome?.handoff).toEqual({
      reasonCode: 'frustrated',
      requestedAt: at(5).toISOString(),
      sentiment: 'negative',
      language: 'es',
      acceptedAt: at(6).toISOString(),
      firstRepReplyAt: at(7).toISOString(),
      completedAt: at(9).toISOString(),
    });
    expect(session.outcome?.endedAt).toBe(at(9).toISOString());
  });

  it('records a canceled task once, with its reason, and a later handoff replaces the outcome of the earlier', () => {
    let session = written(
      startHandoff(
        openSession('+1', T0),
        { reason: 'ai_unable', summary: '', sentiment: 'neutral', language: 'en' },
        at(1),
      ),
    );
    session = written(recordTaskMilestone(session, { kind: 'canceled', at: at(2), reason: 'timeout' }));
    session = written(recordTaskMilestone(session, { kind: 'canceled', at: at(3), reason: 'later' }));
    expect(session.outcome?.handoff).toMatchObject({ canceledAt: at(2).toISOString(), canceledReason: 'timeout' });
    session = written(
      startHandoff(
        { ...session, status: 'ai' },
        { reason: 'api', summary: '', sentiment: 'neutral', language: 'en' },
        at(4),
      ),
    );
    expect(session.outcome?.handoff).toEqual({
      reasonCode: 'api',
      requestedAt: at(4).toISOString(),
      sentiment: 'neutral',
      language: 'en',
    });
  });

  it('gives a session stored before insights an outcome from what it knows (its old turns uncounted)', () => {
    const { outcome: _none, ...legacy } = openSession('+15005550006', T0);
    expect(refreshOutcome(legacy)).toEqual({
      sessionId: legacy.id,
      twilioNumber: '+15005550006',
      startedAt: T0.toISOString(),
      aiTurns: 0,
      answeredTurns: 0,
      notSureTurns: 0,
      unanswered: [],
    });
  });
});

describe('outcomesToIndex', () => {
  const first = written(recordAiTurn(openSession('+1', T0), answered, 'hours?', T0));

  it('copies a new session at its first message, then not on an ordinary AI turn', () => {
    expect(outcomesToIndex(undefined, first)).toEqual([first.outcome]);
    const steady = written(recordAiTurn(first, answered, 'and Sunday?', at(1)));
    expect(outcomesToIndex(first, steady)).toEqual([]);
  });

  it('copies on a not-sure turn, a handoff, a task milestone and the end', () => {
    const unsure = written(recordAiTurn(first, notSure('Returns'), 'refund?', at(1)));
    expect(outcomesToIndex(first, unsure)).toEqual([unsure.outcome]);
    const handoff = written(
      startHandoff(unsure, { reason: 'ai_unable', summary: '', sentiment: 'neutral', language: 'en' }, at(2)),
    );
    expect(outcomesToIndex(unsure, handoff)).toEqual([handoff.outcome]);
    const accepted = written(recordTaskMilestone(handoff, { kind: 'accepted', at: at(3) }));
    expect(outcomesToIndex(handoff, accepted)).toEqual([accepted.outcome]);
    const closed = written(closeSession(accepted, 'task_completed', at(4)));
    expect(outcomesToIndex(accepted, closed)).toEqual([closed.outcome]);
  });

  it('ends a session that went idle at its last activity when the next one replaces it', () => {
    const idle = { ...written(recordAiTurn(first, answered, 'x', at(1))), lastActivityAt: at(1).toISOString() };
    const next = written(openSession('+1', at(300)));
    const due = outcomesToIndex(idle, next);
    expect(due).toEqual([{ ...idle.outcome, endedAt: at(1).toISOString() }, next.outcome]);
  });

  it('does not copy a closed session again when it is replaced, nor anything for a record without a session', () => {
    const closed = written(closeSession(first, 'opted_out', at(1)));
    expect(outcomesToIndex(closed, written(openSession('+1', at(2)))).map((o) => o.sessionId)).not.toContain(closed.id);
    expect(outcomesToIndex(undefined, undefined)).toEqual([]);
  });
});

describe('the index layout', () => {
  it("names a session's map by the shard of its id, the same whenever it is written", () => {
    const session = openSession('+1', T0);
    expect(indexMapName(session.id)).toBe(`insights-${String(shardOf(session.id)).padStart(2, '0')}`);
    expect(indexMapNames()).toHaveLength(INDEX_SHARDS);
    expect(indexMapNames()).toContain(indexMapName(session.id));
    expect(indexMapNames()[0]).toBe('insights-00');
  });

  it('spreads 1,000 sessions started at once so that no shard takes more than 5 % of them', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const { id } = openSession('+1', T0);
      counts.set(shardOf(id), (counts.get(shardOf(id)) ?? 0) + 1);
    }
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(50);
    expect(counts.size).toBeGreaterThan(INDEX_SHARDS * 0.9);
  });

  it('sorts session ids by start time, as the reader relies on', () => {
    const early = openSession('+1', new Date('2026-03-01T00:00:00.000Z'));
    const late = openSession('+1', new Date('2026-03-01T00:00:00.001Z'));
    expect(early.id < late.id).toBe(true);
    expect(early.id >= indexKeyAt(new Date('2026-03-01T00:00:00.000Z'))).toBe(true);
    expect(early.id < indexKeyAt(new Date('2026-03-01T00:00:00.001Z'))).toBe(true);
  });
});
