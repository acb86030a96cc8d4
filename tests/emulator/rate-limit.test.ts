import { RateLimiter, TokenBucket } from '../../emulator/rate-limit';
import { FakeClock } from '../../emulator/testing';

const SYNC = { perSecond: 20, burstSeconds: 10 };

describe('TokenBucket', () => {
  it('starts full at rate × burst and refills at the rate, never past capacity', () => {
    const bucket = new TokenBucket(SYNC, 0);
    expect(bucket.capacity).toBe(200);
    expect(bucket.available(0)).toBe(200);
    for (let i = 0; i < 200; i++) bucket.take();
    expect(bucket.available(0)).toBe(0);
    expect(bucket.available(49)).toBe(0);
    expect(bucket.available(50)).toBe(1);
    expect(bucket.available(60_000)).toBe(200);
  });
});

describe('RateLimiter', () => {
  it('sustains 20 writes/s after the burst', () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(clock);
    const write = () => limiter.tryAcquire([{ key: 'MP1', rate: SYNC }]);
    let burst = 0;
    while (write()) burst++;
    expect(burst).toBe(200);
    let sustained = 0;
    for (let ms = 0; ms < 1000; ms += 10) {
      clock.advance(10);
      if (write()) sustained++;
    }
    expect(sustained).toBe(20);
  });

  it('takes from every bucket or from none', () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(clock);
    const large = { perSecond: 2, burstSeconds: 10 };
    const both = [
      { key: 'MP1', rate: SYNC },
      { key: 'MP1/big', rate: large },
    ];
    for (let i = 0; i < 20; i++) expect(limiter.tryAcquire(both)).toBe(true);
    expect(limiter.tryAcquire(both)).toBe(false);
    // The refused write took nothing from the map: 180 left there.
    let mapOnly = 0;
    while (limiter.tryAcquire([{ key: 'MP1', rate: SYNC }])) mapOnly++;
    expect(mapOnly).toBe(180);
  });

  it('keeps separate objects apart and forgets everything on reset', () => {
    const limiter = new RateLimiter(new FakeClock(0));
    const one = { key: 'MP1', rate: { perSecond: 1, burstSeconds: 1 } };
    expect(limiter.tryAcquire([one])).toBe(true);
    expect(limiter.tryAcquire([one])).toBe(false);
    expect(limiter.tryAcquire([{ ...one, key: 'MP2' }])).toBe(true);
    limiter.reset();
    expect(limiter.tryAcquire([one])).toBe(true);
  });
});
