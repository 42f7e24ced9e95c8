import type { Metadata } from 'next';
import Link from 'next/link';
import { AppWindow, Search } from 'lucide-react';
import { ApplicationForm } from '@/components/catalog/application-form';
import { CatalogCreateDialog } from '@/components/catalog/catalog-create-dialog';
import { pageHref } from '@/components/common/page-links';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApplications } from '@/lib/data/catalog/applications';
import { ACCESS_POLICY_EXPLANATIONS, ACCESS_POLICY_LABELS, APP_TYPE_LABELS, APP_TYPES, AppTypeFilter, type AppType } from '@/lib/schemas/catalog';
import { PageCursor, SearchQuery } from '@/lib/schemas/org';
import { createApplication } from './actions';

export const metadata: Metadata = { title: 'Applications' };

const BASE = '/platform/applications';

/** A GET form, so the filter and the search land in the URL together. */
function FilterForm({ q, type }: { q?: string; type?: AppType }) {
  return (
    <form action={BASE} method="get" role="search" aria-label="Filter applications" className="flex flex-wrap items-end gap-2">
      <div className="space-y-1.5">
        <label htmlFor="app-type" className="text-sm font-medium">
          Type
        </label>
        <select
          id="app-type"
          name="type"
          defaultValue={type ?? ''}
          className="flex h-9 rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs"
        >
          <option value="">All types</option>
          {APP_TYPES.map((t) => (
            <option key={t} value={t}>
              {APP_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <div className="w-72 space-y-1.5">
        <label htmlFor="q" className="text-sm font-medium">
          Name or client id
        </label>
        <Input id="q" name="q" type="search" defaultValue={q} maxLength={200} />
      </div>
      <Button type="submit" variant="secondary">
        <Search aria-hidden className="size-4" />
        Apply
      </Button>
    </form>
  );
}

export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.applications);
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const type = AppTypeFilter.parse(sp.type);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const canWrite = can(ctx.actor, 'catalog:write');
  const page = await listApplications(ctx, { q, type, cursor });
  const filtered = Boolean(q || type);
  const create = canWrite ? (
    <CatalogCreateDialog
      buttonLabel="New application"
      title="New application"
      description="Register an application or M2M client by its Auth0 client id, and choose who may use it."
    >
      <ApplicationForm mode="create" action={createApplication} />
    </CatalogCreateDialog>
  ) : null;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Applications"
        description="The applications and M2M clients your users and services sign in to, each with the policy that decides who may."
        actions={create}
      />
      <FilterForm q={q} type={type} />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<AppWindow aria-hidden className="size-6" />}
          title={filtered ? 'No application matches' : 'No applications yet'}
          description={
            filtered
              ? 'Try another type or search, or clear the filters.'
              : canWrite
                ? 'Register your Auth0 applications with “New application”, then map roles to them from each role’s page.'
                : 'An operator registers applications; they will show here.'
          }
          action={
            filtered ? (
              <Link href={BASE} className="text-sm underline underline-offset-4">
                Clear the filters
              </Link>
            ) : undefined
          }
        />
      ) : (
        <Table aria-label="Applications">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Type</TableHead>
              <TableHead scope="col">Client id</TableHead>
              <TableHead scope="col">Access policy</TableHead>
              <TableHead scope="col" className="text-right">
                Mapped roles
              </TableHead>
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
                  <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge>
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{a.clientId}</code>
                </TableCell>
                <TableCell>
                  <span className="font-medium">{ACCESS_POLICY_LABELS[a.accessPolicy]}</span>
                  <span className="block text-xs text-muted-foreground">{ACCESS_POLICY_EXPLANATIONS[a.accessPolicy]}</span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{a.roleCount}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? pageHref(BASE, { q, type }) : undefined}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref(BASE, { q, type, cursor: page.nextCursor }) : undefined}
      />
    </div>
  );
}
