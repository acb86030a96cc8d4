/**
 * The one way a private module loads another. Deployed, private assets live at hashed paths, so a relative
 * `require` finds nothing: only `Runtime.getAssets()` knows where each one is. The types come from an
 * `import type` of the source, which costs nothing at run time:
 *
 *   import type * as LoadModule from '../runtime/load.private';
 *   import type * as Http from '../edge/http.private';
 *
 *   const { load } = require(Runtime.getAssets()['/runtime/load.js'].path) as typeof LoadModule;
 *   const { HttpError } = load<typeof Http>('/edge/http.js');
 */

/** A private asset's key: its path under assets/ without `.private`, `.ts` becoming `.js`. */
export type AssetKey = `/${string}.js`;

export function load<Module>(key: AssetKey): Module {
  const asset = Runtime.getAssets()[key];
  if (!asset) throw new Error(`No private asset ${key}: is assets${key.replace(/\.js$/, '.private.ts')} built?`);
  return require(asset.path) as Module;
}
