import { getOnly, platformRoute } from '@/lib/actions/define-route';
import { listPlatformMatrix } from '@/lib/data/matrix';
import { matrixFiltersFrom } from '@/lib/schemas/matrix';

/** One page of the platform access matrix (all users, or one org's with ?org=slug), as JSON. */
export const GET = platformRoute('matrix/rows', async (req, ctx) => {
  const page = await listPlatformMatrix(ctx, matrixFiltersFrom(new URL(req.url).searchParams));
  return Response.json(page, { headers: { 'Server-Timing': `matrix;dur=${page.serverMs}`, 'Cache-Control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
