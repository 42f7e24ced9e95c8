import 'server-only';
import { z } from 'zod';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { getPlatformReach, type ReachDto } from './platform-reach';

/**
 * The platform dashboard's figures for a range of 7, 30 or 90 days (UTC days, today included), each card with the
 * same figure for the period before it. Sign-ins are read from the daily rollups (org_sign_in_days,
 * client_sign_in_days: a few thousand rows for 90 days, not a million login events); orgs, users and invitations
 * from platform_daily_counts (ADR 0009). Cross-tenant: callers hold platform:read.
 */

export const DASHBOARD_RANGES = [7, 30, 90] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];
export const DashboardRangeParam = z.coerce
  .number()
  .refine((n): n is DashboardRange => (DASHBOARD_RANGES as readonly number[]).includes(n))
  .catch(30) as unknown as z.ZodType<DashboardRange>;

/** How many series a stacked chart shows before the rest become "Other". */
export const TOP_SERIES = 5;
export const OTHER_KEY = 'other';

export interface TrendCard {
  key: 'orgs' | 'users' | 'signIns' | 'invitationsSent' | 'invitationsAccepted';
  label: string;
  /** The figure for this period (for orgs and users: new ones in the period). */
  value: number;
  previous: number;
  /** Orgs and users: how many there are in all. */
  total?: number;
}

export interface Series {
  key: string;
  label: string;
  /** The org's detail page, for series that name an org. */
  href?: string;
}

export interface StackedDay {
  day: string;
  /** Sign-ins per series key. */
  values: Record<string, number>;
  total: number;
}

