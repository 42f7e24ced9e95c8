import type { NextResponse } from 'next/server';

/**
 * Rolling the session at most once a minute. The Auth0 SDK rolls a rolling session on every request that reaches the
 * proxy: it decrypts the cookie, reads the session row, writes it, encrypts a new cookie and sends it — about a third
 * of a small page's server time here (ADR 0008, ADR 0009). Its `beforeSessionRolled` hook may say no; Gatehouse says
 * no while this marker cookie says the session was rolled less than ROLL_EVERY_SECONDS ago.
 *
 * Nothing rests on the marker for security: every page and route still reads the session row (a signed-out, blocked
 * or expired session ends at once), and rolling only extends a session within its limits (a day idle, a week at most).
 * A forged marker can only keep its own session from being extended; one from the future is ignored.
 */

/** The SDK's session cookie (its default name, set explicitly in lib/auth0.ts). */
export const SESSION_COOKIE = '__session';
/** When the session was last rolled, in seconds since the epoch. */
export const ROLLED_COOKIE = '__session_rolled';
/** The session row is written at most this often too (lib/session-store.ts). */
export const ROLL_EVERY_SECONDS = 60;

const epoch = () => Math.floor(Date.now() / 1000);

/** Whether a marker with this value says the session was rolled less than a minute ago. */
export function rolledRecently(marker: string | undefined, now = epoch()): boolean {
  if (!marker || !/^\d{1,12}$/.test(marker)) return false;
  const at = Number(marker);
  return at <= now + 5 && now - at < ROLL_EVERY_SECONDS;
}

/**
 * After the SDK answered `from` (the proxy's call of its middleware): when it rolled the session (it set a new session
 * cookie), `to` carries a marker with the time and the session cookie's own attributes.
 */
export function markRolled(from: NextResponse, to: NextResponse, now = epoch()): void {
  const session = from.cookies.get(SESSION_COOKIE);
  if (!session?.value) return; // not rolled, or the cookie was deleted (signed out)
  to.cookies.set({
    name: ROLLED_COOKIE,
    value: String(now),
    httpOnly: true,
    sameSite: session.sameSite,
    secure: session.secure,
    path: session.path ?? '/',
    ...(session.domain ? { domain: session.domain } : {}),
    ...(session.maxAge !== undefined ? { maxAge: session.maxAge } : {}),
  });
}
