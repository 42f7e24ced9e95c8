import 'server-only';
import { Auth0Client } from '@auth0/nextjs-auth0/server';
import type { SessionData } from '@auth0/nextjs-auth0/types';
import { NextResponse } from 'next/server';
import { CONNECTION_CLAIM } from '@/lib/claims';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { logger } from '@/lib/logger';
import { identityFromClaims } from '@/lib/provisioning/identity';
import { recordSignIn } from '@/lib/provisioning/sign-in';
import { ROLLED_COOKIE, rolledRecently, SESSION_COOKIE } from '@/lib/session-roll';
import { createSessionStore, SESSION_LIFETIME } from '@/lib/session-store';

let client: Auth0Client | undefined;

/**
 * The Auth0 client, built from validated settings on first use (so `next build` needs no secrets).
 * The local identity provider is reached over http on loopback only; a real tenant is always https.
 */
export function getAuth0(): Auth0Client {
  if (client) return client;
  const settings = env();
  if (!settings.auth0) {
    throw new Error('AUTH0_* settings are missing: start Gatehouse with `npm run demo` or set them (see README)');
  }
  const { domain, clientId, clientSecret, secret, allowInsecureRequests } = settings.auth0;
  client = new Auth0Client({
    domain,
    clientId,
    clientSecret,
    secret,
    appBaseUrl: settings.appBaseUrl,
    allowInsecureRequests,
    authorizationParameters: { scope: 'openid profile email' },
    session: {
      rolling: true,
      inactivityDuration: SESSION_LIFETIME.inactivitySeconds,
      absoluteDuration: SESSION_LIFETIME.absoluteSeconds,
      // A response that sets a cookie makes Next treat a server action as having revalidated the page, so it re-renders
      // it: a failed form would be replaced, and every save would re-render a page it did not change. Pages and
      // navigations still roll the session; actions never did anything to it that a page view does not.
      // And at most once a minute (lib/session-roll.ts): rolling is a third of a small page's server time.
      beforeSessionRolled: (request) => !isServerAction(request) && !rolledRecently(request.cookies.get(ROLLED_COOKIE)?.value),
      cookie: { name: SESSION_COOKIE },
    },
    // Sessions are rows in PostgreSQL and the cookie holds only their id, so signing out ends them on the server.
    sessionStore: createSessionStore(db),
    // Keep the stored session small: only the claims Gatehouse reads.
    async beforeSessionSaved(session: SessionData) {
      const u = session.user;
      return {
        ...session,
        user: {
          sub: u.sub,
          email: u.email,
          email_verified: u.email_verified,
          name: u.name,
          picture: u.picture,
          [CONNECTION_CLAIM]: u[CONNECTION_CLAIM],
        },
      };
    },
    // Every sign-in creates or updates the user and records the login.
    async onCallback(error, ctx, session) {
      const base = ctx.appBaseUrl ?? settings.appBaseUrl;
      if (error || !session) {
        logger.warn({ err: error?.message, code: error?.code }, 'sign-in callback failed');
        return NextResponse.redirect(new URL('/signed-out?error=signin', base));
      }
      try {
        await recordSignIn(db, { requestId: crypto.randomUUID() }, identityFromClaims(session.user));
      } catch (e) {
        logger.error({ err: e }, 'could not record sign-in');
        return NextResponse.redirect(new URL('/signed-out?error=account', base));
      }
      const returnTo = ctx.returnTo && ctx.returnTo.startsWith('/') && !ctx.returnTo.startsWith('//') ? ctx.returnTo : '/';
      return NextResponse.redirect(new URL(returnTo, base));
    },
  });
  return client;
}

/** A server action call: Next posts it to the page's own URL with a `next-action` header. */
function isServerAction(request: Request): boolean {
  return request.method === 'POST' && request.headers.has('next-action');
}
