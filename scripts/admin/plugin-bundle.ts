/**
 * The Flex plugin as the deploy ships it and setup registers it: its unique name and version come from
 * `flex-plugin/package.json`, the same place its bundle's build reads them, and each version has its own public
 * asset path, so a new version never overwrites the script reps' browsers may have cached for the old one.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PLUGIN_DIR = join(__dirname, '..', '..', 'flex-plugin');

/** What `npm run plugin:build` writes. */
export const PLUGIN_BUNDLE = join(PLUGIN_DIR, 'dist', 'flex-sms-handoff-plugin.js');

export interface PluginPackage {
  uniqueName: string;
  version: string;
}

export function pluginPackage(): PluginPackage {
  const { name, version } = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { uniqueName: name, version };
}

/** The public asset's path on the service: `/plugins/flex-sms-handoff-plugin-0.1.0.js`. */
export function pluginAssetPath({ uniqueName, version }: PluginPackage): string {
  return `/plugins/${uniqueName}-${version}.js`;
}

export function pluginUrl(domain: string, plugin: PluginPackage): string {
  return `https://${domain}${pluginAssetPath(plugin)}`;
}

/** Copies `bundle` into a deployment's assets folder as the public asset setup registers; answers where. */
export function copyPluginBundle(
  bundle: string,
  assetsFolder: string,
  plugin: PluginPackage = pluginPackage(),
): string {
  const target = join(assetsFolder, pluginAssetPath(plugin));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(bundle, target);
  return target;
}
