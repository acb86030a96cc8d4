/**
 * `npm run insights` on known sessions played through the real functions: contained ones, one handoff per
 * reason code, one nobody took, and an unanswered question in three wordings. They come in on a Twilio number
 * of their own, so `--number` keeps other test files' sessions on the shared stack out of the figures. Each
 * figure is checked against what the test did and what Flex got (the tasks' attributes), not against the
 * recorder's own data; the page is opened in Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { newWorkingDirectory, runCli, type CliRun } from '../cli/cli';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { control, expectNoSpecViolations, newContactNumber, sendSms, stackEnv, twilioClient } from '../support/e2e';
import { callHandoff, flex, idle, tasksOf } from '../support/flex';
import type { InsightsReport } from '../../scripts/insights/figures';
import type { ExportedSession } from '../../scripts/insights/export';

expectNoSpecViolations();
jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, '..', 'browser', 'artifacts');

const TWILIO_NUMBER = newContactNumber();
const contact = {
  answered: newContactNumber(),
  kayaks1: newContactNumber(),
  kayaks2: newContactNumber(),
  kayaks3: newContactNumber(),
  pizza: newContactNumber(),
  person: newContactNumber(),
  frustrated: newContactNumber(),
  spanish: newContactNumber(),
  legal: newContactNumber(),
  api: newContactNumber(),
};
const KAYAKS = ['Do you rent kayaks?', 'do u rent kayaks??', 'Can I rent a kayak from you?'];
const PIZZA = 'Do you sell pizza ovens? Text me at 415-555-0123';

let since: Date;
/** Wall-clock bounds of each rep's first reply after the handoff: [at least, at most] seconds. */
const replyBounds: Record<string, [number, number]> = {};
let directory: string;
let jsonRun: CliRun;
let report: InsightsReport;

async function text(from: string, body: string): Promise<string[]> {
  const result = await sendSms({ from, to: TWILIO_NUMBER, body });
  if (result.status !== 200) throw new Error(`webhook answered ${result.status}: ${result.body}`);
  return result.replies;
}

async function taskSidOf(from: string): Promise<string> {
  await idle();
  const [task] = await tasksOf(from);
  if (!task) throw new Error(`no task for ${from}`);
  return task.sid;
}

/** The contact is handed off by its text; a rep accepts and replies `waitMs` later. */
async function handOffAndReply(from: string, body: string, waitMs: number): Promise<void> {
  const started = Date.now();
  await text(from, body);
  const taskSid = await taskSidOf(from);
  await flex('accept', { taskSid });
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await flex('reply', { taskSid, body: 'Hi, Alice here.' });
  await idle();
  // The handoff is requested while the text is handled, the reply sent at least waitMs later; Twilio stamps the
  // rep's message to the whole second, so the recorded reply may be up to a second earlier.
  replyBounds[from] = [waitMs / 1000 - 1, (Date.now() - started) / 1000];
  await flex('complete', { taskSid });
}

function insights(args: string[], env: Record<string, string> = settings()): Promise<CliRun> {
  return runCli('insights', args, env, directory);
}

function settings(): Record<string, string> {
  const env = stackEnv();
  return {
    ACCOUNT_SID: env.ACCOUNT_SID,
    AUTH_TOKEN: env.AUTH_TOKEN,
    TWILIO_API_BASE_URL: env.EMULATOR_URL,
    SYNC_SERVICE_SID: env.SYNC_SERVICE_SID,
  };
}

const windowArgs = () => ['--number', TWILIO_NUMBER, '--since', since.toISOString()];

