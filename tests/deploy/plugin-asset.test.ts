/**
 * The deploy ships the Flex plugin's bundle as a public asset at exactly the path setup registers as its
 * PluginUrl, as twilio-run's own file listing sees it (a private asset would not load in reps' browsers).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getListOfFunctionsAndAssets } from '@twilio-labs/serverless-api/dist/utils/fs';
import { copyPluginBundle, pluginAssetPath, pluginPackage } from '../../scripts/admin/plugin-bundle';

it('puts the bundle where setup says it is, public, one path per version', async () => {
  const service = mkdtempSync(join(tmpdir(), 'flex-sms-handoff-deploy-'));
  mkdirSync(join(service, 'functions'));
  const bundle = join(service, 'bundle.js');
  writeFileSync(bundle, '(function(){ /* the plugin */ })();');

  const target = copyPluginBundle(bundle, join(service, 'assets'));

  expect(readFileSync(target, 'utf8')).toBe('(function(){ /* the plugin */ })();');
  const { assets } = await getListOfFunctionsAndAssets(service, {
    functionsFolderNames: ['functions'],
    assetsFolderNames: ['assets'],
  });
  const plugin = pluginPackage();
  expect(assets.map(({ path, access }) => ({ path, access }))).toEqual([
    { path: pluginAssetPath(plugin), access: 'public' },
  ]);
  expect(pluginAssetPath(plugin)).toBe(`/plugins/flex-sms-handoff-plugin-${plugin.version}.js`);
  expect(pluginAssetPath({ ...plugin, version: '9.9.9' })).not.toBe(pluginAssetPath(plugin));
});
