/**
 * `npm run deploy`, between the build and the upload: the Flex plugin's bundle copied into dist/assets as a
 * public asset (setup registers its URL with the Flex Plugins API). Built first when missing, which installs the
 * plugin's own dependencies in flex-plugin/ (never at the root).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PLUGIN_BUNDLE, pluginAssetPath, pluginPackage } from './admin/plugin-bundle';

if (!existsSync(PLUGIN_BUNDLE)) {
  console.log('Building the Flex plugin (npm run plugin:build; the first time installs its dependencies)…');
  execFileSync('npm', ['run', 'plugin:build'], { stdio: 'inherit', cwd: join(__dirname, '..') });
}
const target = join(__dirname, '..', 'dist', 'assets', pluginAssetPath(pluginPackage()));
mkdirSync(dirname(target), { recursive: true });
copyFileSync(PLUGIN_BUNDLE, target);
console.log(`Flex plugin bundle: ${target} (a public asset).`);
