import 'server-only';
import { recordAudit } from '@/lib/audit';
import type { OrgContext, UserContext } from '@/lib/authz/types';
import type { Tier } from '@/lib/authz/permissions';
import { db } from '@/lib/db';
import { AppError, isUniqueViolation } from '@/lib/errors';
import type { CreateOrgInput, UpdateOrgSettingsInput } from '@/lib/schemas/org';

export interface MyOrgDto {
  slug: string;
  name: string;
  tier: Tier;
  suspended: boolean;
}

/** The orgs the signed-in user belongs to, for the switcher and the home page. */
export async function listMyOrgs(ctx: UserContext): Promise<MyOrgDto[]> {
  const rows = await db.membership.findMany({
    where: { userId: ctx.user.id },
    select: { tier: true, org: { select: { slug: true, name: true, suspendedAt: true } } },
    orderBy: { org: { name: 'asc' } },
    take: 500,
  });
  return rows.map((r) => ({ slug: r.org.slug, name: r.org.name, tier: r.tier, suspended: r.org.suspendedAt !== null }));
}

/** Creates an org with the caller as its owner, audited in the same transaction. */
export async function createOrg(ctx: UserContext, input: CreateOrgInput): Promise<{ slug: string; name: string }> {
  try {
    return await db.$transaction(async (tx) => {
      const org = await tx.org.create({ data: { name: input.name, slug: input.slug }, select: { id: true, slug: true, name: true } });
      const membership = await tx.membership.create({
        data: { orgId: org.id, userId: ctx.user.id, tier: 'OWNER' },
        select: { id: true },
      });
      await recordAudit(tx, {
        actor: { type: 'user', id: ctx.user.id, label: ctx.user.email },
        orgId: org.id,
        action: 'org.created',
        target: { type: 'org', id: org.id },
        after: { name: org.name, slug: org.slug, owner: ctx.user.email, membershipId: membership.id },
        requestId: ctx.requestId,
      });
      return { slug: org.slug, name: org.name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('CONFLICT', 'That address is taken.', { fieldErrors: { slug: ['That address is taken; pick another.'] } });
    }
    throw error;
  }
}

/** True when no org uses this slug (for the onboarding form's live check). */
export async function isSlugAvailable(_ctx: UserContext, slug: string): Promise<boolean> {
  const found = await db.org.findUnique({ where: { slug }, select: { id: true } });
  return !found;
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
    await recordAudit(tx, {
      actor: { type: 'user', id: ctx.user.id, label: ctx.user.email },
      orgId: ctx.org.id,
      action: 'org.updated',
      target: { type: 'org', id: ctx.org.id },
      before,
      after,
      requestId: ctx.requestId,
    });
    return after;
  });
}
