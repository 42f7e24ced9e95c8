import type { Metadata } from 'next';
import Link from 'next/link';
import { ShieldCheck } from 'lucide-react';
import { CatalogCreateDialog } from '@/components/catalog/catalog-create-dialog';
import { RoleForm } from '@/components/catalog/role-form';
import { pageHref } from '@/components/common/page-links';
import { SearchForm } from '@/components/common/search-form';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listRoles } from '@/lib/data/catalog/roles';
import { PageCursor, SearchQuery } from '@/lib/schemas/org';
import { createRole } from './actions';

export const metadata: Metadata = { title: 'Roles' };

const BASE = '/platform/roles';

export default async function RolesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.roles);
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const canWrite = can(ctx.actor, 'catalog:write');
  const page = await listRoles(ctx, { q, cursor });
  const create = canWrite ? (
    <CatalogCreateDialog buttonLabel="New role" title="New role" description="A role grants permissions and applications; choose them after creating it.">
      <RoleForm mode="create" action={createRole} />
    </CatalogCreateDialog>
  ) : null;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Roles"
        description="The role catalog: what each role grants. The three built-in roles stand for the membership tiers and cannot be deleted."
        actions={create}
      />
      <SearchForm action={BASE} defaultValue={q} label="Search roles by key, name or description" placeholder="Key, name or description" />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<ShieldCheck aria-hidden className="size-6" />}
          title={q ? 'No role matches' : 'No roles yet'}
          description={
            q
              ? `No role has “${q}” in its key, name or description.`
              : canWrite
                ? 'Create a role with “New role”, then choose the permissions and applications it grants.'
                : 'An operator creates roles; they will show here.'
          }
        />
      ) : (
        <Table aria-label="Roles">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Key</TableHead>
              <TableHead scope="col" className="text-right">
                Permissions
              </TableHead>
              <TableHead scope="col" className="text-right">
                Applications
              </TableHead>
              <TableHead scope="col" className="text-right">
                Assignments
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((r) => (
              <TableRow key={r.id}>
                <TableCell className="font-medium">
                  <Link href={`${BASE}/${r.id}`} className="underline-offset-4 hover:underline">
                    {r.name}
                  </Link>
                  {r.builtIn && (
                    <Badge variant="secondary" className="ml-2">
                      Built-in
                    </Badge>
                  )}
                  {r.description && <span className="block text-xs font-normal text-muted-foreground">{r.description}</span>}
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{r.key}</code>
                </TableCell>
                <TableCell className="text-right tabular-nums">{r.permissionCount}</TableCell>
                <TableCell className="text-right tabular-nums">{r.applicationCount}</TableCell>
                <TableCell className="text-right tabular-nums">{r.builtIn ? <span className="text-muted-foreground">By tier</span> : r.assignmentCount}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? pageHref(BASE, { q }) : undefined}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref(BASE, { q, cursor: page.nextCursor }) : undefined}
      />
    </div>
  );
}
