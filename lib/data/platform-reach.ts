import 'server-only';
import { decide } from '@/lib/access/decide';
import { loadCatalog, prismaReader, type LoadedCatalog } from '@/lib/access/load';
import type { CatalogApplication, Tier } from '@/lib/access/types';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';

/**
 * Who can reach each application, counted with `decide` over the loaded facts (lib/access), per membership: a person
 * in two orgs who reaches an app in both counts twice ("members who can reach it"). Members are grouped by what
 * decides an application for them in an org (tier and live role ids, global and that org's), so `decide` runs once
 * per group and application, not once per member.
 */

export interface ReachDto {
  applicationId: string;
  name: string;
  clientId: string;
  members: number;
}

interface FactGroup {
  tier: Tier;
  roles: string[];
  n: number;
}

/** Members of unsuspended orgs who are not blocked, grouped by tier and live roles (in that org or global). */
const GROUPS_SQL = `
  SELECT m.tier::text AS tier,
         COALESCE((SELECT array_agg(DISTINCT a.role_id::text ORDER BY a.role_id::text) FROM role_assignments a
                   WHERE a.user_id = m.user_id AND (a.org_id = m.org_id OR a.org_id IS NULL)
                     AND (a.expires_at IS NULL OR a.expires_at > now())), '{}') AS roles,
         count(*)::int AS n
  FROM memberships m
  JOIN orgs o ON o.id = m.org_id AND o.suspended_at IS NULL
  JOIN users u ON u.id = m.user_id AND u.blocked_at IS NULL`;

/** Counts per application (M2M clients left out: people do not sign in to them), most reached first. */
export function countReach(groups: readonly FactGroup[], catalog: LoadedCatalog, now = new Date()): ReachDto[] {
  const org = { id: 'org', slug: 'org', suspended: false };
  const apps = catalog.applications.filter((a) => a.type !== 'M2M');
  const counts = new Map<string, number>(apps.map((a) => [a.id, 0]));
  for (const g of groups) {
    const subject = {
      kind: 'user' as const,
      id: 'member',
      blocked: false,
      membership: { orgId: org.id, tier: g.tier },
      // Scope does not change an application's answer for a member of a usable org: both count.
      assignments: g.roles.map((roleId, i) => ({ id: `a${i}`, roleId, orgId: null, expiresAt: null })),
    };
    for (const app of apps) {
      if (decide({ subject, org, target: { kind: 'application', application: app as CatalogApplication }, now, catalog }).allow) {
        counts.set(app.id, (counts.get(app.id) ?? 0) + g.n);
      }
    }
  }
  return apps
    .map((a) => ({ applicationId: a.id, name: a.name, clientId: a.clientId, members: counts.get(a.id) ?? 0 }))
    .sort((a, b) => b.members - a.members || a.name.localeCompare(b.name));
}

async function groupsWhere(orgId?: string): Promise<FactGroup[]> {
  const sql = orgId ? `${GROUPS_SQL} WHERE m.org_id = $1::uuid GROUP BY 1, 2` : `${GROUPS_SQL} GROUP BY 1, 2`;
  return db.$queryRawUnsafe<FactGroup[]>(sql, ...(orgId ? [orgId] : []));
}

/** How many of one org's members can reach each application (none when the org is suspended). */
export async function getOrgReach(_ctx: PlatformContext, orgId: string): Promise<ReachDto[]> {
  const [groups, catalog] = await Promise.all([groupsWhere(orgId), loadCatalog(prismaReader(db))]);
  return countReach(groups, catalog);
}

/**
 * Reach across every org: 300,000 memberships take a second or two to group, so the answer is kept per process
 * until the facts change (a new change_log row: every change decisions depend on writes one, migration
 * 20261124010000_change_notify) or REACH_TTL_MS passes (assignments expire without a row).
 */
const REACH_TTL_MS = 5 * 60 * 1000;
let cached: { mark: bigint; at: number; value: Promise<ReachDto[]> } | null = null;

export async function getPlatformReach(_ctx: PlatformContext): Promise<ReachDto[]> {
  const rows = await db.$queryRaw<{ mark: bigint }[]>`SELECT COALESCE(max(id), 0)::bigint AS mark FROM change_log`;
  const mark = rows[0]?.mark ?? BigInt(0);
  if (cached && cached.mark === mark && Date.now() - cached.at < REACH_TTL_MS) return cached.value;
  const value = Promise.all([groupsWhere(), loadCatalog(prismaReader(db))]).then(([groups, catalog]) => countReach(groups, catalog));
  cached = { mark, at: Date.now(), value };
  value.catch(() => {
    if (cached?.value === value) cached = null;
  });
  return value;
}
