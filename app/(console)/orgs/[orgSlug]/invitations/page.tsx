import type { Metadata } from 'next';
import Link from 'next/link';
import { Mail } from 'lucide-react';
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
import { can, canAssignTier } from '@/lib/authz/policy';
import { listInvitations, type InvitationStatus } from '@/lib/data/invitations';
import { listAssignableRoles } from '@/lib/data/assignments';
import { InviteForm } from '@/components/invitations/invite-form';
import { InvitationRowActions } from '@/components/invitations/invitation-row-actions';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { inviteMembers, resendInvitation, revokeInvitation } from './actions';
import { PageCursor } from '@/lib/schemas/org';
import { z } from 'zod';

export const metadata: Metadata = { title: 'Invitations' };

const STATUSES: { value: InvitationStatus | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'expired', label: 'Expired' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'revoked', label: 'Revoked' },
];
const Status = z.enum(['pending', 'expired', 'accepted', 'revoked']).optional().catch(undefined);

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
  const status = Status.parse(sp.status);
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const canInvite = can(ctx.actor, 'members:invite');
  const canManage = can(ctx.actor, 'invitations:manage');
  const [page, roles] = await Promise.all([listInvitations(ctx, { status, cursor }), canInvite ? listAssignableRoles() : []]);
  const base = `/orgs/${ctx.org.slug}/invitations`;
  const tiers = TIERS.filter((t) => canAssignTier(ctx.actor, t));
  return (
    <div className="space-y-6">
      <PageHeader title="Invitations" description={`Invitations expire after ${ctx.org.invitationTtlDays} days and work once.`} />
      {canInvite && tiers.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Invite people</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <InviteForm orgSlug={ctx.org.slug} tiers={tiers} roles={roles} action={inviteMembers} />
          </CardContent>
        </Card>
      )}
      <nav aria-label="Filter by status">
        <ul className="flex flex-wrap gap-2">
          {STATUSES.map((s) => (
            <li key={s.label}>
              <Link
                href={pageHref(base, { status: s.value })}
                aria-current={s.value === status ? 'page' : undefined}
                className="rounded-full border border-border px-3 py-1 text-sm hover:bg-muted aria-[current=page]:bg-primary aria-[current=page]:text-primary-foreground"
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {page.items.length === 0 ? (
        <EmptyState icon={<Mail aria-hidden className="size-6" />} title="No invitations here" description="Invitations you send show up in this list with their status." />
      ) : (
        <Table aria-label="Invitations">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Email</TableHead>
              <TableHead scope="col">Tier</TableHead>
              <TableHead scope="col">Roles</TableHead>
              <TableHead scope="col">Status</TableHead>
              <TableHead scope="col">Invited by</TableHead>
              <TableHead scope="col">Expires</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((i) => (
              <TableRow key={i.id}>
                <TableCell className="font-medium">{i.email}</TableCell>
                <TableCell>{TIER_LABELS[i.tier]}</TableCell>
                <TableCell>{i.roles.join(', ') || '—'}</TableCell>
                <TableCell>
                  <Badge variant={i.status === 'pending' ? 'warning' : i.status === 'accepted' ? 'success' : 'outline'}>{i.status}</Badge>
                </TableCell>
                <TableCell>{i.invitedBy ?? '—'}</TableCell>
                <TableCell className="tabular-nums">{formatDateTime(i.expiresAt)}</TableCell>
                <TableCell>
                  {canManage && canAssignTier(ctx.actor, i.tier) && (i.status === 'pending' || i.status === 'expired') && (
                    <InvitationRowActions orgSlug={ctx.org.slug} invitationId={i.id} email={i.email} resend={resendInvitation} revoke={revokeInvitation} />
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? pageHref(base, { status }) : undefined}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref(base, { status, cursor: page.nextCursor }) : undefined}
      />
    </div>
  );
}
