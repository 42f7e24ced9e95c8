import type { Metadata } from 'next';
import { ImportUploadForm } from '@/components/imports/import-upload-form';
import { IMPORTS_EMPTY, importJobColumns } from '@/components/imports/import-views';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listImports } from '@/lib/data/imports';
import { parseListParams } from '@/lib/list-params';
import { startPlatformImport } from './actions';

export const metadata: Metadata = { title: 'Bulk import' };

const BASE = '/platform/imports';

export default async function PlatformImportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.imports);
  const params = parseListParams(await searchParams);
  const page = await listImports(ctx, { cursor: params.cursor });
  return (
    <ListPage
      title="Bulk import"
      description="Add people to any organization with a tier and roles from a file. Every file is checked first (a dry run that changes nothing); then it runs in the background, in batches, and can be followed here."
      before={
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Upload a file</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <ImportUploadForm action={startPlatformImport} base={BASE} />
          </CardContent>
        </Card>
      }
      base={BASE}
      params={params}
      page={page}
      caption="Imports"
      columns={importJobColumns(BASE)}
      getRowId={(j) => j.id}
      empty={IMPORTS_EMPTY}
      firstLabel="Newest"
      nextLabel="Older"
    />
  );
}
