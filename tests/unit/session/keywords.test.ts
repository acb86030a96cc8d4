import { keywordOf } from '../../../assets/session/keywords.private';

describe('keywords', () => {
  it.each([
    ['STOP', undefined, 'opt_out'],
    [' stopall ', undefined, 'opt_out'],
    ['Quit', undefined, 'opt_out'],
    ['please stop texting me', undefined, undefined],
    ['start', undefined, 'opt_in'],
    ['YES', undefined, 'opt_in'],
    ['help', undefined, 'help'],
    ['Arrêt', 'STOP', 'opt_out'],
    ['hello', 'START', 'opt_in'],
  ])('%p with OptOutType %p is %p', (body, optOutType, expected) => {
    expect(keywordOf(body, optOutType)).toBe(expected);
  });
});
