import { load } from '../../../assets/runtime/load.private';
import type * as Keywords from '../../../assets/session/keywords.private';

describe('loading a private module', () => {
  it('finds it by its asset key, as deployed Functions do', () => {
    expect(load<typeof Keywords>('/session/keywords.js').keywordOf('STOP')).toBe('opt_out');
  });

  it('names the source file when the key is wrong', () => {
    expect(() => load('/session/nope.js')).toThrow(
      'No private asset /session/nope.js: is assets/session/nope.private.ts built?',
    );
  });
});
