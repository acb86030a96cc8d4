/**
 * `npm run deploy`, between the build and the upload: the Flex plugin's bundle copied into dist/assets as a
 * public asset (setup registers its URL with the Flex Plugins API). Built first when missing, which installs the
 * plugin's own dependencies in flex-plugin/ (never at the root).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyPluginBundle, PLUGIN_BUNDLE } from './admin/plugin-bundle';

const root = join(__dirname, '..');
if (!existsSync(PLUGIN_BUNDLE)) {
  console.log('Building the Flex plugin (npm run plugin:build; the first time installs its dependencies)…');
  execFileSync('npm', ['run', 'plugin:build'], { stdio: 'inherit', cwd: root });
}
const target = copyPluginBundle(PLUGIN_BUNDLE, join(root, 'dist', 'assets'));
console.log(`Flex plugin bundle: ${target} (a public asset).`);
