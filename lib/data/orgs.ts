import 'server-only';
import { audit } from '@/lib/audit';
import type { Tier } from '@/lib/authz/permissions';
import type { OrgContext, PlatformContext, UserContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import type { CreateOrgInput, UpdateOrgSettingsInput } from '@/lib/schemas/org';
import { assertUnderPersonalLimit } from './personal-limits';
import { withUnique } from './recipes';

export interface MyOrgDto {
  slug: string;
  name: string;
  tier: Tier;
  suspended: boolean;
}

/** The orgs the signed-in user belongs to, for the switcher and the home page. */
export async function listMyOrgs(ctx: UserContext): Promise<MyOrgDto[]> {
  // One statement (every console page's shell asks this; Prisma's nested select would take two round trips).
  const rows = await db.$queryRaw<{ slug: string; name: string; tier: MyOrgDto['tier']; suspended: boolean }[]>`
    SELECT o.slug, o.name, m.tier::text AS tier, o.suspended_at IS NOT NULL AS suspended
    FROM memberships m JOIN orgs o ON o.id = m.org_id
    WHERE m.user_id = ${ctx.user.id}::uuid
    ORDER BY o.name, o.id
    LIMIT 500`;
  return rows.map((r) => ({ slug: r.slug, name: r.name, tier: r.tier, suspended: r.suspended }));
}

/** Creates an org with the caller as its owner, audited in the same transaction. */
export async function createOrg(ctx: UserContext, input: CreateOrgInput): Promise<{ slug: string; name: string }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        await assertUnderPersonalLimit(tx, ctx.user.id, 'orgs', 1, new Date());
        const org = await tx.org.create({ data: { name: input.name, slug: input.slug }, select: { id: true, slug: true, name: true } });
        const membership = await tx.membership.create({
          data: { orgId: org.id, userId: ctx.user.id, tier: 'OWNER' },
          select: { id: true },
        });
        await audit(tx, ctx, {
          orgId: org.id,
          action: 'org.created',
          target: { type: 'org', id: org.id },
          after: { name: org.name, slug: org.slug, owner: ctx.user.email, membershipId: membership.id },
        });
        return { slug: org.slug, name: org.name };
      }),
    { field: 'slug', message: 'That address is taken.', fieldMessage: 'That address is taken; pick another.' },
  );
}

export interface OrgOverviewDto {
  members: Record<Tier, number>;
  pendingInvitations: number;
  orgRoleAssignments: number;
  m2mClients: number;
  createdAt: string;
}

/** Counts for the org overview, all scoped to the caller's org. */
export async function getOrgOverview(ctx: OrgContext): Promise<OrgOverviewDto> {
  const now = new Date();
  const [tiers, pendingInvitations, orgRoleAssignments, clients, org] = await Promise.all([
    db.membership.groupBy({ by: ['tier'], where: { orgId: ctx.org.id }, _count: { _all: true } }),
    db.invitation.count({ where: { orgId: ctx.org.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
    db.roleAssignment.count({ where: { orgId: ctx.org.id, userId: { not: null } } }),
    db.roleAssignment.findMany({
      where: { orgId: ctx.org.id, clientAppId: { not: null } },
      distinct: ['clientAppId'],
      select: { clientAppId: true },
      take: 10_000,
    }),
    db.org.findUniqueOrThrow({ where: { id: ctx.org.id }, select: { createdAt: true } }),
  ]);
  const members: Record<Tier, number> = { OWNER: 0, ADMIN: 0, EMPLOYEE: 0 };
  for (const t of tiers) members[t.tier] = t._count._all;
  return { members, pendingInvitations, orgRoleAssignments, m2mClients: clients.length, createdAt: org.createdAt.toISOString() };
}

/** Renames the org and sets its invitation expiry; audited with before and after. */
export async function updateOrgSettings(ctx: OrgContext, input: UpdateOrgSettingsInput): Promise<{ name: string; invitationTtlDays: number }> {
  return db.$transaction(async (tx) => {
    const before = await tx.org.findUniqueOrThrow({
      where: { id: ctx.org.id },
      select: { name: true, invitationTtlDays: true },
    });
    const after = await tx.org.update({
      where: { id: ctx.org.id },
      data: { name: input.name, invitationTtlDays: input.invitationTtlDays },
      select: { name: true, invitationTtlDays: true },
    });
    await audit(tx, ctx, { orgId: ctx.org.id, action: 'org.updated', target: { type: 'org', id: ctx.org.id }, before, after });
    return after;
  });
}

/**
 * Takes the org's row lock for the rest of the transaction. Every change that can remove or demote an owner takes
 * it first, so two concurrent requests cannot each see "another owner remains" and leave the org with none.
 */
export async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${orgId}::uuid FOR UPDATE`;
}

export interface OrgChoiceDto {
  id: string;
  slug: string;
  name: string;
}

/** Orgs whose slug (or name) contains the query, slug prefix matches first; for the platform's org pickers. */
export async function searchOrgs(_ctx: PlatformContext, q: string | undefined, limit = 10): Promise<OrgChoiceDto[]> {
  const term = q?.trim().toLowerCase();
  const take = Math.min(Math.max(limit, 1), 50);
  const select = { id: true, slug: true, name: true } as const;
  if (!term) return db.org.findMany({ orderBy: { slug: 'asc' }, take, select });
  const [prefix, contains] = await Promise.all([
    db.org.findMany({ where: { slug: { startsWith: term } }, orderBy: { slug: 'asc' }, take, select }),
    db.org.findMany({
      where: { OR: [{ slug: { contains: term } }, { name: { contains: term, mode: 'insensitive' } }] },
      orderBy: { slug: 'asc' },
      take,
      select,
    }),
  ]);
  const seen = new Set<string>();
  return [...prefix, ...contains].filter((o) => !seen.has(o.id) && seen.add(o.id)).slice(0, take);
}
