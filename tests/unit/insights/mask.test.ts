import { maskContactText } from '../../../assets/insights/mask.private';

describe('maskContactText', () => {
  it.each([
    ['Where is order 123456?', 'Where is order [number]?'],
    ['call me at +1 (415) 555-0100 please', 'call me at [number] please'],
    ['my card 4111 1111 1111 1111 was charged twice', 'my card [card] was charged twice'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['email jane.doe+shop@example.co.uk about it', 'email [email] about it'],
    ['cvv is 123', 'cvv is [number]'],
    ['zip 94107', 'zip [number]'],
  ])('masks %j', (text, masked) => {
    expect(maskContactText(text)).toBe(masked);
  });

  it('keeps short numbers and digits inside words, which name nobody', () => {
    const text = 'Can I return 2 pairs within 30 days? Does it work on 5G and the A320?';
    expect(maskContactText(text)).toBe(text);
  });

  it('leaves no run of three digits anywhere', () => {
    const text = 'ids 12-34-56, 1.2.3.4, (555) 010 and 7/8/2024 and jo@x.io 4111111111111111';
    expect(maskContactText(text)).not.toMatch(/\d\D{0,2}\d\D{0,2}\d/);
  });
});
