/**
 * Twilio builds a deployment by installing package.json's `dependencies` as written (no lockfile is uploaded), so
 * each must name exactly the version `npm ci` installed for the tests, or production runs code no test ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDependencies } from '@twilio-labs/serverless-api/dist/api/dependencies';

const root = join(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));
const pkg = readJson('package.json') as { dependencies: Record<string, string> };
const lock = readJson('package-lock.json') as { packages: Record<string, { version?: string }> };

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

describe('the dependencies a deploy uploads', () => {
  const uploaded = getDependencies(pkg);

  it('are the ones package.json names', () => {
    expect(uploaded.map((dependency) => dependency.name).sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it.each(uploaded.map((dependency) => [dependency.name, dependency.version]))(
    '%s is pinned to the version the tests installed',
    (name, version) => {
      expect(version).toMatch(EXACT_VERSION);
      expect(version).toBe(lock.packages[`node_modules/${name}`]?.version);
    },
  );
});
