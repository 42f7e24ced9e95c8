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
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { TIER_LABELS, TIERS } from '@/lib/authz/permissions';
import { can, canAssignTier, canManageMember } from '@/lib/authz/policy';
import { listAssignableRoles } from '@/lib/data/assignments';
import { listMembers } from '@/lib/data/members';
import { MemberRowActions } from '@/components/members/member-row-actions';
import * as actions from './actions';
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
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.members);
  const sp = await searchParams;
  const q = SearchQuery.catch(undefined).parse(sp.q);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const [page, roles] = await Promise.all([listMembers(ctx, { q, cursor }), listAssignableRoles()]);
  const tiers = TIERS.filter((t) => canAssignTier(ctx.actor, t));
  const memberActions = {
    changeMemberTier: actions.changeMemberTier,
    grantMemberRole: actions.grantMemberRole,
    revokeMemberRole: actions.revokeMemberRole,
    removeMember: actions.removeMember,
    transferOwnership: actions.transferOwnership,
  };
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
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
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
                <TableCell className="text-right">
                  {(() => {
                    const self = m.userId === ctx.user.id;
                    const manage = canManageMember(ctx.actor, m.tier);
                    return (
                      <MemberRowActions
                        orgSlug={ctx.org.slug}
                        member={{ membershipId: m.membershipId, label: m.name ?? m.email, tier: m.tier, roleIds: m.roles.map((r) => r.id) }}
                        tiers={manage ? tiers : []}
                        roles={roles}
                        canManageRoles={manage}
                        canRemove={manage && !self}
                        canTransfer={can(ctx.actor, 'ownership:transfer') && !self}
                        actions={memberActions}
                      />
                    );
                  })()}
                </TableCell>
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
