import type { Metadata } from 'next';
import { MatrixView } from '@/components/access-matrix/matrix-view';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { getAccessCatalog, listPlatformMatrix, type MatrixPage } from '@/lib/data/matrix';
import { getOrgNameBySlug } from '@/lib/data/org-search';
import { AppError } from '@/lib/errors';
import { matrixFiltersFrom } from '@/lib/schemas/matrix';
import { grantFromPlatformMatrix, revokeFromPlatformMatrix } from './actions';

export const metadata: Metadata = { title: 'Access matrix' };

export default async function PlatformMatrixPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.matrix);
  const filters = { ...matrixFiltersFrom(await searchParams), cursor: undefined };
  const [catalog, orgName] = await Promise.all([getAccessCatalog(ctx), filters.orgSlug ? getOrgNameBySlug(ctx, filters.orgSlug) : undefined]);
  let page: MatrixPage | null = null;
  let problem: string | null = null;
  try {
    page = await listPlatformMatrix(ctx, filters);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem = e.message;
  }
  return (
    <div className="space-y-6">
      <PageHeader
        title="Access matrix"
        description="Everyone against every application. Without an organization only global roles count; pick an organization to see its members as they work there."
      />
      {problem && <Alert variant="destructive">{problem}</Alert>}
      <MatrixView
        base="/platform/matrix"
        rowsUrl="/platform/matrix/rows"
        exportUrl="/platform/matrix/export"
        filters={problem ? { ...filters, orgSlug: undefined } : filters}
        page={page ?? (await listPlatformMatrix(ctx, { ...filters, orgSlug: undefined }))}
        catalog={catalog}
        canWrite={can(ctx.actor, 'catalog:write')}
        scope={{ kind: 'platform', orgSlug: problem ? undefined : filters.orgSlug, grant: grantFromPlatformMatrix, revoke: revokeFromPlatformMatrix }}
        orgPicker={{ searchUrl: '/platform/orgs/search', current: !problem && filters.orgSlug ? { slug: filters.orgSlug, name: orgName } : null }}
      />
    </div>
  );
}
