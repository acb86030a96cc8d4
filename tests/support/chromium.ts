/**
 * The Chromium the browser suite drives: CHROMIUM_PATH when it names one (a system Chromium or Chrome), else the
 * build that ships inside the npm package `@sparticuz/chromium`, so `npm ci && npm test` needs no system package,
 * no root and no browser download. Run as a script (`npm test` does, before jest) it unpacks that build once
 * (to /tmp/chromium, a few seconds the first time), so test files running in parallel never race to unpack it.
 */
import { existsSync } from 'node:fs';
import packagedChromium from '@sparticuz/chromium';

export async function findChromium(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH names ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  return packagedChromium.executablePath();
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

if (require.main === module) {
  findChromium().then(
    (path) => console.log(`Chromium for the browser tests: ${path}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
