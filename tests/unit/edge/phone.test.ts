import { toE164 } from '../../../assets/edge/phone.private';

describe('phone numbers', () => {
  it('normalises to E.164 and rejects what is not a number', () => {
    expect(toE164('+1 (415) 555-0100')).toBe('+14155550100');
    expect(toE164('+34 612 34 56 78')).toBe('+34612345678');
    expect(toE164('not-a-number')).toBeUndefined();
    expect(toE164('12')).toBeUndefined();
  });
});