beforeAll(async () => {
  directory = newWorkingDirectory();
  since = new Date(Date.now() - 1000);
  await control('POST', '/phone-numbers', {
    phoneNumber: TWILIO_NUMBER,
    smsUrl: `${stackEnv().FUNCTIONS_URL}/sms/inbound`,
  });
  // Contained: answered, and three wordings of one question the knowledge base does not cover.
  await text(contact.answered, 'What are your opening hours?');
  await text(contact.answered, 'Thanks!');
  await text(contact.kayaks1, KAYAKS[0]);
  await text(contact.kayaks2, KAYAKS[1]);
  await text(contact.kayaks3, KAYAKS[2]);
  await text(contact.pizza, PIZZA);
  // One handoff per reason code.
  await handOffAndReply(contact.person, 'I want to talk to a person', 0);
  await handOffAndReply(contact.frustrated, 'this is ridiculous', 2500);
  await text(contact.spanish, '¿Dónde está mi pedido?'); // ai_unable at once: no Spanish topic; nobody took it yet
  await text(contact.legal, 'I am considering legal action'); // forbidden_topic; then nobody takes it
  await flex('timeout', { taskSid: await taskSidOf(contact.legal) });
  await text(contact.api, 'Hello');
  const api = await callHandoff({ From: contact.api, reason: 'crm escalation', sentiment: 'negative', language: 'fr' });
  expect(api.status).toBe(200);
  await idle();
  jsonRun = await insights([...windowArgs(), '--json', '--html', 'report.html', '--export', 'sessions.ndjson']);
  expect(jsonRun.stderr).toMatch(/Reading sessions: 10 in \d+ reads?/);
  expect(jsonRun.code).toBe(0);
  report = JSON.parse(jsonRun.stdout) as InsightsReport;
});

const handedOffContacts = () => [contact.person, contact.frustrated, contact.spanish, contact.legal, contact.api];

describe('npm run insights -- --json', () => {
  it('counts the sessions, containment and the handoffs by reason', () => {
    expect(report).toMatchObject({
      from: since.toISOString(),
      sessions: 10,
      contained: 5,
      handedOff: 5,
      containmentRate: 0.5,
      byReason: { contact_requested: 1, frustrated: 1, ai_unable: 1, forbidden_topic: 1, api: 1 },
      canceled: 1,
      repReplied: 2,
      awaitingRepReply: 2,
    });
    expect(Date.parse(report.to)).toBeGreaterThan(since.getTime());
    const today = report.perDay.find((day) => day.date === new Date().toISOString().slice(0, 10));
    expect(today).toEqual({ date: today?.date, sessions: 10, contained: 5, handedOff: 5, containmentRate: 0.5 });
    expect(report.perDay.reduce((sum, day) => sum + day.sessions, 0)).toBe(10);
  });

  it('times the first rep reply from the handoff: median of the two replies, p90 the slower', () => {
    const [fast, slow] = [replyBounds[contact.person], replyBounds[contact.frustrated]];
    const p90 = report.p90SecondsToFirstRepReply as number;
    const median = report.medianSecondsToFirstRepReply as number;
    expect(p90).toBeGreaterThanOrEqual(slow[0]);
    expect(p90).toBeLessThanOrEqual(slow[1]);
    expect(p90).toBeGreaterThanOrEqual(1.5);
    // The median of two is their mean: between the fast reply's lower and the slow reply's bounds.
    expect(median).toBeGreaterThanOrEqual((fast[0] + slow[0]) / 2);
    expect(median).toBeLessThanOrEqual((fast[1] + slow[1]) / 2 + 0.1);
    expect(median).toBeLessThan(p90);
    expect(report.replyTimes.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);
  });

  it('gives sentiment and language at handoff as the Flex tasks carry them', async () => {
    const attributes = await Promise.all(handedOffContacts().map(async (from) => (await tasksOf(from))[0].attributes));
    const count = (name: string) =>
      attributes.reduce<Record<string, number>>((counts, task) => {
        const value = String(task[name]);
        return { ...counts, [value]: (counts[value] ?? 0) + 1 };
      }, {});
    expect(attributes.map((task) => task.handoffReasonCode).sort()).toEqual(
      ['ai_unable', 'api', 'contact_requested', 'forbidden_topic', 'frustrated'].sort(),
    );
    expect(report.sentiment).toEqual({ positive: 0, neutral: 0, negative: 0, ...count('handoffSentiment') });
    expect(report.languages).toEqual(count('handoffLanguage'));
    expect(report.languages).toMatchObject({ es: 1, fr: 1 });
    expect(report.sentiment.negative).toBeGreaterThanOrEqual(2); // frustrated, and the API's own word
  });

  it('groups the three wordings of the unanswered question as one, masked, with its nearest topic', () => {
    expect(report.unanswered).toEqual([
      { question: 'Do you rent kayaks?', count: 3, nearestTopic: expect.any(String) },
      { question: 'Do you sell pizza ovens? Text me at [number]', count: 1, nearestTopic: expect.anything() },
      { question: '¿Dónde está mi pedido?', count: 1, nearestTopic: null },
    ]);
    expect(report).toMatchObject({ unansweredQuestions: 5, unansweredGroups: 3, notSureTurns: 5 });
  });

  it('shows no phone number anywhere', () => {
    const everything = [jsonRun.stdout, readFileSync(join(directory, 'sessions.ndjson'), 'utf8')].join('\n');
    const html = readFileSync(join(directory, 'report.html'), 'utf8');
    for (const number of [TWILIO_NUMBER, ...Object.values(contact)]) {
      expect(everything).not.toContain(number.slice(2));
      expect(html).not.toContain(number.slice(2));
    }
    expect(report.number).toBe(`+***${TWILIO_NUMBER.slice(-4)}`);
  });
});

