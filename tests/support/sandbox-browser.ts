/**
 * What the browser suites share: the real functions on the emulator (`npm start`'s stack), the sandbox page
 * served beside them, one headless Chromium on a fresh profile for the test file, and the page's parts as a
 * person finds them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { startStack, type RunningStack } from '../../scripts/local-stack';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { CHROMIUM_ARGS, findChromium } from './chromium';

export const ARTIFACTS = join(__dirname, '..', 'browser', 'artifacts');
export const WAIT = { timeout: 60_000 };

export interface SandboxBrowser {
  stack: RunningStack;
  sandbox: RunningSandbox;
  browser: BrowserContext;
}

/** Starts the stack, the sandbox and Chromium before the file's tests, and stops them after. */
export function useSandboxBrowser(viewport = { width: 1440, height: 900 }): SandboxBrowser {
  const running = {} as SandboxBrowser;
  let profile: string | undefined;
  beforeAll(async () => {
    const executablePath = await findChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
    running.stack = await startStack({ forkProcess: false });
    running.sandbox = await startSandbox({
      emulatorUrl: running.stack.env.EMULATOR_URL,
      accountSid: running.stack.env.ACCOUNT_SID,
      authToken: running.stack.env.AUTH_TOKEN,
      functionsUrl: running.stack.env.FUNCTIONS_URL,
      port: 0,
    });
    // One browser for the suite, on a fresh profile.
    running.browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      args: CHROMIUM_ARGS,
      viewport,
    });
  }, 120_000);
  afterAll(async () => {
    await running.browser?.close();
    await running.sandbox?.close();
    await running.stack?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });
  return running;
}

/** The sandbox page playing `contact` on the phone. */
export async function openSandbox({ browser, sandbox }: SandboxBrowser, contact: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}/?contact=${encodeURIComponent(contact)}`);
  await page.locator('[data-testid="phone-thread"]').waitFor(WAIT);
  return page;
}

export const phone = (page: Page) => page.locator('section[aria-label="Contact\'s phone"]');
export const desk = (page: Page) => page.locator('section[aria-label="Rep desk"]');
export const taskOf = (page: Page, contact: string) => desk(page).locator('.task', { hasText: contact });

/** Saves the whole page to the artifacts, as `<name>.png`. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Types a text on the phone and sends it. */
export async function text(page: Page, body: string): Promise<void> {
  await phone(page).getByLabel('Text message').fill(body);
  await phone(page).getByRole('button', { name: 'Send' }).click();
}

/** Waits for the phone to receive a text containing `fragment`. */
export async function received(page: Page, fragment: string | RegExp): Promise<void> {
  await phone(page).locator('.bubble.received', { hasText: fragment }).first().waitFor(WAIT);
}

/** Asks for a person and opens the task that appears on the desk. */
export async function handOff(page: Page, contact: string): Promise<void> {
  await text(page, 'I want to talk to a person');
  await received(page, /person/i);
  await taskOf(page, contact).waitFor(WAIT);
  await taskOf(page, contact).locator('.title').click();
}
