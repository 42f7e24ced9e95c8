import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Check, X } from 'lucide-react';
import { auditRows } from '@/components/audit/audit-rows';
import { AuditTable } from '@/components/audit/audit-table';
import { platformAuditHref } from '@/components/audit/audit-sentence';
import { formatDateTime } from '@/components/common/format';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { DangerZone } from '@/components/ui/danger-zone';
import { DataTable } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listUserAuditTrail } from '@/lib/data/audit-events';
import { getPlatformUser, type PlatformUserDto } from '@/lib/data/platform-users';
import { listHref } from '@/lib/list-params';
import { PLATFORM_ROLE_LABELS, TIER_LABELS } from '@/lib/vocabulary';
import { blockUser, unblockUser } from '../actions';

export const metadata: Metadata = { title: 'User' };

type Membership = PlatformUserDto['memberships'][number];

function RoleList({ roles }: { roles: PlatformUserDto['globalRoles'] }) {
  if (roles.length === 0) return <span className="text-muted-foreground">None</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {roles.map((r) => (
        <Badge key={r.id} variant={r.expired ? 'outline' : 'secondary'} title={r.key}>
          {r.name}
          {r.expired ? ' (expired)' : r.expiresAt ? ` (until ${r.expiresAt.slice(0, 10)})` : ''}
        </Badge>
      ))}
    </span>
  );
}

