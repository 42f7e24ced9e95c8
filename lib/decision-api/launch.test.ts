import { describe, expect, it } from 'vitest';
import { FAST_CRASH_MS, restartDelay, type RestartState } from './launch';

/** Feeds a sequence of run lengths (ms up before each crash) through the policy; returns the pauses it chose. */
function delaysFor(uptimes: number[]): number[] {
  let state: RestartState = { fastCrashes: 0 };
  return uptimes.map((uptime) => {
    const { delayMs, next } = restartDelay(state, uptime);
    state = next;
    return delayMs;
  });
}

describe('restartDelay (the decision API supervisor policy)', () => {
  it('restarts at once after a single crash, however short the run was', () => {
    expect(delaysFor([50])).toEqual([0]);
    expect(delaysFor([FAST_CRASH_MS + 1])).toEqual([0]);
  });

  it('backs off 0, 1, 2, 5, 10, 30 s while the process keeps dying within 10 s of start, then stays at 30 s', () => {
    expect(delaysFor([100, 100, 100, 100, 100, 100, 100, 100])).toEqual([0, 1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000]);
  });

  it('starts over after a healthy run (10 s or more up)', () => {
    expect(delaysFor([100, 100, 100, 100, FAST_CRASH_MS, 100, 100])).toEqual([0, 1_000, 2_000, 5_000, 0, 0, 1_000]);
  });

  it('counts a run just under 10 s as fast', () => {
    expect(delaysFor([FAST_CRASH_MS - 1, FAST_CRASH_MS - 1])).toEqual([0, 1_000]);
  });
});
