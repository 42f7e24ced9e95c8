import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatDateTime } from '@/components/common/format';
import { Auth0LinkForm } from '@/components/orgs/auth0-link-form';
import { OrgSuspensionForm } from '@/components/orgs/org-suspension-form';
import { ChartCard } from '@/components/platform/chart-card';
import { GroupedBars } from '@/components/platform/charts';
import { Badge } from '@/components/ui/badge';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { DangerZone } from '@/components/ui/danger-zone';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCaption, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { DETAIL_LIST_LIMIT, getPlatformOrgDetail, SIGN_IN_DAYS } from '@/lib/data/platform-org-detail';
import { TIER_LABELS } from '@/lib/vocabulary';
import { setOrgAuth0Link, suspendOrg, unsuspendOrg } from '../actions';

export const metadata: Metadata = { title: 'Organization' };

const fmt = (n: number) => n.toLocaleString('en');

function SimpleTable({ caption, head, rows }: { caption: string; head: string[]; rows: { key: string; cells: React.ReactNode[] }[] }) {
  return (
    <TableContainer label={caption}>
      <Table>
        <TableCaption className="sr-only">{caption}</TableCaption>
        <TableHeader>
          <TableRow>
            {head.map((h) => (
              <TableHead key={h} scope="col">
                {h}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.key}>
              {r.cells.map((c, i) => (
                <TableCell key={i}>{c}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 id={`${id}-title`}>{title}</h2>
          </CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
    </section>
  );
}

export default async function PlatformOrgPage({ params }: { params: Promise<{ orgId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['orgs/[orgId]']);
  const { orgId } = await params;
  const detail = await getPlatformOrgDetail(ctx, orgId);
  if (!detail) notFound();
  const { org } = detail;
  const canWrite = can(ctx.actor, 'catalog:write');
  const canSuspend = can(ctx.actor, 'orgs:suspend');
  const signInTotal = detail.signIns.reduce((s, d) => s + d.signIns, 0);
  const reachable = detail.reach.filter((r) => r.members > 0);
  const matrixHref = `/platform/matrix?org=${encodeURIComponent(org.slug)}`;

  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: 'Platform', href: '/platform' }, { label: 'Organizations', href: '/platform/orgs' }, { label: org.name }]} />
      <PageHeader title={org.name} description={`The organization with the slug ${org.slug}.`} />

      <div className="grid gap-4 lg:grid-cols-2 [&>*]:min-w-0">
        <Section id="details" title="Details">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Slug</dt>
            <dd>
              <code className="font-mono">{org.slug}</code>
            </dd>
            <dt className="text-muted-foreground">Status</dt>
            <dd>{org.suspended ? <Badge variant="secondary">Suspended since {formatDateTime(org.suspendedAt)}</Badge> : 'Active'}</dd>
            <dt className="text-muted-foreground">Created</dt>
            <dd className="tabular-nums">{formatDateTime(org.createdAt)}</dd>
            <dt className="text-muted-foreground">Last sign-in</dt>
            <dd className="tabular-nums">{org.lastSignInAt ? formatDateTime(org.lastSignInAt) : 'Never'}</dd>
          </dl>
        </Section>

        <Section id="members" title="Members by tier" description={`${fmt(org.members)} members in all.`}>
          <dl className="mb-4 grid grid-cols-3 gap-2 text-sm">
            {(['OWNER', 'ADMIN', 'EMPLOYEE'] as const).map((t) => (
              <div key={t} className="rounded-md border border-border p-3">
                <dt className="text-muted-foreground">{TIER_LABELS[t]}s</dt>
                <dd className="text-2xl font-semibold tabular-nums">{fmt(detail.tiers[t])}</dd>
              </div>
            ))}
          </dl>
          {detail.leaders.length > 0 ? (
            <SimpleTable
              caption="Owners and admins"
              head={['Person', 'Tier']}
              rows={detail.leaders.map((m) => ({
                key: m.userId,
                cells: [
                  <Link key="u" href={`/platform/users/${m.userId}`} className="underline-offset-4 hover:underline">
                    {m.name ? `${m.name} (${m.email})` : m.email}
                  </Link>,
                  TIER_LABELS[m.tier],
                ],
              }))}
            />
          ) : (
            <p className="text-sm text-muted-foreground">No owners or admins.</p>
          )}
          {detail.tiers.OWNER + detail.tiers.ADMIN > DETAIL_LIST_LIMIT && (
            <p className="mt-2 text-sm text-muted-foreground">The first {DETAIL_LIST_LIMIT} owners and admins by email.</p>
          )}
        </Section>
      </div>

      <Section
        id="reach"
        title="What its members can reach"
        description={
          <>
            Members who can reach each application today, decided from their tier and roles.{' '}
            <Link href={matrixHref} className="underline underline-offset-4">
              Open the access matrix for {org.slug}
            </Link>{' '}
            to see who and why.
          </>
        }
      >
        {org.suspended ? (
          <p className="text-sm">Suspended: every decision for this organization is denied (org_suspended).</p>
        ) : reachable.length === 0 ? (
          <p className="text-sm text-muted-foreground">No member can reach an application.</p>
        ) : (
          <SimpleTable
            caption="Members who can reach each application"
            head={['Application', 'Members']}
            rows={reachable.map((r) => ({
              key: r.applicationId,
              cells: [
                <Link key="a" href={`/platform/applications/${r.applicationId}`} className="underline-offset-4 hover:underline">
                  {r.name}
                </Link>,
                <span key="n" className="tabular-nums">
                  {fmt(r.members)} of {fmt(org.members)}
                </span>,
              ],
            }))}
          />
        )}
      </Section>

      <ChartCard
        id="org-sign-ins"
        title="Sign-ins per day"
        summary={`${fmt(signInTotal)} sign-ins in the last ${SIGN_IN_DAYS} days.`}
        empty={signInTotal === 0 ? `No sign-ins in the last ${SIGN_IN_DAYS} days.` : undefined}
        table={{
          caption: `Sign-ins per day to ${org.name}`,
          head: ['Day', 'Sign-ins'],
          rows: detail.signIns.map((d) => ({ key: d.day, cells: [d.day, fmt(d.signIns)] })),
        }}
      >
        <GroupedBars data={detail.signIns} bars={[{ key: 'signIns', label: 'Sign-ins' }]} />
      </ChartCard>

      <div className="grid gap-4 lg:grid-cols-2 [&>*]:min-w-0">
        <Section id="invitations" title="Pending invitations" description={`${fmt(detail.pendingInvitations.total)} pending.`}>
          {detail.pendingInvitations.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">No pending invitations.</p>
          ) : (
            <SimpleTable
              caption="Pending invitations"
              head={['Email', 'Tier', 'Expires']}
              rows={detail.pendingInvitations.items.map((i) => ({ key: i.id, cells: [i.email, TIER_LABELS[i.tier], formatDateTime(i.expiresAt)] }))}
            />
          )}
        </Section>

        <Section id="clients" title="M2M clients" description="Machine-to-machine clients with a role in this organization.">
          {detail.clients.length === 0 ? (
            <p className="text-sm text-muted-foreground">No M2M client acts in this organization.</p>
          ) : (
            <SimpleTable
              caption="M2M clients"
              head={['Client', 'Roles']}
              rows={detail.clients.map((c) => ({
                key: c.id,
                cells: [
                  <Link key="c" href={`/platform/clients/${c.id}`} className="underline-offset-4 hover:underline">
                    {c.name}
                  </Link>,
                  c.roles.join(', '),
                ],
              }))}
            />
          )}
        </Section>
      </div>

      <Section id="audit" title="Latest audit events" description="The ten most recent events of this organization.">
        {detail.latestAudit.length === 0 ? (
          <p className="text-sm text-muted-foreground">No events yet.</p>
        ) : (
          <SimpleTable
            caption="Latest audit events"
            head={['When', 'Who', 'What', 'Target']}
            rows={detail.latestAudit.map((e) => ({
              key: e.id,
              cells: [formatDateTime(e.at), e.actorLabel ?? 'System', <code key="a" className="font-mono text-xs">{e.action}</code>, e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'],
            }))}
          />
        )}
      </Section>

      <section aria-labelledby="auth0-link-title">
        <Card className="max-w-2xl">
          <CardHeader>
            <CardTitle>
              <h2 id="auth0-link-title">Auth0 organization</h2>
            </CardTitle>
            <CardDescription>
              The Auth0 Actions find this organization by the Auth0 organization’s id first. Without a link they try the Auth0 organization’s
              name as this organization’s slug, which only works when the two are spelled alike (Auth0 names may hold underscores; slugs may not).
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-3">
            <p className="text-sm">
              {org.auth0OrgId ? (
                <>
                  Linked to <code className="font-mono">{org.auth0OrgId}</code>.
                </>
              ) : (
                'Not linked to an Auth0 organization.'
              )}
            </p>
            {canWrite ? (
              <Auth0LinkForm orgId={org.id} current={org.auth0OrgId} action={setOrgAuth0Link} />
            ) : (
              <p className="text-sm text-muted-foreground">Operators and superadmins can change the link.</p>
            )}
          </CardContent>
        </Card>
      </section>

      {canSuspend ? (
        <section aria-label={org.suspended ? 'Reinstate this organization' : 'Suspend this organization'}>
        <DangerZone
          title={org.suspended ? 'Reinstate this organization' : 'Suspend this organization'}
          description={
            org.suspended
              ? 'Its members get their access back, and decisions for it are answered from their roles again, within a second.'
              : 'Its members see the suspended page instead of the console, and every access decision for it is denied (org_suspended) within a second. Nothing is deleted.'
          }
        >
          <OrgSuspensionForm orgId={org.id} slug={org.slug} suspended={org.suspended} action={org.suspended ? unsuspendOrg : suspendOrg} />
        </DangerZone>
        </section>
      ) : (
        <p className="text-sm text-muted-foreground">Only superadmins can suspend or reinstate an organization.</p>
      )}
    </div>
  );
}
