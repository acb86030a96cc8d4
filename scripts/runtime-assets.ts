/**
 * Twilio's `Runtime.getAssets()` outside Twilio, pointing at the TypeScript sources (`assets/ai/embedded.private.ts`
 * is `/ai/embedded.js`), so private modules load each other as deployed: for the tests, the bench, the eval and
 * `npm run insights` (which reads Sync with the functions' own reader).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const assetsDir = join(__dirname, '..', 'assets');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const assets = Object.fromEntries(
  listFiles(assetsDir)
    .filter((file) => file.includes('.private.'))
    .map((file) => {
      const key = '/' + relative(assetsDir, file).replace('.private', '').replace(/\.ts$/, '.js');
      return [key, { path: file, open: () => readFileSync(file, 'utf8') }];
    }),
);

(globalThis as unknown as { Runtime: unknown }).Runtime = {
  getAssets: () => assets,
  getFunctions: () => ({}),
  getSync: () => {
    throw new Error('Runtime.getSync is not used: Sync goes through the Twilio client seam');
  },
};
