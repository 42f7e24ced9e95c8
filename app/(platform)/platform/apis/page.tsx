import type { Metadata } from 'next';
import Link from 'next/link';
import { Server } from 'lucide-react';
import { ApiForm } from '@/components/catalog/api-form';
import { CatalogCreateDialog } from '@/components/catalog/catalog-create-dialog';
import { formatDate } from '@/components/common/format';
import { pageHref } from '@/components/common/page-links';
import { SearchForm } from '@/components/common/search-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApis } from '@/lib/data/catalog/apis';
import { PageCursor, SearchQuery } from '@/lib/schemas/org';
import { createApi } from './actions';

export const metadata: Metadata = { title: 'APIs' };

const BASE = '/platform/apis';

export default async function ApisPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.apis);
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const canWrite = can(ctx.actor, 'catalog:write');
  const page = await listApis(ctx, { q, cursor });
  const create = canWrite ? (
    <CatalogCreateDialog buttonLabel="New API" title="New API" description="Register an Auth0 API (resource server) by its identifier; add its permissions next.">
      <ApiForm mode="create" action={createApi} />
    </CatalogCreateDialog>
  ) : null;
  return (
    <div className="space-y-6">
      <PageHeader
        title="APIs"
        description="The Auth0 APIs (resource servers) your backends protect, each with the permissions roles can grant."
        actions={create}
      />
      <SearchForm action={BASE} defaultValue={q} label="Search APIs by name or identifier" placeholder="Name or identifier" />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<Server aria-hidden className="size-6" />}
          title={q ? 'No API matches' : 'No APIs yet'}
          description={
            q
              ? `No API has “${q}” in its name or identifier.`
              : canWrite
                ? 'Add the APIs your backends protect with “New API”, then give each its permissions, such as read:config.'
                : 'An operator adds the APIs your backends protect; they will show here.'
          }
        />
      ) : (
        <Table aria-label="APIs">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Identifier</TableHead>
              <TableHead scope="col" className="text-right">
                Permissions
              </TableHead>
              <TableHead scope="col">Updated</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((a) => (
              <TableRow key={a.id}>
                <TableCell className="font-medium">
                  <Link href={`${BASE}/${a.id}`} className="underline-offset-4 hover:underline">
                    {a.name}
                  </Link>
                  {a.description && <span className="block text-xs font-normal text-muted-foreground">{a.description}</span>}
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{a.identifier}</code>
                </TableCell>
                <TableCell className="text-right tabular-nums">{a.permissionCount}</TableCell>
                <TableCell className="tabular-nums">{formatDate(a.updatedAt)}</TableCell>
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
