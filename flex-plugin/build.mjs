/**
 * Builds the plugin into one JavaScript file, as Flex's plugin loader expects: a script evaluated in the Flex
 * page, where React, ReactDOM and Flex are already loaded as globals, that calls `Twilio.Flex.Plugins.init`.
 * The same contract flex-plugin-scripts' webpack build follows (its externals and its flex-shim), with esbuild.
 */
import { build } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('./package-lock.json', import.meta.url), 'utf8'));
const installed = (name) => lock.packages[`node_modules/${name}`].version;

/** Module -> the global the Flex page provides. Flex hands each plugin its own proxy of the Flex API. */
const GLOBALS = {
  react: 'window.React',
  'react-dom': 'window.ReactDOM',
  '@twilio/flex-ui': `(window.Twilio.FlexProxy && window.Twilio.FlexProxy[${JSON.stringify(pkg.name)}]) || window.Twilio.Flex`,
};

const flexGlobals = {
  name: 'flex-globals',
  setup(esbuild) {
    const filter = new RegExp(`^(${Object.keys(GLOBALS).join('|').replace(/[/@-]/g, '\\$&')})$`);
    esbuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'flex-globals' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'flex-globals' }, (args) => ({
      contents: `module.exports = ${GLOBALS[args.path]};`,
      loader: 'js',
    }));
  },
};

const outfile = `dist/${pkg.name}.js`;
await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  outfile,
  plugins: [flexGlobals],
  // What @twilio/flex-plugin's FlexPlugin reports to Flex about the plugin (flex-plugin-scripts defines these too).
  define: {
    'process.env.NODE_ENV': '"production"',
    __FPB_PLUGIN_UNIQUE_NAME: JSON.stringify(pkg.name),
    __FPB_PLUGIN_VERSION: JSON.stringify(pkg.version),
    __FPB_FLEX_PLUGIN_SCRIPTS_VERSION: JSON.stringify('N/A (esbuild)'),
    __FPB_FLEX_PLUGIN_VERSION: JSON.stringify(installed('@twilio/flex-plugin')),
    __FPB_FLEX_UI_VERSION: JSON.stringify(installed('@twilio/flex-ui')),
    __FPB_REACT_VERSION: JSON.stringify(installed('react')),
    __FPB_REACT_DOM_VERSION: JSON.stringify(installed('react-dom')),
  },
});

const bytes = statSync(outfile).size;
const gzipped = gzipSync(readFileSync(outfile)).length;
console.log(`${outfile}: ${(bytes / 1024).toFixed(1)} KiB (${(gzipped / 1024).toFixed(1)} KiB gzipped)`);
