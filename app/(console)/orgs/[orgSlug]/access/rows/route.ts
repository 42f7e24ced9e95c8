import { getOnly, orgRoute } from '@/lib/actions/define-route';
import { listOrgMatrix } from '@/lib/data/matrix';
import { matrixFiltersFrom } from '@/lib/schemas/matrix';

/** One page of the org's access matrix, as JSON, for the virtualized grid. */
export const GET = orgRoute('access/rows', async (req, ctx) => {
  const { orgSlug: _ignored, ...filters } = matrixFiltersFrom(new URL(req.url).searchParams);
  const page = await listOrgMatrix(ctx, filters);
  return Response.json(page, { headers: { 'Server-Timing': `matrix;dur=${page.serverMs}`, 'Cache-Control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
