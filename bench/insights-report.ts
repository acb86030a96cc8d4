/**
 * `npm run bench`'s reporting row: 10,000 sessions over 30 days, read from the emulator's Sync with 50 ms added
 * to every Twilio call and reported (the JSON report, the terminal text, the HTML page), the way `npm run
 * insights` does it. The outcomes are seeded through the recorder's own index writer, straight into Sync (a
 * webhook per session would take the bench an hour), before the latency is switched on.
 */
import '../scripts/runtime-assets';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../emulator';
import { controlOk } from '../emulator/testing';
import type { SessionOutcome } from '../assets/insights/outcome.private';
import { eachLimited, writeIndexedOutcome } from '../assets/insights/sessions-index.private';
import { createTwilioClient } from '../assets/twilio/gateway.private';
import { renderHtml } from '../scripts/insights/html';
import { readInsights } from '../scripts/insights/read';
import { buildReport } from '../scripts/insights/report';
import { formatReport } from '../scripts/insights/terminal';
import { REASONS } from '../scripts/insights/figures';
import { randomSequence } from './embedded-ai';

export const SESSIONS = 10_000;
export const DAYS = 30;
/** Writes to the emulator at once while seeding (its per-Map write limit is far above what each Map gets). */
const SEED_CONCURRENCY = 32;

const QUESTIONS = [
  'Do you rent kayaks?',
  'do u rent kayaks',
  'Can I bring my dog into the store?',
  'Is there a student discount?',
  'do you have student discounts',
  'Do you sell pizza ovens?',
  'Can I pay with crypto?',
  'Do you offer gift wrapping?',
  'Is gift wrapping available',
  'Do you ship to Japan?',
];

/** 10,000 sessions spread over the 30 days before `now`: a third handed off, one in five with a question unanswered. */
export function syntheticOutcomes(now: Date, twilioNumber: string): SessionOutcome[] {
  const random = randomSequence(42);
  return Array.from({ length: SESSIONS }, (_, index) => {
    const started = new Date(now.getTime() - random() * DAYS * 86_400_000);
    const at = (seconds: number) => new Date(started.getTime() + seconds * 1000).toISOString();
    const unanswered =
      random() < 0.2
        ? [{ question: QUESTIONS[Math.floor(random() * QUESTIONS.length)], nearestTopic: null, score: null, at: at(5) }]
        : [];
    const outcome: SessionOutcome = {
      sessionId: `${started.getTime().toString(36)}${index.toString(36).padStart(6, '0')}`,
      twilioNumber,
      startedAt: started.toISOString(),
      aiTurns: 3,
      answeredTurns: 3 - unanswered.length,
      notSureTurns: unanswered.length,
      unanswered,
    };
    if (random() < 1 / 3) {
      const canceled = random() < 0.1;
      outcome.handoff = {
        reasonCode: REASONS[Math.floor(random() * REASONS.length)],
        requestedAt: at(60),
        sentiment: random() < 0.3 ? 'negative' : 'neutral',
        language: random() < 0.15 ? 'es' : 'en',
        ...(canceled
          ? { canceledAt: at(600), canceledReason: 'Task TTL Exceeded' }
          : { acceptedAt: at(90), firstRepReplyAt: at(60 + 20 + random() * 400), completedAt: at(900) }),
      };
    }
    return outcome;
  });
}

export interface ReportingMeasurement {
  sessions: number;
  reads: number;
  readMs: number;
  reportMs: number;
  totalMs: number;
  seedMs: number;
}

export async function measureReporting(latencyMs: number): Promise<ReportingMeasurement> {
  const emulator = await startEmulator();
  try {
    const client = createTwilioClient({
      ACCOUNT_SID: emulator.account.sid,
      AUTH_TOKEN: emulator.account.authToken,
      TWILIO_API_BASE_URL: emulator.url,
    });
    const now = new Date();
    const outcomes = syntheticOutcomes(now, emulator.phoneNumber);
    const seedStarted = performance.now();
    const options = { syncServiceSid: emulator.syncServiceSid, retentionSeconds: (DAYS + 30) * 86_400 };
    await eachLimited(outcomes, SEED_CONCURRENCY, (outcome) => writeIndexedOutcome(client, options, outcome, true));
    const seedMs = performance.now() - seedStarted;

    await controlOk(emulator, 'POST', '/latency', { ms: latencyMs });
    const window = { from: new Date(now.getTime() - DAYS * 86_400_000), to: new Date(now.getTime() + 1000) };
    const started = performance.now();
    const data = await readInsights(client, emulator.syncServiceSid, window, { taught: false });
    const read = performance.now();
    const report = buildReport(data.outcomes, window);
    formatReport(report);
    renderHtml(report);
    const done = performance.now();
    if (report.sessions !== SESSIONS) throw new Error(`read ${report.sessions} sessions of ${SESSIONS}`);
    return {
      sessions: report.sessions,
      reads: data.reads,
      readMs: read - started,
      reportMs: done - read,
      totalMs: done - started,
      seedMs,
    };
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  measureReporting(50).then(
    (result) => console.log(result),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
