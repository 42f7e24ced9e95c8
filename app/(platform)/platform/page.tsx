import type { Metadata } from 'next';
import Link from 'next/link';
import { ChartCard } from '@/components/platform/chart-card';
import { GroupedBars, HorizontalBars, Lines, StackedBars } from '@/components/platform/charts';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { DASHBOARD_RANGES, DashboardRangeParam, getPlatformDashboard, type TrendCard } from '@/lib/data/platform-dashboard';
import { PLATFORM_ROLE_LABELS } from '@/lib/vocabulary';
import { cn } from '@/lib/utils/cn';

export const metadata: Metadata = { title: 'Platform' };

const fmt = (n: number) => n.toLocaleString('en');

/** "+12% on the previous 30 days", said in words so the trend does not rest on colour or an arrow. */
function trend(card: TrendCard, days: number): string {
  if (card.previous === 0) return card.value === 0 ? `None in the previous ${days} days either` : `None in the previous ${days} days`;
  const change = Math.round(((card.value - card.previous) / card.previous) * 100);
  if (change === 0) return `Same as the previous ${days} days (${fmt(card.previous)})`;
  return `${change > 0 ? 'Up' : 'Down'} ${Math.abs(change)}% on the previous ${days} days (${fmt(card.previous)})`;
}

function first(v: string | string[] | undefined) {
  return Array.isArray(v) ? v[0] : v;
}