describe('npm run insights -- --export', () => {
  it('writes one masked line per session with the figures derived from it', () => {
    const lines = readFileSync(join(directory, 'sessions.ndjson'), 'utf8').trim().split('\n');
    const sessions = lines.map((line) => JSON.parse(line) as ExportedSession);
    expect(sessions).toHaveLength(10);
    expect(new Set(sessions.map((session) => session.sessionId)).size).toBe(10);
    expect(sessions.every((session) => session.twilioNumber === `+***${TWILIO_NUMBER.slice(-4)}`)).toBe(true);
    expect(sessions.filter((session) => session.contained)).toHaveLength(5);
    expect(
      sessions
        .map((session) => session.reasonCode)
        .filter(Boolean)
        .sort(),
    ).toEqual(['ai_unable', 'api', 'contact_requested', 'forbidden_topic', 'frustrated'].sort());
    const legal = sessions.find((session) => session.reasonCode === 'forbidden_topic');
    expect(legal).toMatchObject({ canceled: true, handoff: { canceledAt: expect.any(String) } });
    const replied = sessions.filter((session) => session.secondsToFirstRepReply !== null);
    expect(replied.map((session) => session.reasonCode).sort()).toEqual(['contact_requested', 'frustrated']);
    const kayaks = sessions.flatMap((session) => session.unanswered).filter((turn) => /kayak/i.test(turn.question));
    expect(kayaks.map((turn) => turn.question)).toEqual(KAYAKS);
    const pizza = sessions.flatMap((session) => session.unanswered).find((turn) => /pizza/.test(turn.question));
    expect(pizza?.question).toBe('Do you sell pizza ovens? Text me at [number]');
    // The report's nearest topic is the one recorded for these turns.
    expect(report.unanswered[0].nearestTopic).toBe(kayaks[0].nearestTopic);
  });
});

describe('npm run insights (the terminal report)', () => {
  it('prints the figures, and the progress on stderr', async () => {
    const run = await insights(windowArgs());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Sessions\s+10$/m);
    expect(run.stdout).toMatch(/^Contained by the AI\s+5\s+50\.0 %$/m);
    expect(run.stdout).toMatch(/^ {2}forbidden_topic\s+1\s+a topic the AI must not handle$/m);
    expect(run.stdout).toMatch(/^Canceled or timed out\s+1\s+no rep took them$/m);
    expect(run.stdout).toMatch(/^ {4}3 {2}Do you rent kayaks\? {2}→ /m);
    expect(run.stderr).toMatch(/Reading sessions: 10/);
  });

  it('refuses a bad window with exit code 2 before reading anything', async () => {
    const run = await insights(['--since', '2026-12-05', '--until', '2026-12-01']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('--until must be after --since');
    const json = await insights(['--until', 'yesterday', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'insights', ok: false });
  });
});

