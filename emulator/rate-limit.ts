/** Token buckets on an injected clock: Twilio's per-object write limits (Sync: 20/s sustained, 10 s burst). */
import type { Clock } from './clock';

export interface Rate {
  perSecond: number;
  burstSeconds: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  get capacity(): number {
    return this.rate.perSecond * this.rate.burstSeconds;
  }

  /** Whole tokens available at `now`, after refilling for the time elapsed. */
  available(now: number): number {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.rate.perSecond);
    this.updatedAt = now;
    return Math.floor(this.tokens);
  }

  take(): void {
    this.tokens -= 1;
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes a token from every named bucket, or from none when any of them is empty. */
  tryAcquire(limits: readonly { key: string; rate: Rate }[]): boolean {
    const now = this.clock.now();
    const buckets = limits.map(({ key, rate }) => {
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(rate, now)));
      return bucket;
    });
    if (buckets.some((bucket) => bucket.available(now) < 1)) return false;
    buckets.forEach((bucket) => bucket.take());
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
