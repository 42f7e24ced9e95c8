import 'server-only';
import { audit } from '@/lib/audit';
import type { Tier } from '@/lib/access/types';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { SetOrgSuspendedInput } from '@/lib/schemas/org-suspension';
import { rangeDays } from './platform-dashboard';
import { getPlatformOrg, type PlatformOrgDto } from './platform-orgs';
import { getOrgReach, type ReachDto } from './platform-reach';

/**
 * One org as platform staff see it (cross-tenant: callers hold platform:read): members by tier, pending
 * invitations, the M2M clients acting in it, what its members can reach (decide), sign-ins per day (the rollup)
 * and its latest audit events; and suspending or reinstating it (orgs:suspend).
 */

/** How many people of each tier, and of owners and admins, the page lists by name. */
export const DETAIL_LIST_LIMIT = 20;
export const SIGN_IN_DAYS = 90;

export interface OrgMemberDto {
  userId: string;
  email: string;
  name: string | null;
  tier: Tier;
}

export interface PlatformOrgDetailDto {
  org: PlatformOrgDto;
  tiers: Record<Tier, number>;
  /** Owners, then admins, by email (at most DETAIL_LIST_LIMIT). */
  leaders: OrgMemberDto[];
  pendingInvitations: { total: number; items: { id: string; email: string; tier: Tier; expiresAt: string; createdAt: string }[] };
  clients: { id: string; name: string; clientId: string; roles: string[] }[];
  reach: ReachDto[];
  signIns: { day: string; signIns: number }[];
  latestAudit: { id: string; at: string; action: string; actorLabel: string | null; targetType: string | null; targetId: string | null }[];
}

export async function getPlatformOrgDetail(ctx: PlatformContext, orgId: string): Promise<PlatformOrgDetailDto | null> {
  const org = await getPlatformOrg(ctx, orgId);
  if (!org) return null;
  const days = rangeDays(SIGN_IN_DAYS);
  const now = new Date();
  const [tierRows, leaders, pendingTotal, pending, clients, reach, signIns, latestAudit] = await Promise.all([
    db.membership.groupBy({ by: ['tier'], where: { orgId }, _count: { _all: true } }),
    db.membership.findMany({
      where: { orgId, tier: { in: ['OWNER', 'ADMIN'] } },
      orderBy: [{ tier: 'asc' }, { user: { email: 'asc' } }],
      take: DETAIL_LIST_LIMIT,
      select: { tier: true, user: { select: { id: true, email: true, name: true } } },
    }),
    db.invitation.count({ where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
    db.invitation.findMany({
      where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: DETAIL_LIST_LIMIT,
      select: { id: true, email: true, tier: true, expiresAt: true, createdAt: true },
    }),
    db.application.findMany({
      where: { type: 'M2M', assignments: { some: { orgId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: DETAIL_LIST_LIMIT,
      select: {
        id: true,
        name: true,
        clientId: true,
        assignments: { where: { orgId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, select: { role: { select: { name: true } } } },
      },
    }),
    getOrgReach(ctx, orgId),
    db.$queryRaw<{ day: string; n: number }[]>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, sign_ins AS n FROM org_sign_in_days WHERE org_id = ${orgId}::uuid AND day >= ${days[0]}::date`,
    db.auditEvent.findMany({
      where: { orgId },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: 10,
      select: { id: true, at: true, action: true, actorLabel: true, targetType: true, targetId: true },
    }),
  ]);
  const tiers: Record<Tier, number> = { OWNER: 0, ADMIN: 0, EMPLOYEE: 0 };
  for (const r of tierRows) tiers[r.tier] = r._count._all;
  const byDay = new Map(signIns.map((r) => [r.day, r.n]));
  return {
    org,
    tiers,
    leaders: leaders.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, tier: m.tier })),
    pendingInvitations: {
      total: pendingTotal,
      items: pending.map((i) => ({ id: i.id, email: i.email, tier: i.tier, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() })),
    },
    clients: clients.map((c) => ({ id: c.id, name: c.name, clientId: c.clientId, roles: [...new Set(c.assignments.map((a) => a.role.name))].sort() })),
    reach,
    signIns: days.map((day) => ({ day, signIns: byDay.get(day) ?? 0 })),
    latestAudit: latestAudit.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      action: e.action,
      actorLabel: e.actorLabel,
      targetType: e.targetType,
      targetId: e.targetId,
    })),
  };
}

/**
 * Suspends (`suspend` true) or reinstates an org, with the reason in the audit event (`org.suspended` /
 * `org.reinstated`), in one transaction. The slug typed to confirm must be the org's. Its members then see the
 * suspended page (requireOrgContext), and the decision API denies `org_suspended` once the orgs trigger's change_log
 * row reaches it (LISTEN/NOTIFY, within a second; ADR 0007). Suspending a suspended org is a CONFLICT, like
 * reinstating an active one: the person acted on a stale page.
 */
export async function setOrgSuspended(
  ctx: PlatformContext,
  input: SetOrgSuspendedInput & { suspend: boolean },
): Promise<{ id: string; suspended: boolean }> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ slug: string; suspended_at: Date | null }[]>`
      SELECT slug, suspended_at FROM orgs WHERE id = ${input.orgId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (!row) throw new AppError('NOT_FOUND', 'That organization does not exist.');
    if (input.confirmSlug !== row.slug) {
      const message = `Type the organization’s slug, ${row.slug}, to confirm.`;
      throw new AppError('BAD_INPUT', message, { fieldErrors: { confirmSlug: [message] } });
    }
    if ((row.suspended_at !== null) === input.suspend) {
      throw new AppError('CONFLICT', input.suspend ? 'This organization is already suspended.' : 'This organization is not suspended.');
    }
    const suspendedAt = input.suspend ? new Date() : null;
    await tx.org.update({ where: { id: input.orgId }, data: { suspendedAt } });
    await audit(tx, ctx, {
      orgId: input.orgId,
      action: input.suspend ? 'org.suspended' : 'org.reinstated',
      target: { type: 'org', id: input.orgId },
      before: { suspendedAt: row.suspended_at?.toISOString() ?? null },
      after: { suspendedAt: suspendedAt?.toISOString() ?? null, reason: input.reason },
    });
    return { id: input.orgId, suspended: input.suspend };
  });
}
