import type { Metadata } from 'next';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_ROLE_LABELS } from '@/lib/vocabulary';
import { getPlatformOverview } from '@/lib/data/platform';

export const metadata: Metadata = { title: 'Platform' };

export default async function PlatformDashboardPage() {
  const ctx = await pagePlatform('platform:read');
  const overview = await getPlatformOverview(ctx);
  const stats = [
    { label: 'Organizations', value: overview.orgs, note: `${overview.suspendedOrgs} suspended` },
    { label: 'Users', value: overview.users, note: `${overview.memberships} memberships` },
    { label: 'Sign-ins, last 7 days', value: overview.signInsLast7Days },
    { label: 'New organizations, last 30 days', value: overview.newOrgsLast30Days },
    { label: 'Applications', value: overview.applications },
    { label: 'Roles', value: overview.roles },
  ];
  return (
    <div className="space-y-6">
      <PageHeader
        title="Platform"
        description={`Every organization at a glance. You are ${PLATFORM_ROLE_LABELS[ctx.user.platformRole].toLowerCase()}; what you look at here is recorded in the audit log.`}
      />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {stats.map((s) => (
          <li key={s.label}>
            <Card>
              <CardHeader>
                <CardDescription>{s.label}</CardDescription>
                <CardTitle className="text-3xl tabular-nums">{s.value.toLocaleString('en')}</CardTitle>
                {s.note && <p className="text-xs text-muted-foreground">{s.note}</p>}
              </CardHeader>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
