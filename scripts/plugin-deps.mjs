// Installs the Flex plugin's own dependencies (Flex UI's tree is large) only where the plugin is built or tested,
// and only when they are missing or older than its lockfile.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const modifiedAt = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const installed = modifiedAt('flex-plugin/node_modules/.package-lock.json');
if (installed < modifiedAt('flex-plugin/package-lock.json')) {
  const npm = process.env.npm_execpath;
  const command = npm ? [process.execPath, [npm]] : ['npm', []];
  execFileSync(command[0], [...command[1], 'ci', '--prefix', 'flex-plugin', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
}
