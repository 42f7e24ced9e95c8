import { getOnly } from '@/lib/actions/define-route';
import { db } from '@/lib/db';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for load balancers. Says nothing else about the deployment. */
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok' });
  } catch {
    return Response.json({ status: 'degraded', database: 'unreachable' }, { status: 503 });
  }
}

export const { POST, PUT, PATCH, DELETE } = getOnly();
