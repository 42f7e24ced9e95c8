import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { getAuth0 } from '@/lib/auth0';

/**
 * The proxy only handles the Auth0 session (sign-in, callback, sign-out, rolling cookies) and stamps a request id.
 * It never authorizes: every page, action and route checks identity and powers itself (see CVE-2025-29927).
 */
export async function proxy(request: NextRequest) {
  const authResponse = await getAuth0().middleware(request);
  if (request.nextUrl.pathname.startsWith('/auth/')) return authResponse;

  const requestHeaders = new Headers(request.headers);
  const incoming = request.headers.get('x-request-id');
  const requestId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  requestHeaders.set('x-request-id', requestId);
  requestHeaders.set('x-gatehouse-path', request.nextUrl.pathname + request.nextUrl.search);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [key, value] of authResponse.headers) {
    if (key.startsWith('x-middleware-') || key === 'set-cookie') continue;
    response.headers.set(key, value);
  }
  for (const cookie of authResponse.cookies.getAll()) response.cookies.set(cookie);
  response.headers.set('x-request-id', requestId);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health|api/v1/).*)'],
};
