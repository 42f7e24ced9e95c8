import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { getAuth0 } from '@/lib/auth0';
import { env } from '@/lib/env';
import { isDatabaseUnavailable } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { contentSecurityPolicy, isAppOrigin, newNonce, strictTransportSecurity } from '@/lib/security-headers';
import { markRolled } from '@/lib/session-roll';

/**
 * The proxy handles the Auth0 session (sign-in, callback, sign-out, rolling cookies), stamps a request id, sets the
 * browser security headers (a per-request CSP nonce, HSTS over https), and turns away server action calls from any
 * origin but APP_BASE_URL's. It never authorizes: every page, action and route checks identity and powers itself (see
 * CVE-2025-29927). The origin check is here rather than in the action wrapper because Next's own, looser check runs
 * before the wrapper and answers a foreign host with a 500.
 */
export async function proxy(request: NextRequest) {
  const settings = env();
  if (request.method === 'POST' && request.headers.has('next-action') && !isAppOrigin(request.headers.get('origin'), settings.appBaseUrl)) {
    return secured(new NextResponse('This request did not come from this site.', { status: 403, headers: { 'content-type': 'text/plain' } }), null, settings.appBaseUrl);
  }

  const csp = contentSecurityPolicy(newNonce(), { development: !settings.production });
  if (request.nextUrl.pathname.startsWith('/auth/')) return secured(await getAuth0().middleware(request), csp, settings.appBaseUrl);
  const authResponse = await rolledSession(request);

  const requestHeaders = new Headers(request.headers);
  const incoming = request.headers.get('x-request-id');
  const requestId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  requestHeaders.set('x-request-id', requestId);
  requestHeaders.set('x-gatehouse-path', request.nextUrl.pathname + request.nextUrl.search);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  requestHeaders.set('content-security-policy', csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [key, value] of authResponse.headers) {
    if (key.startsWith('x-middleware-') || key === 'set-cookie') continue;
    response.headers.set(key, value);
  }
  for (const cookie of authResponse.cookies.getAll()) response.cookies.set(cookie);
  markRolled(authResponse, response);
  response.headers.set('x-request-id', requestId);
  return secured(response, csp, settings.appBaseUrl);
}

/**
 * Rolls the session (the SDK reads and rewrites its row; at most once a minute, lib/session-roll.ts). With the
 * database down that throws; the page then answers for itself (its session read fails too, and its error boundary says
 * the database is unreachable inside the shell), so the proxy lets the request through unrolled instead of turning
 * every request into a bare 500.
 */
async function rolledSession(request: NextRequest): Promise<NextResponse> {
  try {
    return await getAuth0().middleware(request);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logger.warn({ path: request.nextUrl.pathname }, 'session not rolled: the database is unreachable');
    return NextResponse.next();
  }
}

function secured(response: NextResponse, csp: string | null, appBaseUrl: string): NextResponse {
  if (csp) response.headers.set('content-security-policy', csp);
  const hsts = strictTransportSecurity(appBaseUrl);
  if (hsts) response.headers.set('strict-transport-security', hsts);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health|api/v1/).*)'],
};
