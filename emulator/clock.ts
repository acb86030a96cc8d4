/** The emulator reads time only through a Clock, so tests can drive TTLs and rate limits without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
