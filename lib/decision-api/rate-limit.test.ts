import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from './rate-limit';

describe('FixedWindowLimiter', () => {
  it('allows `points` requests per window per key, then answers how long until the window ends', () => {
    const limiter = new FixedWindowLimiter(3, 1_000);
    expect([limiter.take('a', 10_000), limiter.take('a', 10_100), limiter.take('a', 10_200)]).toEqual([0, 0, 0]);
    expect(limiter.take('a', 10_250)).toBe(750);
    expect(limiter.take('b', 10_250)).toBe(0); // other keys keep their own budget
    expect(limiter.take('a', 10_999)).toBe(1);
    expect(limiter.take('a', 11_000)).toBe(0); // a new window
  });

  it('forgets windows that have ended, so memory follows the keys in use', () => {
    const limiter = new FixedWindowLimiter(1, 1_000);
    for (let i = 0; i < 1_000; i++) limiter.take(`key-${i}`, 0);
    limiter.take('late', 5_000);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => new FixedWindowLimiter(0, 1_000)).toThrow(/positive integer/);
    expect(() => new FixedWindowLimiter(1.5, 1_000)).toThrow(/positive integer/);
  });
});
