import type { Metadata } from 'next';
import Link from 'next/link';
import { Bot } from 'lucide-react';
import { pageHref } from '@/components/common/page-links';
import { SearchForm } from '@/components/common/search-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listClients } from '@/lib/data/clients';
import { PageCursor, SearchQuery } from '@/lib/schemas/org';

export const metadata: Metadata = { title: 'M2M clients' };

const BASE = '/platform/clients';

export default async function ClientsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.clients);
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const page = await listClients(ctx, { q, cursor });
  return (
    <div className="space-y-6">
      <PageHeader
        title="M2M clients"
        description="Machine-to-machine applications and the roles they hold, globally or per organization. Open a client to see its roles org by org and change them."
      />
      <SearchForm action={BASE} defaultValue={q} label="Search M2M clients by name or client id" placeholder="Name or client id" />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<Bot aria-hidden className="size-6" />}
          title={q ? 'No M2M client matches' : 'No M2M clients yet'}
          description={q ? `No M2M application has “${q}” in its name or client id.` : 'Register an application of type M2M under Applications to give it roles here.'}
        />
      ) : (
        <Table aria-label="M2M clients">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Client id</TableHead>
              <TableHead scope="col" className="text-right">
                Role assignments
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((c) => (
              <TableRow key={c.id}>
                <TableCell className="font-medium">
                  <Link href={`${BASE}/${c.id}`} className="underline-offset-4 hover:underline">
                    {c.name}
                  </Link>
                  {c.description && <span className="block text-xs font-normal text-muted-foreground">{c.description}</span>}
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{c.clientId}</code>
                </TableCell>
                <TableCell className="text-right tabular-nums">{c.assignmentCount}</TableCell>
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
