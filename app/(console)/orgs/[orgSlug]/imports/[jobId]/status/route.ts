import { getOnly, orgRoute } from '@/lib/actions/define-route';
import { getImport } from '@/lib/data/imports';
import { AppError } from '@/lib/errors';
import { jobIdFromPath } from '@/lib/schemas/imports';

/** An import's status and progress as JSON, polled by the progress bar (TanStack Query). */
export const GET = orgRoute('imports/[jobId]/status', async (req, ctx) => {
  const job = await getImport(ctx, jobIdFromPath(new URL(req.url).pathname, 'status'));
  if (!job) throw new AppError('NOT_FOUND', 'That import does not exist.');
  return Response.json(job, { headers: { 'Cache-Control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
