/**
 * The sandbox's Insights view in real headless Chromium: sessions played on the phone and the desk (an answer,
 * an unanswered question, a handoff a rep answers, one left to time out) show up as `npm run insights`'s
 * figures and charts. Then `npm run insights` without credentials reads the same account through this sandbox.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startStack, type RunningStack } from '../../scripts/local-stack';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import type { InsightsReport } from '../../scripts/insights/figures';
import { runCli } from '../cli/cli';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { newContactNumber } from '../support/e2e';

jest.setTimeout(180_000);

const ARTIFACTS = join(__dirname, 'artifacts');
const WAIT = { timeout: 60_000 };

let stack: RunningStack;
let sandbox: RunningSandbox;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  const executablePath = await findChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'insights-chromium-'));
  stack = await startStack({ forkProcess: false });
  sandbox = await startSandbox({
    emulatorUrl: stack.env.EMULATOR_URL,
    accountSid: stack.env.ACCOUNT_SID,
    authToken: stack.env.AUTH_TOKEN,
    port: 0,
  });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 1000 },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await stack?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function openSandbox(contact: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}/?contact=${encodeURIComponent(contact)}`);
  await page.locator('[data-testid="phone-thread"]').waitFor(WAIT);
  return page;
}

const phone = (page: Page) => page.locator('section[aria-label="Contact\'s phone"]');
const desk = (page: Page) => page.locator('section[aria-label="Rep desk"]');
const insights = (page: Page) => page.locator('section[aria-label="Insights"]');
const taskOf = (page: Page, contact: string) => desk(page).locator('.task', { hasText: contact });

/** Texts from the page's contact and waits for the answer containing `answer`. */
async function text(page: Page, body: string, answer: string | RegExp): Promise<void> {
  await phone(page).getByLabel('Text message').fill(body);
  await phone(page).getByRole('button', { name: 'Send' }).click();
  await phone(page).locator('.bubble.received', { hasText: answer }).first().waitFor(WAIT);
}

async function handOff(page: Page, contact: string): Promise<void> {
  await text(page, 'I want to talk to a person', /person/i);
  await taskOf(page, contact).waitFor(WAIT);
  await taskOf(page, contact).locator('.title').click();
}

const figure = (page: Page, id: string) => insights(page).locator(`[data-figure="${id}"] b`);

test('the Insights view shows what was just played, live', async () => {
  const answered = await openSandbox(newContactNumber());
  await text(answered, 'What are your opening hours?', /Monday to Friday/);
  await text(answered, 'Do you rent kayaks?', /not sure/);
  await answered.close();

  const repContact = newContactNumber();
  const page = await openSandbox(repContact);
  await handOff(page, repContact);
  await taskOf(page, repContact).getByRole('button', { name: 'Accept' }).click();
  await taskOf(page, repContact).locator('[data-status="assigned"]').waitFor(WAIT);
  await desk(page).getByLabel('Type a reply').fill('Hi, this is Alice. How can I help?');
  await desk(page).getByRole('button', { name: 'Send' }).click();
  await phone(page).locator('.bubble.received', { hasText: 'Hi, this is Alice' }).waitFor(WAIT);
  await page.close();

  const leftContact = newContactNumber();
  const left = await openSandbox(leftContact);
  await handOff(left, leftContact);
  await taskOf(left, leftContact).getByRole('button', { name: 'Let it time out' }).click();
  await taskOf(left, leftContact).locator('[data-status="canceled"]').waitFor(WAIT);

  await left.getByRole('tab', { name: 'Insights' }).click();
  await expect(desk(left).isVisible()).resolves.toBe(false);
  // The view refreshes itself: the figures settle on what was played (the timeout's event may land last).
  await figure(left, 'canceled').filter({ hasText: /^1$/ }).waitFor(WAIT);
  expect(await figure(left, 'sessions').innerText()).toBe('3');
  expect(await figure(left, 'containmentRate').innerText()).toBe('33.3 %');
  expect(await figure(left, 'handedOff').innerText()).toBe('2');
  expect(await figure(left, 'median').innerText()).toMatch(/^\d+ s$/);
  const unanswered = await insights(left).locator('[data-testid="unanswered"] tbody tr').allInnerTexts();
  expect(unanswered.map((row) => row.split('\t').slice(0, 2))).toEqual([['1', 'Do you rent kayaks?']]);
  const reasons = await insights(left).locator('.insights-card', { hasText: 'Handoffs by reason code' }).innerText();
  expect(reasons).toMatch(/asked for a person \(contact_requested\)\s+2/);
  const drawn = await left.evaluate<{ id: string | null; width: number }[]>(
    `[...document.querySelectorAll('section[aria-label="Insights"] canvas')].map((canvas) => ({
      id: canvas.getAttribute('aria-label'),
      width: canvas.width,
    }))`,
  );
  expect(drawn.map((canvas) => canvas.id)).toEqual([
    'Containment per day',
    'Handoffs by reason',
    'Time from handoff to the first rep reply',
  ]);
  expect(drawn.every((canvas) => canvas.width > 0)).toBe(true);
  await left.screenshot({ path: join(ARTIFACTS, 'insights-view.png') });

  // Back to the desk: it kept its task and state.
  await left.getByRole('tab', { name: 'Rep desk' }).click();
  await taskOf(left, leftContact).locator('[data-status="canceled"]').waitFor(WAIT);
  await left.close();
});

test('npm run insights without credentials reports on the emulator through the sandbox', async () => {
  const run = await runCli('insights', ['--json'], { SANDBOX_URL: sandbox.url });
  expect(run.stderr).toMatch(/Reading sessions: 3/);
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as InsightsReport;
  const view = (await (await fetch(`${sandbox.url}/api/insights`)).json()) as InsightsReport;
  expect(report).toMatchObject({
    sessions: 3,
    contained: 1,
    handedOff: 2,
    canceled: 1,
    byReason: { contact_requested: 2, frustrated: 0, ai_unable: 0, forbidden_topic: 0, api: 0 },
    unanswered: [{ question: 'Do you rent kayaks?', count: 1 }],
    repReplied: 1,
  });
  const { from: _from, to: _to, perDay: _days, ...figures } = report;
  expect(view).toMatchObject(figures);

  const none = await runCli('insights', [], { SANDBOX_URL: 'http://127.0.0.1:9' });
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('No Twilio credentials (ACCOUNT_SID, AUTH_TOKEN) in .env, and no local sandbox');
});
