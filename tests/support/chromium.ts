/**
 * Finds a Chromium for the browser suite the usual ways: CHROMIUM_PATH, then the system's Chromium or Chrome.
 * Browser downloads do not work here; Debian's `chromium` package does. Run as a script, it exits 1 with one line
 * saying what to install when none is found (`npm test` runs it before jest).
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export const MISSING_CHROMIUM =
  "No Chromium for the browser tests: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.";

export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Flags that work in containers and offline: no sandbox (root), no GPU, no calls home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (require.main === module && !findChromium()) {
  console.error(MISSING_CHROMIUM);
  process.exit(1);
}
