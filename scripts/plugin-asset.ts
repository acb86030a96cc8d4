/**
 * `npm run deploy`, between the build and the upload: the Flex plugin's bundle, built afresh (about a second; the
 * first time also installs the plugin's own dependencies, in flex-plugin/, never at the root), copied into
 * dist/assets as the public asset whose URL setup registers. Built every time rather than only when missing: a
 * bundle left from before a version bump would otherwise ship under the new version's path.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { copyPluginBundle, PLUGIN_BUNDLE } from './admin/plugin-bundle';

const root = join(__dirname, '..');
execFileSync('npm', ['run', 'plugin:build'], { stdio: 'inherit', cwd: root });
const target = copyPluginBundle(PLUGIN_BUNDLE, join(root, 'dist', 'assets'));
console.log(`Flex plugin bundle: ${target} (a public asset).`);
