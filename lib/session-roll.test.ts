import { NextResponse } from 'next/server';
import { describe, expect, it } from 'vitest';
import { markRolled, ROLL_EVERY_SECONDS, ROLLED_COOKIE, rolledRecently, SESSION_COOKIE } from './session-roll';

const NOW = 1_800_000_000;

describe('rolledRecently', () => {
  it('says yes for a marker less than a minute old, no from a minute on', () => {
    expect(rolledRecently(String(NOW), NOW)).toBe(true);
    expect(rolledRecently(String(NOW - ROLL_EVERY_SECONDS + 1), NOW)).toBe(true);
    expect(rolledRecently(String(NOW - ROLL_EVERY_SECONDS), NOW)).toBe(false);
  });

  it('says no without a marker, for one that is not a time, and for one from the future (a forged marker cannot stop rolling for long)', () => {
    expect(rolledRecently(undefined, NOW)).toBe(false);
    expect(rolledRecently('', NOW)).toBe(false);
    expect(rolledRecently('soon', NOW)).toBe(false);
    expect(rolledRecently(`${NOW}.5`, NOW)).toBe(false);
    expect(rolledRecently(String(NOW + 3600), NOW)).toBe(false);
    expect(rolledRecently('9'.repeat(20), NOW)).toBe(false);
  });
});

describe('markRolled', () => {
  it("sets the marker with the session cookie's attributes when the SDK set a new session cookie", () => {
    const from = NextResponse.next();
    from.cookies.set({ name: SESSION_COOKIE, value: 'jwe', httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: 86_400 });
    const to = NextResponse.next();
    markRolled(from, to, NOW);
    const marker = to.cookies.get(ROLLED_COOKIE);
    expect(marker).toMatchObject({ value: String(NOW), httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: 86_400 });
  });

  it('sets nothing when the session was not rolled, or when its cookie was deleted', () => {
    const to = NextResponse.next();
    markRolled(NextResponse.next(), to, NOW);
    expect(to.cookies.get(ROLLED_COOKIE)).toBeUndefined();
    const deleted = NextResponse.next();
    deleted.cookies.set({ name: SESSION_COOKIE, value: '', maxAge: 0 });
    markRolled(deleted, to, NOW);
    expect(to.cookies.get(ROLLED_COOKIE)).toBeUndefined();
  });
});
