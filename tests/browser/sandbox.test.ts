/**
 * The sandbox page in real headless Chromium: the contact's phone and the rep desk, on the real functions and
 * the emulator. One browser for the suite; each story texts from its own contact (`?contact=`), so the desk's
 * task list is shared but each test picks its own task by the contact's number.
 */
import type { Page } from 'playwright-core';
import { newContactNumber } from '../support/e2e';
import {
  desk,
  handOff,
  openSandbox as openPage,
  phone,
  received,
  shot,
  taskOf,
  text,
  useSandboxBrowser,
  WAIT,
} from '../support/sandbox-browser';

jest.setTimeout(120_000);

const running = useSandboxBrowser();
const openSandbox = (contact: string) => openPage(running, contact);

/** Waits until an image under `selector` has really loaded (its bytes came through the emulator). */
async function loaded(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].some((image) => image.naturalWidth > 0)`,
    undefined,
    WAIT,
  );
}

/** A PNG the contact or the rep attaches: the browser's own picture of part of the page. */
async function photo(page: Page): Promise<Buffer> {
  return page.locator('.phone-header').screenshot();
}

test('a knowledge-base question is answered on the phone', async () => {
  const page = await openSandbox(newContactNumber());
  await text(page, 'What are your opening hours?');
  await received(page, /Monday to Friday/);
  await shot(page, '1-kb-answer');
  await page.close();
});

describe('a handoff, end to end', () => {
  const contact = newContactNumber();
  let page: Page;

  beforeAll(async () => {
    page = await openSandbox(contact);
  });
  afterAll(async () => page?.close());

  test('"I want to talk to a person" puts the task on the desk with the card and the note above the transcript', async () => {
    await handOff(page, contact);
    await expect(taskOf(page, contact).locator('.status').textContent()).resolves.toContain('Incoming');
    const card = desk(page).locator('[data-testid="handoff-card"]');
    await card.locator('dl').waitFor(WAIT);
    const cardText = await card.innerText();
    // The six handoff attributes: handed off, reason, sentiment, language, summary, time.
    expect(cardText).toMatch(/contact_requested/);
    expect(cardText).toMatch(/neutral/i);
    expect(cardText).toMatch(/English/);
    expect(cardText).toMatch(/asked for a person/);
    expect(cardText).toMatch(/Handed off\s+\S.* · /);
    const thread = desk(page).locator('[data-testid="desk-thread"] .message');
    await thread.nth(1).waitFor(WAIT);
    expect(await thread.first().getAttribute('data-kind')).toBe('handoff_note');
    expect(await thread.nth(1).getAttribute('data-kind')).toBe('transcript');
    await expect(desk(page).locator('[data-ai-author]').count()).resolves.toBeGreaterThan(0);
    // The AI's name is the default, "AI Assistant": said once, not "AI assistant · AI Assistant".
    await expect(desk(page).locator('[data-ai-author]').first().textContent()).resolves.toBe('AI Assistant');
    await shot(page, '2-handoff-on-desk');
  });

  test('accept and reply: the reply reaches the phone', async () => {
    await taskOf(page, contact).getByRole('button', { name: 'Accept' }).click();
    await taskOf(page, contact).locator('[data-status="assigned"]').waitFor(WAIT);
    await desk(page).getByLabel('Type a reply').fill('Hi, this is Alice. How can I help?');
    await desk(page).getByRole('button', { name: 'Send' }).click();
    await received(page, 'Hi, this is Alice');
    await shot(page, '3-rep-reply-on-phone');
  });

  test("a photo from the phone shows inline on the desk, and the rep's photo reaches the phone", async () => {
    await phone(page)
      .locator('input[type="file"]')
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: await photo(page) });
    await text(page, 'Here is my receipt');
    const deskPhoto = desk(page).locator('[data-testid="desk-thread"] img');
    await deskPhoto.first().waitFor(WAIT);
    await loaded(page, '[data-testid="desk-thread"] img');
    await desk(page)
      .locator('input[type="file"]')
      .setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: await photo(page) });
    await desk(page).getByLabel('Type a reply').fill('Here is your return label');
    await desk(page).getByRole('button', { name: 'Send' }).click();
    await received(page, 'return label');
    await loaded(page, '.bubble.received img');
    await shot(page, '4-photos-both-ways');
  });

  test('complete: the next text gets the AI again', async () => {
    await desk(page).getByRole('button', { name: 'Wrap up & complete' }).click();
    await taskOf(page, contact).locator('[data-status="completed"]').waitFor(WAIT);
    const reply = desk(page).getByLabel('Task ended: the contact is back with the AI');
    await reply.waitFor(WAIT);
    await expect(reply.isDisabled()).resolves.toBe(true);
    await text(page, 'What are your opening hours?');
    await received(page, /Monday to Friday/);
    await shot(page, '5-completed-ai-again');
  });
});

test('a task left to time out: the contact is told and the AI answers again', async () => {
  const contact = newContactNumber();
  const page = await openSandbox(contact);
  await handOff(page, contact);
  const before = await phone(page).locator('.bubble.received').count();
  await taskOf(page, contact).getByRole('button', { name: 'Let it time out' }).click();
  await taskOf(page, contact).locator('[data-status="canceled"]').waitFor(WAIT);
  await phone(page).locator('.bubble.received').nth(before).waitFor(WAIT);
  const reply = desk(page).getByLabel('Task canceled: the contact is back with the AI');
  await reply.waitFor(WAIT);
  await expect(reply.isDisabled()).resolves.toBe(true);
  await shot(page, '6-timed-out');
  await text(page, 'What are your opening hours?');
  await received(page, /Monday to Friday/);
  await page.close();
});

test('STOP: no task', async () => {
  const contact = newContactNumber();
  const page = await openSandbox(contact);
  await text(page, 'STOP');
  await phone(page).locator('.bubble.sent', { hasText: 'STOP' }).waitFor(WAIT);
  await fetch(`${running.stack.env.EMULATOR_URL}/__emulator/idle`);
  await text(page, 'I want to talk to a person');
  await phone(page).locator('.bubble.sent', { hasText: 'person' }).waitFor(WAIT);
  await fetch(`${running.stack.env.EMULATOR_URL}/__emulator/idle`);
  const tasks = (await (await fetch(`${running.stack.env.EMULATOR_URL}/__emulator/flex/tasks`)).json()) as {
    attributes: { from?: string };
  }[];
  expect(tasks.filter((task) => task.attributes.from === contact)).toEqual([]);
  await expect(taskOf(page, contact).count()).resolves.toBe(0);
  await shot(page, '7-stop-no-task');
  await page.close();
});
