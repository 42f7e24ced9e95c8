import type { Metadata } from 'next';
import { Mail } from 'lucide-react';
import { z } from 'zod';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { TIER_LABELS, TIERS } from '@/lib/vocabulary';
import { can, canAssignTier } from '@/lib/authz/policy';
import { listInvitations } from '@/lib/data/invitations';
import { listAssignableRoles } from '@/lib/data/assignments';
import { InviteForm } from '@/components/invitations/invite-form';
import { InvitationRowActions } from '@/components/invitations/invitation-row-actions';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { inviteMembers, resendInvitation, revokeInvitation } from './actions';
import { parseListParams, type ListItem } from '@/lib/list-params';

export const metadata: Metadata = { title: 'Invitations' };

const STATUSES = [
  { value: undefined, label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'expired', label: 'Expired' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'revoked', label: 'Revoked' },
] as const;
const FILTERS = { status: z.enum(['pending', 'expired', 'accepted', 'revoked']) };

const columns: DataTableColumn<ListItem<typeof listInvitations>>[] = [
  { id: 'email', header: 'Email', className: 'font-medium', cell: (i) => i.email },
  { id: 'tier', header: 'Tier', cell: (i) => TIER_LABELS[i.tier] },
  { id: 'roles', header: 'Roles', cell: (i) => i.roles.join(', ') || '—' },
  {
    id: 'status',
    header: 'Status',
    cell: (i) => <Badge variant={i.status === 'pending' ? 'warning' : i.status === 'accepted' ? 'success' : 'outline'}>{i.status}</Badge>,
  },
  { id: 'invited-by', header: 'Invited by', cell: (i) => i.invitedBy ?? '—' },
  { id: 'expires', header: 'Expires', className: 'tabular-nums', cell: (i) => formatDateTime(i.expiresAt) },
];

export default async function InvitationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.invitations);
  const sp = await searchParams;
  const list = parseListParams(sp, { filters: FILTERS });
  const canInvite = can(ctx.actor, 'members:invite');
  const canManage = can(ctx.actor, 'invitations:manage');
  const [page, roles] = await Promise.all([
    listInvitations(ctx, { status: list.filters.status, cursor: list.cursor }),
    canInvite ? listAssignableRoles() : [],
  ]);
  const tiers = TIERS.filter((t) => canAssignTier(ctx.actor, t));
  return (
    <ListPage
      title="Invitations"
      description={`Invitations expire after ${ctx.org.invitationTtlDays} days and work once.`}
      before={
        canInvite &&
        tiers.length > 0 && (
          <Card id="invite" className="scroll-mt-6">
            <CardHeader>
              <CardTitle>
                <h2>Invite people</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <InviteForm orgSlug={ctx.org.slug} tiers={tiers} roles={roles} action={inviteMembers} />
            </CardContent>
          </Card>
        )
      }
      base={`/orgs/${ctx.org.slug}/invitations`}
      params={list}
      page={page}
      tabs={{ param: 'status', label: 'Filter by status', options: [...STATUSES] }}
      caption="Invitations"
      columns={columns}
      getRowId={(i) => i.id}
      rowActions={(i) =>
        canManage &&
        canAssignTier(ctx.actor, i.tier) &&
        (i.status === 'pending' || i.status === 'expired') && (
          <InvitationRowActions orgSlug={ctx.org.slug} invitationId={i.id} email={i.email} resend={resendInvitation} revoke={revokeInvitation} />
        )
      }
      empty={{
        icon: <Mail aria-hidden className="size-6" />,
        title: 'No invitations here',
        description: 'Invitations you send show up in this list with their status.',
      }}
    />
  );
}