describe('npm run insights -- --kb-suggestions', () => {
  it('writes the unanswered questions as `? ` lines under their nearest topic, the others under New topics', async () => {
    const run = await insights([...windowArgs(), '--kb-suggestions']);
    expect(run.code).toBe(0);
    const heading = report.unanswered[0].nearestTopic;
    expect(run.stdout).toContain(`## ${heading}\n? Do you rent kayaks?\n`);
    expect(run.stdout).toContain('## New topics\n? ¿Dónde está mi pedido?\n');
    expect(run.stdout).toContain('? Do you sell pizza ovens? Text me at [number]\n');
    const unanswered = run.stdout.split('# Taught by reps')[0];
    expect(unanswered.match(/^\? /gm)).toHaveLength(3);
  });

  it("lists the reps' taught suggestions from the kb-suggestions map, with no phone number", async () => {
    const sync = twilioClient().sync.v1.services(stackEnv().SYNC_SERVICE_SID);
    await sync.syncMaps.create({ uniqueName: 'kb-suggestions' }).catch((error: { code?: number }) => {
      if (error.code !== 54301) throw error;
    });
    const taskSid = `WT${randomBytes(16).toString('hex')}`;
    await sync.syncMaps('kb-suggestions').syncMapItems.create({
      key: `taught-${taskSid}-${Date.now()}`,
      itemTtl: 3600,
      data: {
        kind: 'taught',
        question: 'Do you rent paddle boards? Call 415 555 0199',
        topic: null,
        draftAnswer: 'Not yet: we sell them in our larger stores.',
        taskSid,
        workerSid: `WK${randomBytes(16).toString('hex')}`,
        at: new Date().toISOString(),
      },
    });
    const run = await insights([...windowArgs(), '--kb-suggestions']);
    expect(run.code).toBe(0);
    const [, taught] = run.stdout.split('# Taught by reps\n');
    expect(taught).toContain(
      '## Do you rent paddle boards? Call ***0199\n? Do you rent paddle boards? Call ***0199\n' +
        'Not yet: we sell them in our larger stores.\n',
    );
    expect(run.stdout).not.toContain('555 0199');
  });
});

describe('npm run insights -- --html', () => {
  it('draws the figures and charts in Chromium, with the page alone', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => problems.push(`${message.type()}: ${message.text()}`));
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`fetched ${request.url()}`);
      });
      await page.goto(`file://${join(directory, 'report.html')}`);
      const figure = (id: string) => page.locator(`[data-figure="${id}"] b`).innerText();
      expect(await figure('sessions')).toBe('10');
      expect(await figure('containmentRate')).toBe('50.0 %');
      expect(await figure('handedOff')).toBe('5');
      expect(await figure('canceled')).toBe('1');
      // What Chart.js drew on each canvas (the page's own global; the tests' types know no DOM).
      const charts = await page.evaluate<
        { id: string; width: number; data?: (number | null)[][] }[]
      >(`[...document.querySelectorAll('canvas')].map((canvas) => ({
        id: canvas.id,
        width: canvas.width,
        data: Chart.getChart(canvas)?.data.datasets.map((set) => set.data),
      }))`);
      expect(charts.map((chart) => chart.id)).toEqual(['chart-containment', 'chart-reasons', 'chart-replyTimes']);
      expect(charts.every((chart) => chart.width > 0 && chart.data !== undefined)).toBe(true);
      expect(charts[1].data).toEqual([[1, 1, 1, 1, 1]]);
      expect((charts[2].data?.[0] as number[]).reduce((sum, n) => sum + n, 0)).toBe(2);
      const rows = await page.locator('#unanswered tbody tr').allInnerTexts();
      expect(rows.map((row) => row.split('\t').slice(0, 2))).toEqual([
        ['3', 'Do you rent kayaks?'],
        ['1', 'Do you sell pizza ovens? Text me at [number]'],
        ['1', '¿Dónde está mi pedido?'],
      ]);
      await page.screenshot({ path: join(ARTIFACTS, 'insights-report-page.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
