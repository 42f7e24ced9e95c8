/**
 * A per-key request budget in fixed windows (`points` per `windowMs`, a window starting at a key's first request), as
 * rate-limiter-flexible's RateLimiterMemory counts, but synchronous: a promise per request was a measurable share of a
 * check's cost (figures in docs/decisions/0007-decision-api.md). Memory stays bounded:
 * windows that have ended are dropped when a new window starts for anyone.
 */
export class FixedWindowLimiter {
  private windows = new Map<string, { endsAt: number; used: number }>();
  private sweepAt = 0;

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
  ) {
    if (!Number.isInteger(points) || points < 1) throw new Error(`the rate limit must be a positive integer, not ${points}`);
  }

  /** Takes one point for `key` at `now` (epoch ms): 0 when allowed, else the milliseconds until its window ends. */
  take(key: string, now: number): number {
    let w = this.windows.get(key);
    if (w === undefined || w.endsAt <= now) {
      if (now >= this.sweepAt) this.sweep(now);
      w = { endsAt: now + this.windowMs, used: 0 };
      this.windows.set(key, w);
    }
    if (w.used >= this.points) return w.endsAt - now;
    w.used++;
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
    this.sweepAt = now + this.windowMs;
  }
}
