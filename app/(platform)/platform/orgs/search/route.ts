import { getOnly, platformRoute } from '@/lib/actions/define-route';
import { searchOrgsPage } from '@/lib/data/org-search';
import { OrgSearchQuery } from '@/lib/schemas/assignments';

/** The org picker's server-side search (?q= name or slug, ?cursor= next page), as JSON. */
export const GET = platformRoute('orgs/search', async (req, ctx) => {
  const sp = new URL(req.url).searchParams;
  const q = OrgSearchQuery.catch(undefined).parse(sp.get('q') ?? undefined);
  const page = await searchOrgsPage(ctx, { q, cursor: sp.get('cursor')?.slice(0, 500) ?? undefined });
  return Response.json(page, { headers: { 'Cache-Control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE } = getOnly();
