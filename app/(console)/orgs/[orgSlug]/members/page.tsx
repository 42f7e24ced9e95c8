import type { Metadata } from 'next';
import Link from 'next/link';
import { UserPlus, Users } from 'lucide-react';
import { z } from 'zod';
import { buttonVariants } from '@/components/ui/button';
import { TruncatedText } from '@/components/ui/truncated-text';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { TIER_LABELS, TIERS } from '@/lib/vocabulary';
import { can, canAssignTier, canManageMember } from '@/lib/authz/policy';
import { listAssignableRoles } from '@/lib/data/assignments';
import { countMembers, listMembers, MEMBER_SORTS } from '@/lib/data/members';
import { MemberRowActions } from '@/components/members/member-row-actions';
import * as actions from './actions';
import { parseListParams, type ListItem } from '@/lib/list-params';

export const metadata: Metadata = { title: 'Members' };

const columns: DataTableColumn<ListItem<typeof listMembers>>[] = [
  { id: 'name', header: 'Name', sortable: true, className: 'font-medium', cell: (m) => (m.name ? <TruncatedText text={m.name} /> : '—') },
  { id: 'email', header: 'Email', cell: (m) => <TruncatedText text={m.email} /> },
  {
    id: 'tier',
    header: 'Tier',
    sortable: true,
    cell: (m) => <Badge variant={m.tier === 'OWNER' ? 'default' : m.tier === 'ADMIN' ? 'secondary' : 'outline'}>{TIER_LABELS[m.tier]}</Badge>,
  },
  {
    id: 'roles',
    header: 'Roles here',
    cell: (m) => (m.roles.length === 0 ? <span className="text-muted-foreground">—</span> : <TruncatedText text={m.roles.map((r) => r.name).join(', ')} />),
  },
  {
    id: 'last-sign-in',
    header: 'Last sign-in',
    sortable: true,
    sortDescFirst: true,
    className: 'whitespace-nowrap tabular-nums',
    cell: (m) => formatDateTime(m.lastLoginAt),
  },
];

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
  const list = parseListParams(sp, {
    sorts: { keys: MEMBER_SORTS, default: 'name' },
    filters: { tier: z.enum(TIERS), role: z.string().uuid() },
  });
  const query = {
    q: list.q,
    cursor: list.cursor,
    sort: list.sort?.key,
    direction: list.sort?.direction,
    tier: list.filters.tier,
    roleId: list.filters.role,
  };
  const [page, counts, roles] = await Promise.all([listMembers(ctx, query), countMembers(ctx, query), listAssignableRoles()]);
  const canInvite = can(ctx.actor, 'members:invite');
  const tiers = TIERS.filter((t) => canAssignTier(ctx.actor, t));
  const memberActions = {
    changeMemberTier: actions.changeMemberTier,
    grantMemberRole: actions.grantMemberRole,
    revokeMemberRole: actions.revokeMemberRole,
    removeMember: actions.removeMember,
    transferOwnership: actions.transferOwnership,
  };
  return (
    <ListPage
      title="Members"
      description={`${counts.total} ${counts.total === 1 ? 'member' : 'members'}${
        list.filtered ? `, ${counts.matching} matching` : ''
      }: their tier, their roles here and when they last signed in.`}
      actions={
        canInvite && (
          <Link href={`/orgs/${ctx.org.slug}/invitations#invite`} className={buttonVariants()}>
            <UserPlus aria-hidden className="size-4" />
            Invite
          </Link>
        )
      }
      filters={[
        { param: 'tier', label: 'Tier', allLabel: 'All tiers', options: TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] })) },
        ...(roles.length > 0 ? [{ param: 'role', label: 'Role', allLabel: 'Any role', options: roles.map((r) => ({ value: r.id, label: r.name })) }] : []),
      ]}
      base={`/orgs/${ctx.org.slug}/members`}
      params={list}
      page={page}
      search={{ label: 'Search members by name or email', placeholder: 'Name or email' }}
      caption="Members"
      columns={columns}
      getRowId={(m) => m.membershipId}
      rowActions={(m) => {
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
      }}
      empty={{ icon: <Users aria-hidden className="size-6" />, title: 'No members yet', description: 'Invite people to see them here.' }}
      noMatch={{
        title: 'No member matches',
        description: list.q ? `Nobody here with these filters has “${list.q}” in their name or email.` : 'Nobody here matches these filters.',
      }}
    />
  );
}
