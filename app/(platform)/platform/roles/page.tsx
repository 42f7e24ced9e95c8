import type { Metadata } from 'next';
import { ShieldCheck } from 'lucide-react';
import { CatalogCreateDialog } from '@/components/catalog/catalog-create-dialog';
import { RoleForm } from '@/components/catalog/role-form';
import { Badge } from '@/components/ui/badge';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { RowTitle } from '@/components/ui/row-title';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listRoles } from '@/lib/data/catalog/roles';
import { parseListParams, type ListItem } from '@/lib/list-params';
import { createRole } from './actions';

export const metadata: Metadata = { title: 'Roles' };

const BASE = '/platform/roles';

const columns: DataTableColumn<ListItem<typeof listRoles>>[] = [
  {
    id: 'name',
    header: 'Name',
    className: 'font-medium',
    cell: (r) => (
      <RowTitle
        href={`${BASE}/${r.id}`}
        title={r.name}
        description={r.description}
        badges={
          r.builtIn && (
            <Badge variant="secondary" className="ml-2">
              Built-in
            </Badge>
          )
        }
      />
    ),
  },
  { id: 'key', header: 'Key', cell: (r) => <code className="font-mono text-xs">{r.key}</code> },
  { id: 'permissions', header: 'Permissions', align: 'right', className: 'tabular-nums', cell: (r) => r.permissionCount },
  { id: 'applications', header: 'Applications', align: 'right', className: 'tabular-nums', cell: (r) => r.applicationCount },
  {
    id: 'assignments',
    header: 'Assignments',
    align: 'right',
    className: 'tabular-nums',
    cell: (r) => (r.builtIn ? <span className="text-muted-foreground">By tier</span> : r.assignmentCount),
  },
];

export default async function RolesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.roles);
  const sp = await searchParams;
  const params = parseListParams(sp);
  const canWrite = can(ctx.actor, 'catalog:write');
  const page = await listRoles(ctx, { q: params.q, cursor: params.cursor });
  return (
    <ListPage
      title="Roles"
      description="The role catalog: what each role grants. The three built-in roles stand for the membership tiers and cannot be deleted."
      actions={
        canWrite ? (
          <CatalogCreateDialog buttonLabel="New role" title="New role" description="A role grants permissions and applications; choose them after creating it.">
            <RoleForm mode="create" action={createRole} />
          </CatalogCreateDialog>
        ) : null
      }
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search roles by key, name or description', placeholder: 'Key, name or description' }}
      caption="Roles"
      columns={columns}
      getRowId={(r) => r.id}
      empty={{
        icon: <ShieldCheck aria-hidden className="size-6" />,
        title: 'No roles yet',
        description: canWrite
          ? 'Create a role with “New role”, then choose the permissions and applications it grants.'
          : 'An operator creates roles; they will show here.',
      }}
      noMatch={{ title: 'No role matches', description: `No role has “${params.q}” in its key, name or description.` }}
    />
  );
}
