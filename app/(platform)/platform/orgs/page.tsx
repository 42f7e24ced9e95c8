import type { Metadata } from 'next';
import Link from 'next/link';
import { Building2 } from 'lucide-react';
import { SearchForm } from '@/components/common/search-form';
import { pageHref } from '@/components/common/page-links';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requirePlatform } from '@/lib/authz/context';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformOrgs } from '@/lib/data/platform-orgs';
import { recordPlatformView } from '@/lib/data/platform';
import { PageCursor, SearchQuery } from '@/lib/schemas/org';

export const metadata: Metadata = { title: 'Organizations' };

const BASE = '/platform/orgs';

export default async function PlatformOrgsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requirePlatform(PLATFORM_PAGE_POLICY.orgs);
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const [page] = await Promise.all([listPlatformOrgs(ctx, { q, cursor }), recordPlatformView(ctx, 'orgs')]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Organizations"
        description="Every organization, and the Auth0 organization each is linked to. The Auth0 Actions find an organization by that link first, then by its name as a slug."
      />
      <SearchForm action={BASE} defaultValue={q} label="Search organizations" placeholder="Name, slug or Auth0 organization id" />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<Building2 aria-hidden className="size-6" />}
          title={q ? 'No organization matches' : 'No organizations yet'}
          description={q ? 'Try another search.' : 'Organizations appear here when people create them.'}
          action={
            q ? (
              <Link href={BASE} className="text-sm underline underline-offset-4">
                Clear the search
              </Link>
            ) : undefined
          }
        />
      ) : (
        <Table aria-label="Organizations">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Slug</TableHead>
              <TableHead scope="col">Auth0 organization</TableHead>
              <TableHead scope="col" className="text-right">
                Members
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((o) => (
              <TableRow key={o.id}>
                <TableCell className="font-medium">
                  <Link href={`${BASE}/${o.id}`} className="underline-offset-4 hover:underline">
                    {o.name}
                  </Link>
                  {o.suspended && (
                    <Badge variant="secondary" className="ml-2">
                      Suspended
                    </Badge>
                  )}
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs">{o.slug}</code>
                </TableCell>
                <TableCell>
                  {o.auth0OrgId ? <code className="font-mono text-xs">{o.auth0OrgId}</code> : <span className="text-muted-foreground">Not linked</span>}
                </TableCell>
                <TableCell className="text-right tabular-nums">{o.members.toLocaleString('en')}</TableCell>
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
