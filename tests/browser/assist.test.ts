/**
 * Rep assist in the sandbox, in real headless Chromium: a contact asks how to return an item, then for a person;
 * once Alice accepts, the desk's suggestion panel (the plugin's own component, calling /flex/assist with a Flex
 * token the emulator issued for her) shows the returns answer, Insert fills the reply box, her send reaches the
 * phone, and "this answered it" stores a pending knowledge-base suggestion.
 */
import type { Page } from 'playwright-core';
import { TAUGHT_SUGGESTIONS_MAP } from '../../assets/insights/sessions-index.private';
import { newContactNumber, twilioClient } from '../support/e2e';
import {
  desk,
  handOff,
  openSandbox,
  phone,
  shot,
  taskOf,
  text,
  useSandboxBrowser,
  WAIT,
} from '../support/sandbox-browser';

jest.setTimeout(120_000);

const RETURNS = /You can return unworn items with tags within 30 days of delivery/;

const running = useSandboxBrowser();
let page: Page;
const contact = newContactNumber();

beforeAll(async () => {
  page = await openSandbox(running, contact);
}, 120_000);

const panel = () => desk(page).locator('[data-testid="assist"]');
const task = () => taskOf(page, contact);
const receivedReturns = () => phone(page).locator('.bubble.received', { hasText: RETURNS });

/** Waits until the desk's reply box holds text matching `pattern` (React fills it after the click). */
async function replyBoxMatches(pattern: RegExp): Promise<void> {
  const box = 'document.querySelector(\'textarea[aria-label="Type a reply"]\')';
  await page.waitForFunction(`${pattern.toString()}.test(${box}?.value ?? '')`, undefined, WAIT);
}

test('after a handoff on "how do I return an item", the accepted task shows the returns answer', async () => {
  await text(page, 'how do I return an item');
  await receivedReturns().first().waitFor(WAIT);
  await handOff(page, contact);
  await expect(panel().count()).resolves.toBe(0);
  await task().getByRole('button', { name: 'Accept' }).click();
  const returns = panel().locator('article', { hasText: 'Returns' });
  await returns.waitFor(WAIT);
  await expect(returns.innerText()).resolves.toMatch(RETURNS);
  await expect(panel().innerText()).resolves.toContain('“how do I return an item”');
  await expect(panel().locator('article').count()).resolves.toBeLessThanOrEqual(3);
  await shot(page, 'assist-1-suggestion');
});

test("Insert fills the reply box, and the rep's send reaches the phone", async () => {
  await panel().getByRole('button', { name: 'Insert: Returns' }).click();
  await replyBoxMatches(RETURNS);
  await shot(page, 'assist-2-inserted');
  const before = await receivedReturns().count();
  await desk(page).getByRole('button', { name: 'Send' }).click();
  await receivedReturns().nth(before).waitFor(WAIT);
  await replyBoxMatches(/^$/);
});

test('"This answered it" stores a pending knowledge-base suggestion for the Returns topic', async () => {
  const form = panel().getByRole('form', { name: 'Teach the AI' });
  await form.waitFor(WAIT);
  await expect(form.getByRole('combobox').inputValue()).resolves.toBe('Returns');
  await form.getByRole('button', { name: 'Suggest to the knowledge base' }).click();
  await panel().getByText('Sent to the knowledge base author for review.').waitFor(WAIT);
  await shot(page, 'assist-3-taught');
  const { env } = running.stack;
  const items = await twilioClient(env)
    .sync.v1.services(env.SYNC_SERVICE_SID)
    .syncMaps(TAUGHT_SUGGESTIONS_MAP)
    .syncMapItems.list();
  expect(items.map((item) => item.data as unknown)).toEqual([
    expect.objectContaining({ kind: 'taught', question: 'how do I return an item', topic: 'Returns' }),
  ]);
});
