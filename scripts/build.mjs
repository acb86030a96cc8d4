/**
 * `npm run build`: dist/ from scratch (a module moved or deleted must not linger there and be deployed), tsc for
 * the functions and the .ts assets, every other private asset (the knowledge base) copied beside them, and the
 * check that the deployment stays within Twilio's limit on private assets per build.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Twilio Functions accept at most this many private assets in one build. */
const MAX_PRIVATE_ASSETS = 50;

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
cpSync('assets', 'dist/assets', { recursive: true, filter: (source) => !source.endsWith('.ts') });

const privateAssets = readdirSync('dist/assets', { recursive: true }).filter((file) => /\.private\./.test(file));
if (privateAssets.length > MAX_PRIVATE_ASSETS) {
  console.error(
    `Build failed: dist/assets holds ${privateAssets.length} private assets; Twilio deploys at most ` +
      `${MAX_PRIVATE_ASSETS} per build. Merge small modules under assets/ before adding more.`,
  );
  process.exit(1);
}
console.log(`Built dist/: ${privateAssets.length} private assets (Twilio allows ${MAX_PRIVATE_ASSETS} per build).`);
