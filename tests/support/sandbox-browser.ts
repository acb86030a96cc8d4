/**
 * What a browser test of the sandbox runs on: the local stack (warm functions), the sandbox server on a free
 * port, and one headless Chromium on a fresh profile; `stop` ends them all.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { startStack, type RunningStack } from '../../scripts/local-stack';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { CHROMIUM_ARGS, findChromium } from './chromium';

/** Where the browser tests leave their screenshots. */
export const ARTIFACTS = join(__dirname, '..', 'browser', 'artifacts');

export interface BrowserSandbox {
  stack: RunningStack;
  sandbox: RunningSandbox;
  browser: BrowserContext;
  stop(): Promise<void>;
}

export async function startBrowserSandbox(): Promise<BrowserSandbox> {
  const executablePath = await findChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
  const stack = await startStack({ forkProcess: false });
  const sandbox = await startSandbox({
    emulatorUrl: stack.env.EMULATOR_URL,
    accountSid: stack.env.ACCOUNT_SID,
    authToken: stack.env.AUTH_TOKEN,
    functionsUrl: stack.env.FUNCTIONS_URL,
    port: 0,
  });
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  return {
    stack,
    sandbox,
    browser,
    async stop() {
      await browser.close();
      await sandbox.close();
      await stack.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