export interface PlatformDashboardDto {
  days: DashboardRange;
  from: string;
  to: string;
  cards: TrendCard[];
  suspendedOrgs: number;
  /** Orgs and users there were at the end of each day. */
  growth: { day: string; orgs: number; users: number }[];
  signIns: { byApplication: { series: Series[]; days: StackedDay[] }; byOrg: { series: Series[]; days: StackedDay[] } };
  invitations: { day: string; sent: number; accepted: number }[];
  /** Applications by members who can reach them (decide over the facts), most first. */
  reach: ReachDto[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The range's days, oldest first, ending today (UTC). */
export function rangeDays(days: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => isoDay(new Date(today - (days - 1 - i) * DAY_MS)));
}

type Metric = 'orgs_created' | 'orgs_deleted' | 'users_created' | 'users_deleted' | 'invitations_sent' | 'invitations_accepted';

interface DayCount {
  day: string;
  n: number;
}

export async function getPlatformDashboard(ctx: PlatformContext, days: DashboardRange, now = new Date()): Promise<PlatformDashboardDto> {
  const range = rangeDays(days, now);
  const from = range[0]!;
  const to = range[range.length - 1]!;
  const prevFrom = isoDay(new Date(Date.parse(from) - days * DAY_MS));

  const [counts, suspended, clientDays, orgDays, reach] = await Promise.all([
    db.$queryRaw<{ metric: Metric; day: string; n: number }[]>`
      SELECT metric, to_char(day, 'YYYY-MM-DD') AS day, n FROM platform_daily_counts
      WHERE day >= ${prevFrom}::date OR metric IN ('orgs_created', 'orgs_deleted', 'users_created', 'users_deleted')`,
    db.org.count({ where: { suspendedAt: { not: null } } }),
    db.$queryRaw<{ day: string; client_id: string; name: string | null; n: number }[]>`
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.client_id, a.name, d.sign_ins AS n
      FROM client_sign_in_days d LEFT JOIN applications a ON a.client_id = d.client_id AND d.client_id <> ''
      WHERE d.day >= ${prevFrom}::date`,
    db.$queryRaw<{ org_id: string; name: string; day: string; n: number }[]>`
      WITH top AS (
        SELECT org_id, sum(sign_ins) AS total FROM org_sign_in_days WHERE day >= ${from}::date
        GROUP BY org_id ORDER BY total DESC, org_id LIMIT ${TOP_SERIES}
      )
      SELECT t.org_id, o.name, to_char(d.day, 'YYYY-MM-DD') AS day, d.sign_ins AS n
      FROM top t JOIN orgs o ON o.id = t.org_id JOIN org_sign_in_days d ON d.org_id = t.org_id AND d.day >= ${from}::date
      ORDER BY t.total DESC, t.org_id, d.day`,
    getPlatformReach(ctx),
  ]);
  const byMetric = (metric: Metric) => counts.filter((r) => r.metric === metric);
  const newOrgs = byMetric('orgs_created');
  const newUsers = byMetric('users_created');
  const sent = byMetric('invitations_sent');
  const accepted = byMetric('invitations_accepted');
  const net = (created: Metric, deleted: Metric) => {
    const m = new Map<string, number>();
    for (const r of byMetric(created)) m.set(r.day, (m.get(r.day) ?? 0) + r.n);
    for (const r of byMetric(deleted)) m.set(r.day, (m.get(r.day) ?? 0) - r.n);
    return m;
  };
  const orgNet = net('orgs_created', 'orgs_deleted');
  const userNet = net('users_created', 'users_deleted');
  const before = (m: Map<string, number>) => [...m].reduce((s, [day, n]) => (day < from ? s + n : s), 0);
  const total = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
  const topOrgs = [...new Map(orgDays.map((r) => [r.org_id, r.name])).entries()].map(([org_id, name]) => ({ org_id, name }));

  const inRange = (d: string) => d >= from;
  const inPrevious = (d: string) => d >= prevFrom && d < from;
  const sum = (rows: DayCount[], pred: (d: string) => boolean) => rows.reduce((s, r) => (pred(r.day) ? s + r.n : s), 0);

  // Growth: the count before the range, plus each day's new ones.
  let orgs = before(orgNet);
  let users = before(userNet);
  const growth = range.map((day) => {
    orgs += orgNet.get(day) ?? 0;
    users += userNet.get(day) ?? 0;
    return { day, orgs, users };
  });

  // Sign-ins by application: the top applications of the range, the rest as Other.
  const signInRows = clientDays.map((r) => ({ day: r.day, n: r.n }));
  const byClient = new Map<string, { label: string; n: number }>();
  for (const r of clientDays) {
    if (!inRange(r.day)) continue;
    const label = r.client_id === '' ? 'No application' : (r.name ?? r.client_id);
    const e = byClient.get(r.client_id) ?? { label, n: 0 };
    e.n += r.n;
    byClient.set(r.client_id, e);
  }
  const topClients = [...byClient.entries()].sort((a, b) => b[1].n - a[1].n || a[1].label.localeCompare(b[1].label)).slice(0, TOP_SERIES);
  const topClientKeys = new Set(topClients.map(([k]) => k));
  const appSeries: Series[] = topClients.map(([key, e]) => ({ key: `app:${key}`, label: e.label }));
  const totalByDay = new Map<string, number>();
  const appDays = new Map<string, Record<string, number>>();
  for (const r of clientDays) {
    if (!inRange(r.day)) continue;
    totalByDay.set(r.day, (totalByDay.get(r.day) ?? 0) + r.n);
    const key = topClientKeys.has(r.client_id) ? `app:${r.client_id}` : OTHER_KEY;
    const values = appDays.get(r.day) ?? {};
    values[key] = (values[key] ?? 0) + r.n;
    appDays.set(r.day, values);
  }
  const hasOtherApps = [...appDays.values()].some((v) => (v[OTHER_KEY] ?? 0) > 0);
  if (hasOtherApps) appSeries.push({ key: OTHER_KEY, label: 'Other applications' });

  // Sign-ins by org: the top orgs of the range; the rest of the day's sign-ins (orgless included) as Other.
  const orgSeries: Series[] = topOrgs.map((o) => ({ key: `org:${o.org_id}`, label: o.name, href: `/platform/orgs/${o.org_id}` }));
  const orgDayValues = new Map<string, Record<string, number>>();
  for (const r of orgDays) {
    const values = orgDayValues.get(r.day) ?? {};
    values[`org:${r.org_id}`] = r.n;
    orgDayValues.set(r.day, values);
  }
  const orgStack = range.map((day) => {
    const values = { ...(orgDayValues.get(day) ?? {}) };
    const total = totalByDay.get(day) ?? 0;
    const top = Object.values(values).reduce((s, n) => s + n, 0);
    if (total > top) values[OTHER_KEY] = total - top;
    return { day, values, total };
  });
  if (orgStack.some((d) => (d.values[OTHER_KEY] ?? 0) > 0)) orgSeries.push({ key: OTHER_KEY, label: 'Other organizations and none' });

  const sentByDay = new Map(sent.map((r) => [r.day, r.n]));
  const acceptedByDay = new Map(accepted.map((r) => [r.day, r.n]));

  return {
    days,
    from,
    to,
    suspendedOrgs: suspended,
    cards: [
      { key: 'orgs', label: 'New organizations', value: sum(newOrgs, inRange), previous: sum(newOrgs, inPrevious), total: total(orgNet) },
      { key: 'users', label: 'New users', value: sum(newUsers, inRange), previous: sum(newUsers, inPrevious), total: total(userNet) },
      { key: 'signIns', label: 'Sign-ins', value: sum(signInRows, inRange), previous: sum(signInRows, inPrevious) },
      { key: 'invitationsSent', label: 'Invitations sent', value: sum(sent, inRange), previous: sum(sent, inPrevious) },
      { key: 'invitationsAccepted', label: 'Invitations accepted', value: sum(accepted, inRange), previous: sum(accepted, inPrevious) },
    ],
    growth,
    signIns: {
      byApplication: { series: appSeries, days: range.map((day) => ({ day, values: appDays.get(day) ?? {}, total: totalByDay.get(day) ?? 0 })) },
      byOrg: { series: orgSeries, days: orgStack },
    },
    invitations: range.map((day) => ({ day, sent: sentByDay.get(day) ?? 0, accepted: acceptedByDay.get(day) ?? 0 })),
    reach,
  };
}