export default async function PlatformDashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['']);
  const sp = await searchParams;
  const days = DashboardRangeParam.parse(first(sp.days));
  const stack = first(sp.stack) === 'org' ? 'org' : 'app';
  const d = await getPlatformDashboard(ctx, days);
  const href = (over: { days?: number; stack?: string }) => {
    const q = new URLSearchParams({ days: String(over.days ?? days), ...((over.stack ?? stack) === 'org' ? { stack: 'org' } : {}) });
    return `/platform?${q}`;
  };
  const signIns = stack === 'org' ? d.signIns.byOrg : d.signIns.byApplication;
  const signInTotal = d.cards.find((c) => c.key === 'signIns')!.value;
  const busiest = signIns.days.reduce((best, x) => (x.total > best.total ? x : best), { day: d.from, total: 0, values: {} });
  const invitationsSent = d.cards.find((c) => c.key === 'invitationsSent')!.value;
  const invitationsAccepted = d.cards.find((c) => c.key === 'invitationsAccepted')!.value;
  const reach = d.reach.slice(0, 10);
  const firstGrowth = d.growth[0]!;
  const lastGrowth = d.growth[d.growth.length - 1]!;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Platform"
        description={`Every organization at a glance. You are ${PLATFORM_ROLE_LABELS[ctx.user.platformRole].toLowerCase()}; what you look at here is recorded in the audit log.`}
      />

      <nav aria-label="Time range" className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-muted-foreground">Show the last</span>
        {DASHBOARD_RANGES.map((r) => (
          <Link
            key={r}
            href={href({ days: r })}
            aria-current={r === days ? 'page' : undefined}
            className={cn('rounded-md border px-3 py-1', r === days ? 'border-primary bg-primary text-primary-foreground' : 'border-border hover:bg-muted')}
          >
            {r} days
          </Link>
        ))}
        <span className="text-muted-foreground">
          ({d.from} to {d.to}, UTC)
        </span>
      </nav>

      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Figures">
        {d.cards.map((c) => (
          <li key={c.key}>
            <Card>
              <CardHeader>
                <CardDescription>
                  {c.label}, last {days} days
                </CardDescription>
                <CardTitle className="text-3xl tabular-nums">{fmt(c.value)}</CardTitle>
                <p className="text-xs text-muted-foreground">
                  {trend(c, days)}
                  {c.total !== undefined && `. ${fmt(c.total)} in all`}
                  {c.key === 'orgs' && d.suspendedOrgs > 0 && `, ${fmt(d.suspendedOrgs)} suspended`}
                </p>
              </CardHeader>
            </Card>
          </li>
        ))}
      </ul>

      <div className="grid gap-4 xl:grid-cols-2">
        <ChartCard
          id="growth"
          title="Organizations and users"
          summary={`From ${fmt(firstGrowth.orgs)} to ${fmt(lastGrowth.orgs)} organizations and from ${fmt(firstGrowth.users)} to ${fmt(lastGrowth.users)} users over the last ${days} days.`}
          empty={lastGrowth.orgs === 0 && lastGrowth.users === 0 ? 'No organizations or users yet: they appear here as people sign up.' : undefined}
          table={{
            caption: 'Organizations and users at the end of each day',
            head: ['Day', 'Organizations', 'Users'],
            rows: d.growth.map((g) => ({ key: g.day, cells: [g.day, fmt(g.orgs), fmt(g.users)] })),
          }}
        >
          <Lines
            data={d.growth}
            lines={[
              { key: 'orgs', label: 'Organizations' },
              { key: 'users', label: 'Users', axis: 'right' },
            ]}
          />
        </ChartCard>

        <ChartCard
          id="sign-ins"
          title="Sign-ins per day"
          summary={`${fmt(signInTotal)} sign-ins in the last ${days} days; the busiest day was ${busiest.day} with ${fmt(busiest.total)}. Stacked by ${stack === 'org' ? 'the five busiest organizations' : 'the five busiest applications'}.`}
          empty={signInTotal === 0 ? `No sign-ins in the last ${days} days. They appear here once people sign in through Auth0.` : undefined}
          controls={
            <nav aria-label="Stack sign-ins by" className="flex gap-1 text-xs">
              {(['app', 'org'] as const).map((s) => (
                <Link
                  key={s}
                  href={href({ stack: s })}
                  aria-current={s === stack ? 'true' : undefined}
                  className={cn('rounded-md border px-2 py-1', s === stack ? 'border-primary bg-primary text-primary-foreground' : 'border-border hover:bg-muted')}
                >
                  By {s === 'org' ? 'organization' : 'application'}
                </Link>
              ))}
            </nav>
          }
          table={{
            caption: `Sign-ins per day by ${stack === 'org' ? 'organization' : 'application'}`,
            head: ['Day', ...signIns.series.map((s) => s.label), 'Total'],
            rows: signIns.days.map((x) => ({ key: x.day, cells: [x.day, ...signIns.series.map((s) => fmt(x.values[s.key] ?? 0)), fmt(x.total)] })),
          }}
        >
          <StackedBars days={signIns.days} series={signIns.series} />
          {stack === 'org' && signIns.series.some((s) => s.href) && (
            <p className="text-sm">
              Busiest organizations:{' '}
              {signIns.series
                .filter((s) => s.href)
                .map((s, i) => (
                  <span key={s.key}>
                    {i > 0 && ', '}
                    <Link href={s.href!} className="underline underline-offset-4">
                      {s.label}
                    </Link>
                  </span>
                ))}
            </p>
          )}
        </ChartCard>

        <ChartCard
          id="invitations"
          title="Invitations sent and accepted"
          summary={`${fmt(invitationsSent)} invitations sent and ${fmt(invitationsAccepted)} accepted in the last ${days} days.`}
          empty={invitationsSent === 0 && invitationsAccepted === 0 ? `No invitations in the last ${days} days. Org admins invite people from their members page.` : undefined}
          table={{
            caption: 'Invitations sent and accepted per day',
            head: ['Day', 'Sent', 'Accepted'],
            rows: d.invitations.map((x) => ({ key: x.day, cells: [x.day, fmt(x.sent), fmt(x.accepted)] })),
          }}
        >
          <GroupedBars
            data={d.invitations}
            bars={[
              { key: 'sent', label: 'Sent' },
              { key: 'accepted', label: 'Accepted' },
            ]}
          />
        </ChartCard>

        <ChartCard
          id="reach"
          title="Applications people can reach"
          summary={
            reach[0]
              ? `${reach[0].name} is reachable by the most members (${fmt(reach[0].members)}), as decided from today's roles and policies. A person in two organizations counts once in each.`
              : ''
          }
          empty={reach.length === 0 || reach[0]!.members === 0 ? 'No member can reach an application yet: add applications and map roles to them.' : undefined}
          table={{
            caption: 'Members who can reach each application',
            head: ['Application', 'Members who can reach it'],
            rows: reach.map((r) => ({
              key: r.applicationId,
              cells: [
                <Link key="a" href={`/platform/applications/${r.applicationId}`} className="underline underline-offset-4">
                  {r.name}
                </Link>,
                fmt(r.members),
              ],
            })),
          }}
        >
          <HorizontalBars data={reach.map((r) => ({ name: r.name, value: r.members }))} label="Members who can reach it" />
        </ChartCard>
      </div>
    </div>
  );
}
