import { getOnly, orgRoute } from '@/lib/actions/define-route';
import { attachmentDisposition } from '@/lib/content-disposition';
import { importReportCsv } from '@/lib/data/imports';
import { jobIdFromPath } from '@/lib/schemas/imports';

/** An import's per-row report as CSV (streamed; formula-looking cells are quoted as text). */
export const GET = orgRoute('imports/[jobId]/report', async (req, ctx) => {
  const { job, body } = await importReportCsv(ctx, jobIdFromPath(new URL(req.url).pathname, 'report'));
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentDisposition(['import-report', job.fileName.replace(/\.[^.]*$/, '')], 'csv'),
      'Cache-Control': 'no-store',
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
