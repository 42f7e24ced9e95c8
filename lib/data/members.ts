import 'server-only';
import { audit } from '@/lib/audit';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';
import { canAssignTier, canManageMember } from '@/lib/authz/policy';
import type { OrgContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { getAssignableRoleOrThrow } from './assignments';
import { grantOrgRole, revokeOrgRole } from './grants';
import { lockOrg } from './orgs';
import { asc, keyset, type Page } from './pagination';

export interface MemberDto {
  membershipId: string;
  userId: string;
  email: string;
  name: string | null;
  tier: Tier;
  roles: { id: string; key: string; name: string }[];
  lastLoginAt: string | null;
  joinedAt: string;
}

const byEmail = keyset(asc('user.email', 'string'), asc('id', 'uuid'));

/** Members of the caller's org, searchable by name or email, ordered by email, cursor-paginated. */
export async function listMembers(
  ctx: OrgContext,
  params: { q?: string; cursor?: string; limit?: number },
): Promise<Page<MemberDto>> {
  const page = byEmail.query(params);
  const q = params.q?.trim();
  const rows = await db.membership.findMany({
    where: {
      orgId: ctx.org.id,
      ...(q
        ? { user: { OR: [{ email: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } }
        : {}),
      ...page.where,
    },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      tier: true,
      createdAt: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          lastLoginAt: true,
          assignments: {
            where: { orgId: ctx.org.id, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
            select: { role: { select: { id: true, key: true, name: true } } },
            take: 50,
          },
        },
      },
    },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map((r) => ({
      membershipId: r.id,
      userId: r.user.id,
      email: r.user.email,
      name: r.user.name,
      tier: r.tier,
      roles: r.user.assignments.map((a) => a.role),
      lastLoginAt: r.user.lastLoginAt?.toISOString() ?? null,
      joinedAt: r.createdAt.toISOString(),
    })),
  };
}

/** The caller's membership in the org named by `slug`, with the org: the one query behind every org page and action. */
export async function findMembershipBySlug(userId: string, slug: string) {
  return db.membership.findFirst({
    where: { userId, org: { slug } },
    select: {
      id: true,
      tier: true,
      org: { select: { id: true, slug: true, name: true, invitationTtlDays: true, suspendedAt: true } },
    },
  });
}

async function ownerCount(tx: Tx, orgId: string): Promise<number> {
  return tx.membership.count({ where: { orgId, tier: 'OWNER' } });
}

/** A membership of the caller's org, by id; another org's id matches nothing. */
async function getTargetOrThrow(tx: Tx, ctx: OrgContext, membershipId: string) {
  const target = await tx.membership.findFirst({
    where: { id: membershipId, orgId: ctx.org.id },
    select: { id: true, tier: true, userId: true, user: { select: { email: true } } },
  });
  if (!target) throw new AppError('NOT_FOUND', 'That member is not in this organization.');
  return target;
}

type Target = Awaited<ReturnType<typeof getTargetOrThrow>>;

/**
 * Runs a change to another member in one transaction under the org lock (lockOrg): the member is read in the
 * caller's org, and the caller must be allowed to manage someone of their tier.
 */
async function changeMember<T>(ctx: OrgContext, membershipId: string, change: (tx: Tx, target: Target) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const target = await getTargetOrThrow(tx, ctx, membershipId);
    if (!canManageMember(ctx.actor, target.tier)) {
      throw new AppError('FORBIDDEN', `You cannot change a member who is ${TIER_LABELS[target.tier].toLowerCase()}.`);
    }
    return change(tx, target);
  });
}

/** Runs the caller's change to their own membership in one transaction under the org lock. */
async function changeOwnMembership<T>(ctx: OrgContext, change: (tx: Tx, mine: Target) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    return change(tx, await getTargetOrThrow(tx, ctx, ctx.membership.id));
  });
}

const LAST_OWNER = 'An organization needs at least one owner. Make someone else owner first.';

async function assertNotLastOwner(tx: Tx, orgId: string, member: { tier: Tier }, message = LAST_OWNER): Promise<void> {
  if (member.tier === 'OWNER' && (await ownerCount(tx, orgId)) <= 1) throw new AppError('CONFLICT', message);
}

/** Changes a member's tier. Admins never touch owners nor grant owner; the last owner cannot be demoted. */
export async function changeMemberTier(ctx: OrgContext, input: { membershipId: string; tier: Tier }) {
  return changeMember(ctx, input.membershipId, async (tx, target) => {
    if (!canAssignTier(ctx.actor, input.tier)) {
      throw new AppError('FORBIDDEN', `You cannot make someone ${TIER_LABELS[input.tier].toLowerCase()}.`);
    }
    if (target.tier === input.tier) return { membershipId: target.id, tier: target.tier };
    await assertNotLastOwner(tx, ctx.org.id, target);
    await tx.membership.update({ where: { id: target.id }, data: { tier: input.tier } });
    await audit(tx, ctx, {
      orgId: ctx.org.id,
      action: 'member.tier_changed',
      target: { type: 'user', id: target.userId },
      before: { tier: target.tier, email: target.user.email },
      after: { tier: input.tier },
    });
    return { membershipId: target.id, tier: input.tier };
  });
}

