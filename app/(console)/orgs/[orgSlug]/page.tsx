import { ConfirmAction } from '@/components/forms/confirm-action';
import { leaveOrg } from './members/actions';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Badge } from '@/components/ui/badge';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { TIER_LABELS } from '@/lib/vocabulary';
import { can } from '@/lib/authz/policy';
import { getOrgOverview } from '@/lib/data/orgs';
import { listMyApplications } from '@/lib/data/reach';
import { listMyRolesInOrg } from '@/lib/data/roles';
import { YourApplications } from '@/components/reach/your-applications';

export const metadata: Metadata = { title: 'Overview' };

export default async function OrgOverviewPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY['']);
  const [overview, myRoles, myApps] = await Promise.all([getOrgOverview(ctx), listMyRolesInOrg(ctx), listMyApplications(ctx)]);
  const base = `/orgs/${ctx.org.slug}`;
  const totalMembers = overview.members.OWNER + overview.members.ADMIN + overview.members.EMPLOYEE;
  const stats = [
    { label: 'Members', value: totalMembers, href: can(ctx.actor, 'members:read') ? `${base}/members` : undefined },
    { label: 'Pending invitations', value: overview.pendingInvitations, href: can(ctx.actor, 'invitations:read') ? `${base}/invitations` : undefined },
    { label: 'Org role assignments', value: overview.orgRoleAssignments, href: can(ctx.actor, 'access:read') ? `${base}/access` : undefined },
    { label: 'M2M clients acting here', value: overview.m2mClients, href: can(ctx.actor, 'clients:read') ? `${base}/clients` : undefined },
  ];
  return (
    <div className="space-y-8">
      <PageHeader title={ctx.org.name} description={`You are ${TIER_LABELS[ctx.membership.tier].toLowerCase()} of this organization.`} />
      <section aria-labelledby="numbers" className="space-y-3">
        <h2 id="numbers" className="sr-only">
          Numbers
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {stats.map((s) => (
            <li key={s.label}>
              <Card>
                <CardHeader>
                  <CardDescription>{s.label}</CardDescription>
                  <CardTitle className="text-3xl tabular-nums">
                    {s.href ? (
                      <Link href={s.href} className="hover:underline">
                        {s.value.toLocaleString('en')}
                      </Link>
                    ) : (
                      s.value.toLocaleString('en')
                    )}
                  </CardTitle>
                </CardHeader>
              </Card>
            </li>
          ))}
        </ul>
        <p className="text-sm text-muted-foreground">
          {overview.members.OWNER} {overview.members.OWNER === 1 ? 'owner' : 'owners'}, {overview.members.ADMIN}{' '}
          {overview.members.ADMIN === 1 ? 'admin' : 'admins'}, {overview.members.EMPLOYEE}{' '}
          {overview.members.EMPLOYEE === 1 ? 'employee' : 'employees'}.
        </p>
      </section>
      <section aria-labelledby="my-access">
        <Card>
          <CardHeader>
            <CardTitle id="my-access">Your roles here</CardTitle>
            <CardDescription>Roles decide which applications you can reach while working in {ctx.org.name}.</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="flex flex-wrap gap-2">
              {myRoles.map((r) => (
                <li key={`${r.key}-${r.scope}`}>
                  <Badge variant={r.scope === 'tier' ? 'secondary' : 'outline'} title={r.description || undefined}>
                    {r.name}
                    <span className="sr-only"> ({r.scope === 'tier' ? 'from your tier' : r.scope === 'org' ? 'in this org' : 'everywhere'})</span>
                  </Badge>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      </section>
      <YourApplications orgName={ctx.org.name} apps={myApps} />
      <section aria-label="Your membership" className="flex flex-wrap items-center justify-between gap-4 border-t pt-6">
        <p className="min-w-0 text-sm text-muted-foreground wrap-anywhere">Signed in as {ctx.user.email}, {TIER_LABELS[ctx.membership.tier].toLowerCase()} of {ctx.org.name}.</p>
        <ConfirmAction
          action={leaveOrg}
          input={{ orgSlug: ctx.org.slug, confirm: true }}
          label="Leave organization"
          title={`Leave ${ctx.org.name}?`}
          description="You lose access to this organization and your roles here. Someone must invite you again to come back."
          confirmLabel="Leave"
          redirectTo="/"
        />
      </section>
    </div>
  );
}
