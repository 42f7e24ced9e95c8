import { attachmentDisposition } from '@/lib/content-disposition';
import { getOnly, orgRoute } from '@/lib/actions/define-route';
import { matrixCsvStream } from '@/lib/data/matrix-csv';
import { listOrgMatrix } from '@/lib/data/matrix';
import { matrixFiltersFrom } from '@/lib/schemas/matrix';

/** The org's access matrix for the current filter, as CSV (all pages, streamed). */
export const GET = orgRoute('access/export', async (req, ctx) => {
  const { orgSlug: _ignored, cursor: _c, ...filters } = matrixFiltersFrom(new URL(req.url).searchParams);
  const stream = await matrixCsvStream((cursor) => listOrgMatrix(ctx, { ...filters, cursor, limit: 200 }));
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentDisposition(['access', ctx.org.slug, filters.subjects], 'csv'),
      'Cache-Control': 'no-store',
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
