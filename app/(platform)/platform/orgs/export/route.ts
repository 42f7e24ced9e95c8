import { getOnly, platformRoute } from '@/lib/actions/define-route';
import { attachmentDisposition } from '@/lib/content-disposition';
import { listPlatformOrgs } from '@/lib/data/platform-orgs';
import { orgsCsvStream } from '@/lib/data/platform-orgs-csv';
import { parseListParams } from '@/lib/list-params';
import { PLATFORM_ORG_LIST_OPTIONS, platformOrgFilters } from '@/lib/schemas/platform-orgs';

/** The organizations list for the current search, filters and sort, as CSV (every page, streamed). */
export const GET = platformRoute('orgs/export', async (req, ctx) => {
  const params = parseListParams(Object.fromEntries(new URL(req.url).searchParams), PLATFORM_ORG_LIST_OPTIONS);
  const filters = platformOrgFilters(params);
  const stream = await orgsCsvStream((cursor) => listPlatformOrgs(ctx, { ...filters, cursor, limit: 200 }));
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': attachmentDisposition(['organizations', params.filters.status ?? 'all'], 'csv'),
      'Cache-Control': 'no-store',
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
