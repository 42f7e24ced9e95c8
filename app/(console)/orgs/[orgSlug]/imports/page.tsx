import type { Metadata } from 'next';
import { ImportUploadForm } from '@/components/imports/import-upload-form';
import { IMPORTS_EMPTY, importJobColumns } from '@/components/imports/import-views';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ListPage } from '@/components/ui/list-page';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listImports } from '@/lib/data/imports';
import { parseListParams } from '@/lib/list-params';
import { startOrgImport } from './actions';

export const metadata: Metadata = { title: 'Bulk import' };

export default async function OrgImportsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.imports);
  const list = parseListParams(await searchParams);
  const page = await listImports(ctx, { cursor: list.cursor });
  const base = `/orgs/${ctx.org.slug}/imports`;
  return (
    <ListPage
      title="Bulk import"
      description={`Add people to ${ctx.org.name} with a tier and roles from a file. The file is checked first (a dry run that changes nothing); ${ctx.membership.tier === 'OWNER' ? 'owners may import any tier' : 'admins import admins and employees, never owners'}.`}
      before={
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Upload a file</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <ImportUploadForm action={startOrgImport} base={base} orgSlug={ctx.org.slug} />
          </CardContent>
        </Card>
      }
      base={base}
      params={list}
      page={page}
      caption="Imports"
      columns={importJobColumns(base)}
      getRowId={(j) => j.id}
      empty={IMPORTS_EMPTY}
      firstLabel="Newest"
      nextLabel="Older"
    />
  );
}
