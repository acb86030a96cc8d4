import { maskPhoneNumbers } from '../../../assets/runtime/logger.private';

describe('the logger', () => {
  it('masks phone numbers, keeping the last four digits', () => {
    expect(maskPhoneNumbers('from +14155550100 to (415) 555-0199')).toBe('from +***0100 to ***0199');
    expect(maskPhoneNumbers('SM0123456789abcdef0123456789abcdef took 125 ms at 2026-11-24T20:10:34Z')).toBe(
      'SM0123456789abcdef0123456789abcdef took 125 ms at 2026-11-24T20:10:34Z',
    );
  });
});
