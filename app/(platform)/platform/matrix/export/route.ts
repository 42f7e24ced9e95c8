import { attachmentDisposition } from '@/lib/content-disposition';
import { getOnly, platformRoute } from '@/lib/actions/define-route';
import { matrixCsvStream } from '@/lib/data/matrix-csv';
import { listPlatformMatrix } from '@/lib/data/matrix';
import { matrixFiltersFrom } from '@/lib/schemas/matrix';

/** The platform access matrix for the current filter, as CSV (all pages, streamed). */
export const GET = platformRoute('matrix/export', async (req, ctx) => {
  const { cursor: _c, ...filters } = matrixFiltersFrom(new URL(req.url).searchParams);
  const stream = await matrixCsvStream((cursor) => listPlatformMatrix(ctx, { ...filters, cursor, limit: 200 }));
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentDisposition(['access', filters.orgSlug ?? 'all', filters.subjects], 'csv'),
      'Cache-Control': 'no-store',
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
