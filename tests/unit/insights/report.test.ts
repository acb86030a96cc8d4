import type { SessionOutcome } from '../../../assets/insights/outcome.private';
import { buildReport, median, percentile } from '../../../scripts/insights/report';
import { exportedSession } from '../../../scripts/insights/export';
import { formatReport } from '../../../scripts/insights/terminal';

const NUMBER = '+15005550006';
const window = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-04T00:00:00Z') };

let sequence = 0;
function session(startedAt: string, extra: Partial<SessionOutcome> = {}): SessionOutcome {
  sequence += 1;
  return {
    sessionId: `s${sequence}`,
    twilioNumber: NUMBER,
    startedAt,
    aiTurns: 2,
    answeredTurns: 2,
    notSureTurns: 0,
    unanswered: [],
    ...extra,
  };
}

const at = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

function handedOff(
  startedAt: string,
  reasonCode: NonNullable<SessionOutcome['handoff']>['reasonCode'],
  replySeconds: number | null,
  extra: Partial<NonNullable<SessionOutcome['handoff']>> = {},
): SessionOutcome {
  const requestedAt = at(startedAt, 60);
  return session(startedAt, {
    handoff: {
      reasonCode,
      requestedAt,
      sentiment: reasonCode === 'frustrated' ? 'negative' : 'neutral',
      language: 'en',
      ...(replySeconds !== null && { acceptedAt: at(requestedAt, 1), firstRepReplyAt: at(requestedAt, replySeconds) }),
      ...extra,
    },
  });
}

const outcomes = [
  session('2026-12-01T09:00:00Z'),
  session('2026-12-01T10:00:00Z', {
    notSureTurns: 1,
    unanswered: [
      { question: 'Do you sell gift wrapping?', nearestTopic: 'Gift cards', score: 0.3, at: '2026-12-01T10:00:05Z' },
    ],
  }),
  session('2026-12-02T10:00:00Z', {
    notSureTurns: 1,
    unanswered: [
      { question: 'do u offer gift-wrapping??', nearestTopic: 'Gift cards', score: 0.2, at: '2026-12-02T10:00:05Z' },
    ],
  }),
  handedOff('2026-12-01T11:00:00Z', 'contact_requested', 30),
  handedOff('2026-12-02T11:00:00Z', 'frustrated', 90),
  handedOff('2026-12-02T12:00:00Z', 'ai_unable', 400, { language: 'es' }),
  handedOff('2026-12-03T12:00:00Z', 'forbidden_topic', null, {
    canceledAt: '2026-12-03T12:10:00Z',
    canceledReason: 'Task TTL Exceeded',
  }),
  handedOff('2026-12-03T13:00:00Z', 'api', null),
  // Outside the window: before it, at its very end, and on another number.
  session('2026-11-30T23:59:59Z'),
  handedOff('2026-12-04T00:00:00Z', 'api', 5),
  session('2026-12-02T10:00:00Z', { twilioNumber: '+15005550007' }),
];

describe('buildReport', () => {
  it('counts the sessions that started in the window, on the number asked for', () => {
    const report = buildReport(outcomes, { ...window, twilioNumber: NUMBER });
    expect(report).toMatchObject({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-04T00:00:00.000Z',
      sessions: 8,
      contained: 3,
      handedOff: 5,
      containmentRate: 0.375,
      byReason: { contact_requested: 1, frustrated: 1, ai_unable: 1, forbidden_topic: 1, api: 1 },
      canceled: 1,
      medianSecondsToFirstRepReply: 90,
      p90SecondsToFirstRepReply: 400,
      repReplied: 3,
      awaitingRepReply: 1,
      sentiment: { positive: 0, neutral: 4, negative: 1 },
      languages: { en: 4, es: 1 },
      unanswered: [{ question: 'Do you sell gift wrapping?', count: 2, nearestTopic: 'Gift cards' }],
      unansweredQuestions: 2,
      unansweredGroups: 1,
      notSureTurns: 2,
      number: '+***0006',
    });
    expect(report.perDay).toEqual([
      { date: '2026-12-01', sessions: 3, contained: 2, handedOff: 1, containmentRate: 0.6667 },
      { date: '2026-12-02', sessions: 3, contained: 1, handedOff: 2, containmentRate: 0.3333 },
      { date: '2026-12-03', sessions: 2, contained: 0, handedOff: 2, containmentRate: 0 },
    ]);
    expect(report.replyTimes.map((bucket) => bucket.count)).toEqual([0, 1, 1, 0, 1, 0, 0]);
  });

  it('reports every number without --number', () => {
    expect(buildReport(outcomes, window)).toMatchObject({ sessions: 9, contained: 4, number: null });
  });

  it('has no rates or times to show when nothing happened', () => {
    const report = buildReport([], window);
    expect(report).toMatchObject({
      sessions: 0,
      containmentRate: null,
      medianSecondsToFirstRepReply: null,
      p90SecondsToFirstRepReply: null,
      unanswered: [],
    });
    expect(report.perDay.map((day) => day.containmentRate)).toEqual([null, null, null]);
    expect(formatReport(report)).toContain('No unanswered questions.');
  });

  it('shows no phone number, even one a stored question still held', () => {
    const leaky = session('2026-12-01T09:00:00Z', {
      unanswered: [
        { question: 'call me on +1 415 555 0199', nearestTopic: null, score: null, at: '2026-12-01T09:00:01Z' },
      ],
    });
    const report = buildReport([leaky], window);
    expect(report.unanswered[0].question).toBe('call me on +***0199');
    expect(JSON.stringify(exportedSession(leaky))).not.toMatch(/415|5005550006/);
  });
});

describe('the terminal report', () => {
  it('lists the figures and the top unanswered questions with their nearest topic', () => {
    const text = formatReport(buildReport(outcomes, { ...window, twilioNumber: NUMBER }));
    expect(text).toContain('Insights on the sessions started 2026-12-01 to 2026-12-03 for +***0006');
    expect(text).toMatch(/Contained by the AI\s+3\s+37\.5 %/);
    expect(text).toMatch(/forbidden_topic\s+1/);
    expect(text).toMatch(/Canceled or timed out\s+1/);
    expect(text).toContain('median 1 min 30 s, p90 6 min 40 s (3 replied)');
    expect(text).toContain('Languages at handoff          en 4, es 1');
    expect(text).toMatch(/ {4}2 {2}Do you sell gift wrapping\? {2}→ Gift cards/);
  });
});

describe('median and percentile', () => {
  it('take the middle and the nearest rank', () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([4])).toBe(4);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([], 90)).toBeNull();
  });
});