/** Gives a member an org-scoped role (no-op if they already have it). */
export async function grantMemberRole(ctx: OrgContext, input: { membershipId: string; roleId: string }) {
  return changeMember(ctx, input.membershipId, async (tx, target) => {
    const role = await getAssignableRoleOrThrow(tx, input.roleId);
    const { changed } = await grantOrgRole(tx, ctx, { orgId: ctx.org.id, userId: target.userId, roleId: role.id, grantedById: ctx.user.id });
    if (changed) {
      await audit(tx, ctx, {
        orgId: ctx.org.id,
        action: 'member.roles_changed',
        target: { type: 'user', id: target.userId },
        after: { granted: role.key, email: target.user.email },
      });
    }
    return { membershipId: target.id, role: { key: role.key, name: role.name }, changed };
  });
}

/** Takes an org-scoped role from a member. */
export async function revokeMemberRole(ctx: OrgContext, input: { membershipId: string; roleId: string }) {
  return changeMember(ctx, input.membershipId, async (tx, target) => {
    const role = await getAssignableRoleOrThrow(tx, input.roleId);
    const { deleted: count } = await revokeOrgRole(tx, ctx, { orgId: ctx.org.id, userId: target.userId, roleId: role.id });
    if (count > 0) {
      await audit(tx, ctx, {
        orgId: ctx.org.id,
        action: 'member.roles_changed',
        target: { type: 'user', id: target.userId },
        before: { revoked: role.key, email: target.user.email },
      });
    }
    return { membershipId: target.id, role: { key: role.key, name: role.name }, changed: count > 0 };
  });
}

async function deleteMembership(tx: Tx, orgId: string, target: { id: string; userId: string }) {
  await tx.roleAssignment.deleteMany({ where: { userId: target.userId, orgId } });
  await tx.membership.delete({ where: { id: target.id } });
}

/** Removes another member (and their org-scoped roles). To remove yourself, leave the org. */
export async function removeMember(ctx: OrgContext, input: { membershipId: string }) {
  return changeMember(ctx, input.membershipId, async (tx, target) => {
    // Anyone who may manage members may manage their own tier, so this check comes second without hiding anything.
    if (target.userId === ctx.user.id) throw new AppError('BAD_INPUT', 'To remove yourself, leave the organization.');
    await assertNotLastOwner(tx, ctx.org.id, target);
    await deleteMembership(tx, ctx.org.id, target);
    await audit(tx, ctx, {
      orgId: ctx.org.id,
      action: 'member.removed',
      target: { type: 'user', id: target.userId },
      before: { tier: target.tier, email: target.user.email },
    });
    return { membershipId: target.id };
  });
}

/** The caller leaves the org. The last owner must hand ownership on first. */
export async function leaveOrg(ctx: OrgContext) {
  return changeOwnMembership(ctx, async (tx, mine) => {
    await assertNotLastOwner(tx, ctx.org.id, mine, 'You are the only owner. Transfer ownership before you leave.');
    await deleteMembership(tx, ctx.org.id, mine);
    await audit(tx, ctx, { orgId: ctx.org.id, action: 'member.left', target: { type: 'user', id: ctx.user.id }, before: { tier: mine.tier } });
    return { left: true };
  });
}

/** Makes another member the owner; the caller (an owner) becomes an admin. */
export async function transferOwnership(ctx: OrgContext, input: { membershipId: string }) {
  return changeOwnMembership(ctx, async (tx, mine) => {
    if (mine.tier !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership.');
    const target = await getTargetOrThrow(tx, ctx, input.membershipId);
    if (target.userId === ctx.user.id) throw new AppError('BAD_INPUT', 'Choose another member to become owner.');
    await tx.membership.update({ where: { id: target.id }, data: { tier: 'OWNER' } });
    await tx.membership.update({ where: { id: mine.id }, data: { tier: 'ADMIN' } });
    await audit(tx, ctx, {
      orgId: ctx.org.id,
      action: 'ownership.transferred',
      target: { type: 'user', id: target.userId },
      before: { from: ctx.user.email, fromTier: 'OWNER', toTier: target.tier },
      after: { to: target.user.email, fromTier: 'ADMIN', toTier: 'OWNER' },
    });
    return { membershipId: target.id };
  });
}
