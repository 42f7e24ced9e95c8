import type { Metadata } from 'next';
import { Server } from 'lucide-react';
import { ApiForm } from '@/components/catalog/api-form';
import { CatalogCreateDialog } from '@/components/catalog/catalog-create-dialog';
import { formatDate } from '@/components/common/format';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { RowTitle } from '@/components/ui/row-title';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApis } from '@/lib/data/catalog/apis';
import { parseListParams, type ListItem } from '@/lib/list-params';
import { createApi } from './actions';

export const metadata: Metadata = { title: 'APIs' };

const BASE = '/platform/apis';

const columns: DataTableColumn<ListItem<typeof listApis>>[] = [
  {
    id: 'name',
    header: 'Name',
    className: 'font-medium',
    cell: (a) => <RowTitle href={`${BASE}/${a.id}`} title={a.name} description={a.description} />,
  },
  { id: 'identifier', header: 'Identifier', cell: (a) => <code className="font-mono text-xs">{a.identifier}</code> },
  { id: 'permissions', header: 'Permissions', align: 'right', className: 'tabular-nums', cell: (a) => a.permissionCount },
  { id: 'updated', header: 'Updated', className: 'tabular-nums', cell: (a) => formatDate(a.updatedAt) },
];

export default async function ApisPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.apis);
  const sp = await searchParams;
  const params = parseListParams(sp);
  const canWrite = can(ctx.actor, 'catalog:write');
  const page = await listApis(ctx, { q: params.q, cursor: params.cursor });
  return (
    <ListPage
      title="APIs"
      description="The Auth0 APIs (resource servers) your backends protect, each with the permissions roles can grant."
      actions={
        canWrite ? (
          <CatalogCreateDialog buttonLabel="New API" title="New API" description="Register an Auth0 API (resource server) by its identifier; add its permissions next.">
            <ApiForm mode="create" action={createApi} />
          </CatalogCreateDialog>
        ) : null
      }
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search APIs by name or identifier', placeholder: 'Name or identifier' }}
      caption="APIs"
      columns={columns}
      getRowId={(a) => a.id}
      empty={{
        icon: <Server aria-hidden className="size-6" />,
        title: 'No APIs yet',
        description: canWrite
          ? 'Add the APIs your backends protect with “New API”, then give each its permissions, such as read:config.'
          : 'An operator adds the APIs your backends protect; they will show here.',
      }}
      noMatch={{ title: 'No API matches', description: `No API has “${params.q}” in its name or identifier.` }}
    />
  );
}
