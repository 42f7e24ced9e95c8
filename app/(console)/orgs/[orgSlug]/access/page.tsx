import type { Metadata } from 'next';
import { MatrixView } from '@/components/access-matrix/matrix-view';
import { PageHeader } from '@/components/ui/page-header';
import { pageOrgContext } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { getAccessCatalog, listOrgMatrix } from '@/lib/data/matrix';
import { matrixFiltersFrom } from '@/lib/schemas/matrix';
import { grantFromOrgMatrix, revokeFromOrgMatrix } from './actions';

export const metadata: Metadata = { title: 'Access' };

export default async function AccessPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.access);
  const { orgSlug: _ignored, ...filters } = matrixFiltersFrom(await searchParams);
  const [page, catalog] = await Promise.all([listOrgMatrix(ctx, { ...filters, cursor: undefined }), getAccessCatalog(ctx)]);
  const base = `/orgs/${ctx.org.slug}/access`;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Access"
        description="Who can reach which application in this organization. Focus or hover a cell for the reason; select it to grant or revoke a role here."
      />
      <MatrixView
        base={base}
        rowsUrl={`${base}/rows`}
        exportUrl={`${base}/export`}
        filters={{ ...filters, cursor: undefined, orgSlug: undefined }}
        page={page}
        catalog={catalog}
        canWrite={can(ctx.actor, 'access:write')}
        scope={{ kind: 'org', orgSlug: ctx.org.slug, grant: grantFromOrgMatrix, revoke: revokeFromOrgMatrix }}
      />
    </div>
  );
}
