import { z } from 'zod';
import { getOnly, platformRoute } from '@/lib/actions/define-route';
import { attachmentDisposition } from '@/lib/content-disposition';
import { AppError } from '@/lib/errors';
import { reachCsvStream } from '@/lib/data/reach-csv';

const Params = z.object({
  applicationId: z.string().uuid().optional().catch(undefined),
  org: z.string().max(100).optional().catch(undefined),
});

/** "Who can reach this" as CSV: one application (?applicationId=) or all of them, optionally one org (?org=slug). */
export const GET = platformRoute('applications/reach', async (req, ctx) => {
  const sp = new URL(req.url).searchParams;
  const { applicationId, org } = Params.parse({ applicationId: sp.get('applicationId') ?? undefined, org: sp.get('org') || undefined });
  // Every application × every org × every member is the whole matrix: that export lives on the matrix page.
  if (!applicationId) throw new AppError('BAD_INPUT', 'Choose an application (applicationId) to export who can reach it.');
  const stream = await reachCsvStream(ctx, { applicationId, orgSlug: org });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': attachmentDisposition(['reach', applicationId ? 'application' : 'all', org ?? 'all-orgs'], 'csv'),
      'Cache-Control': 'no-store',
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
