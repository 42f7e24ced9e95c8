import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { requireOrgContext, requirePlatform } from '@/lib/authz/context';
import { ORG_ROUTE_POLICY, PLATFORM_ROUTE_POLICY, type OrgRoute, type PlatformRoute } from '@/lib/authz/surface';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { recordPlatformView } from '@/lib/data/platform';
import { asAppError, toHttpResponse } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { getRequestId } from '@/lib/request-id';

/**
 * Route handlers, the same way as actions: the permission comes from the route table by name, identity and powers
 * are checked inside the handler, and only AppError messages leave the server.
 */
async function answer(name: string, body: () => Promise<Response>): Promise<Response> {
  try {
    return await body();
  } catch (error) {
    unstable_rethrow(error);
    const requestId = await getRequestId();
    const known = asAppError(error);
    if (!known || known.code === 'INTERNAL') logger.error({ err: error, requestId, route: name }, 'route failed');
    else if (known !== error) logger.warn({ err: error, requestId, route: name }, 'input refused by the database');
    return toHttpResponse(error, requestId);
  }
}

export function orgRoute(
  name: OrgRoute,
  handler: (req: Request, ctx: OrgContext) => Promise<Response>,
): (req: Request, props: { params: Promise<{ orgSlug: string }> }) => Promise<Response> {
  return (req, props) =>
    answer(name, async () => {
      const { orgSlug } = await props.params;
      const ctx = await requireOrgContext(orgSlug, ORG_ROUTE_POLICY[name]);
      return handler(req, ctx);
    });
}

export function platformRoute(name: PlatformRoute, handler: (req: Request, ctx: PlatformContext) => Promise<Response>): (req: Request) => Promise<Response> {
  return (req) =>
    answer(name, async () => {
      const ctx = await requirePlatform(PLATFORM_ROUTE_POLICY[name]);
      // Every platform route reads tenant data (the matrix's rows, its CSV export): the look is audited here, once.
      const url = new URL(req.url);
      await recordPlatformView(ctx, url.pathname + url.search);
      return handler(req, ctx);
    });
}

/**
 * The answers of a GET-only route handler to the methods it does not take: 405 with the `Allow` header that RFC 9110
 * §15.5.6 requires ("The origin server MUST generate an Allow header field in a 405 response"). Next answers an
 * unexported method with a bare 405 and no Allow, so each route exports these beside its GET:
 * `export const { POST, PUT, PATCH, DELETE } = getOnly();`
 */
export function getOnly() {
  const refuse = async () =>
    new Response(JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: 'This address only answers GET.' } }), {
      status: 405,
      headers: { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    });
  return { POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}