function MembershipReach({ m }: { m: Membership }) {
  const headingId = `org-${m.orgId}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-border p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="font-semibold">
          <Link href={`/platform/orgs/${m.orgId}`} className="underline-offset-4 hover:underline">
            {m.name}
          </Link>{' '}
          <span className="font-normal text-muted-foreground">({m.slug})</span>
        </h3>
        <span className="flex flex-wrap items-center gap-2 text-sm">
          <Badge variant="outline">{TIER_LABELS[m.tier]}</Badge>
          {m.suspended && <Badge variant="outline">Suspended</Badge>}
        </span>
      </div>
      <p className="text-sm">
        <span className="text-muted-foreground">Roles here: </span>
        <RoleList roles={m.roles} />
      </p>
      {m.reach.length === 0 ? (
        <p className="text-sm text-muted-foreground">No applications in the catalog yet.</p>
      ) : (
        <DataTable
          caption={`What ${m.name} lets this user reach`}
          rows={m.reach}
          getRowId={(r) => r.applicationId}
          columns={[
            {
              id: 'app',
              header: 'Application',
              cell: (r) => (
                <Link href={`/platform/applications/${r.applicationId}`} className="underline-offset-4 hover:underline">
                  {r.application}
                </Link>
              ),
            },
            { id: 'allow', header: 'Access', cell: (r) => (r.allow ? (
                <Badge variant="secondary">
                  <Check aria-hidden className="size-3" /> Allowed
                </Badge>
              ) : (
                <Badge variant="outline">
                  <X aria-hidden className="size-3" /> Denied
                </Badge>
              )) },
            { id: 'why', header: 'Why', className: 'text-sm', cell: (r) => r.message },
          ]}
        />
      )}
    </section>
  );
}

export default async function PlatformUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['users/[userId]']);
  const { userId } = await params;
  const user = await getPlatformUser(ctx, userId);
  if (!user) notFound();
  const trail = await listUserAuditTrail(ctx, user.id, { limit: 20 });
  const canBlock = can(ctx.actor, 'users:block') && ctx.user.id !== user.id;
  const seesAudit = can(ctx.actor, 'platform_audit:read');
  const title = user.name ? `${user.name}` : user.email;
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: 'Platform', href: '/platform' }, { label: 'Users', href: '/platform/users' }, { label: user.email }]} />
      <PageHeader title={title} description={`${user.email} · ${user.sub}`} />

      <Card className="max-w-3xl">
        <CardHeader>
          <CardTitle>
            <h2>Details</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Email</dt>
            <dd className="break-all">
              {user.email} {user.emailVerified ? <Badge variant="secondary">Verified</Badge> : <Badge variant="outline">Not verified</Badge>}
            </dd>
            <dt className="text-muted-foreground">Auth0 subject</dt>
            <dd>
              <code className="font-mono break-all">{user.sub}</code>
            </dd>
            <dt className="text-muted-foreground">Connection</dt>
            <dd>{user.connection ?? '—'}</dd>
            <dt className="text-muted-foreground">Platform role</dt>
            <dd>{PLATFORM_ROLE_LABELS[user.platformRole]}</dd>
            <dt className="text-muted-foreground">Status</dt>
            <dd>{user.blocked ? <Badge variant="outline">Blocked since {formatDateTime(user.blockedAt)}</Badge> : 'Active'}</dd>
            <dt className="text-muted-foreground">Global roles</dt>
            <dd>
              <RoleList roles={user.globalRoles} />
            </dd>
            <dt className="text-muted-foreground">Signed in</dt>
            <dd className="tabular-nums">
              {user.loginCount.toLocaleString('en')} times, last {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'never'}
            </dd>
            <dt className="text-muted-foreground">First seen</dt>
            <dd className="tabular-nums">{formatDateTime(user.createdAt)}</dd>
          </dl>
        </CardContent>
      </Card>

      <section aria-labelledby="reach-title" className="space-y-3">
        <h2 id="reach-title" className="text-lg font-semibold">
          Organizations and what they can reach
        </h2>
        <p className="max-w-3xl text-sm text-muted-foreground">
          Each organization this user belongs to, their tier and roles there, and for every application whether the decision API lets them in and why.
          {user.blocked && ' A blocked user is denied everything.'}
        </p>
        {user.memberships.length === 0 ? (
          <p className="text-sm">Not a member of any organization.</p>
        ) : (
          <div className="space-y-4">
            {user.memberships.map((m) => (
              <MembershipReach key={m.orgId} m={m} />
            ))}
            {user.moreMemberships > 0 && <p className="text-sm text-muted-foreground">And {user.moreMemberships.toLocaleString('en')} more organizations.</p>}
          </div>
        )}
      </section>

      <section aria-labelledby="sign-ins-title" className="space-y-3">
        <h2 id="sign-ins-title" className="text-lg font-semibold">
          Last sign-ins
        </h2>
        {user.lastSignIns.length === 0 ? (
          <p className="text-sm text-muted-foreground">No sign-in recorded.</p>
        ) : (
          <DataTable
            caption="Last sign-ins"
            rows={user.lastSignIns}
            getRowId={(l) => `${l.at}-${l.clientId ?? ''}-${l.org?.id ?? ''}`}
            columns={[
              { id: 'at', header: 'When', className: 'whitespace-nowrap tabular-nums', cell: (l) => formatDateTime(l.at) },
              { id: 'kind', header: 'Kind', cell: (l) => (l.kind === 'REFRESH' ? 'Token refresh' : 'Sign-in') },
              {
                id: 'org',
                header: 'Organization',
                cell: (l) =>
                  l.org ? (
                    <Link href={`/platform/orgs/${l.org.id}`} className="underline-offset-4 hover:underline">
                      {l.org.name}
                    </Link>
                  ) : (
                    <span className="text-muted-foreground">None</span>
                  ),
              },
              {
                id: 'app',
                header: 'Application',
                cell: (l) =>
                  l.application ? (
                    <Link href={`/platform/applications/${l.application.id}`} className="underline-offset-4 hover:underline">
                      {l.application.name}
                    </Link>
                  ) : (
                    <code className="font-mono text-xs">{l.clientId ?? '—'}</code>
                  ),
              },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="trail-title" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="trail-title" className="text-lg font-semibold">
            Audit trail
          </h2>
          {seesAudit && (
            <span className="flex gap-3 text-sm">
              <Link href={listHref('/platform/audit', { actor: user.id })} className="underline-offset-4 hover:underline">
                All events by this user
              </Link>
              <Link href={listHref('/platform/audit', { target: `user:${user.id}` })} className="underline-offset-4 hover:underline">
                All events about this user
              </Link>
            </span>
          )}
        </div>
        {trail.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">Nothing recorded by or about this user.</p>
        ) : (
          <AuditTable
            caption="Audit events by or about this user"
            rows={auditRows(trail.items, platformAuditHref, { showOrg: true, detailHref: seesAudit ? (e) => `/platform/audit/${e.id}` : undefined })}
            showOrg
          />
        )}
      </section>

      {canBlock && (
        <DangerZone
          title={user.blocked ? 'Unblock this user' : 'Block this user'}
          description={
            user.blocked
              ? 'They can sign in again and the decision API answers for them as before.'
              : 'A blocked user is denied by every decision (the decision API answers user_blocked within a second) and signed out of the console on every device.'
          }
        >
          {user.blocked ? (
            <ConfirmAction
              label="Unblock user"
              title={`Unblock ${user.email}?`}
              description="Their memberships and roles apply again at once."
              confirmLabel="Unblock user"
              destructive={false}
              done={`Unblocked ${user.email}`}
              input={{ userId: user.id }}
              action={unblockUser}
            />
          ) : (
            <ConfirmAction
              label="Block user"
              variant="destructive"
              title={`Block ${user.email}?`}
              description="They are denied everything and signed out everywhere until someone unblocks them."
              confirmLabel="Block user"
              done={`Blocked ${user.email}`}
              input={{ userId: user.id }}
              action={blockUser}
            />
          )}
        </DangerZone>
      )}
    </div>
  );
}
