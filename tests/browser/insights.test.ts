/**
 * The sandbox's Insights view in real headless Chromium: sessions played on the phone and the desk (an answer,
 * an unanswered question, a handoff a rep answers, one left to time out) show up as `npm run insights`'s
 * figures and charts. Then `npm run insights` without credentials reads the same account through this sandbox.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { InsightsReport } from '../../scripts/insights/figures';
import { runCli } from '../cli/cli';
import { newContactNumber } from '../support/e2e';
import {
  ARTIFACTS,
  desk,
  handOff,
  openSandbox as openPage,
  received,
  taskOf,
  text,
  useSandboxBrowser,
  WAIT,
} from '../support/sandbox-browser';

jest.setTimeout(180_000);

const running = useSandboxBrowser({ width: 1440, height: 1000 });
const openSandbox = (contact: string) => openPage(running, contact);
const insights = (page: Page) => page.locator('section[aria-label="Insights"]');

const figure = (page: Page, id: string) => insights(page).locator(`[data-figure="${id}"] b`);

test('the Insights view shows what was just played, live', async () => {
  const answered = await openSandbox(newContactNumber());
  await text(answered, 'What are your opening hours?');
  await received(answered, /Monday to Friday/);
  await text(answered, 'Do you rent kayaks?');
  await received(answered, /not sure/);
  await answered.close();

  const repContact = newContactNumber();
  const page = await openSandbox(repContact);
  await handOff(page, repContact);
  await taskOf(page, repContact).getByRole('button', { name: 'Accept' }).click();
  await taskOf(page, repContact).locator('[data-status="assigned"]').waitFor(WAIT);
  await desk(page).getByLabel('Type a reply').fill('Hi, this is Alice. How can I help?');
  await desk(page).getByRole('button', { name: 'Send' }).click();
  await received(page, 'Hi, this is Alice');
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
  const run = await runCli('insights', ['--json'], { SANDBOX_URL: running.sandbox.url });
  expect(run.stderr).toMatch(/Reading sessions: 3/);
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as InsightsReport;
  const view = (await (await fetch(`${running.sandbox.url}/api/insights`)).json()) as InsightsReport;
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
