import type { Metadata } from 'next';
import { Users } from 'lucide-react';
import { SearchForm } from '@/components/common/search-form';
import { formatDateTime } from '@/components/common/format';
import { pageHref } from '@/components/common/page-links';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOrgContext } from '@/lib/authz/context';
import { TIER_LABELS } from '@/lib/authz/permissions';
import { listMembers } from '@/lib/data/members';
import { PageCursor, SearchQuery } from '@/lib/schemas/org';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgContext(orgSlug, 'members:read');
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const page = await listMembers(ctx, { q, cursor });
  const base = `/orgs/${ctx.org.slug}/members`;
  return (
    <div className="space-y-6">
      <PageHeader title="Members" description="Everyone in this organization, their tier, their roles here and when they last signed in." />
      <SearchForm action={base} defaultValue={q} label="Search members by name or email" placeholder="Name or email" />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<Users aria-hidden className="size-6" />}
          title={q ? 'No member matches' : 'No members yet'}
          description={q ? `Nobody here has “${q}” in their name or email.` : 'Invite people to see them here.'}
        />
      ) : (
        <Table aria-label="Members">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Email</TableHead>
              <TableHead scope="col">Tier</TableHead>
              <TableHead scope="col">Roles here</TableHead>
              <TableHead scope="col">Last sign-in</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((m) => (
              <TableRow key={m.membershipId}>
                <TableCell className="font-medium">{m.name ?? '—'}</TableCell>
                <TableCell>{m.email}</TableCell>
                <TableCell>
                  <Badge variant={m.tier === 'OWNER' ? 'default' : m.tier === 'ADMIN' ? 'secondary' : 'outline'}>{TIER_LABELS[m.tier]}</Badge>
                </TableCell>
                <TableCell>{m.roles.length === 0 ? <span className="text-muted-foreground">—</span> : m.roles.map((r) => r.name).join(', ')}</TableCell>
                <TableCell className="tabular-nums">{formatDateTime(m.lastLoginAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? pageHref(base, { q }) : undefined}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref(base, { q, cursor: page.nextCursor }) : undefined}
      />
    </div>
  );
}
