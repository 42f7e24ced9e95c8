import 'server-only';
import { z } from 'zod';
import type { OrgContext } from '@/lib/authz/context';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';
import { canAssignTier, canManageMember } from '@/lib/authz/policy';
import { recordAudit, userActor } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

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

const Cursor = z.object({ email: z.string(), id: z.string().uuid() });

/** Members of the caller's org, searchable by name or email, ordered by email, cursor-paginated. */
export async function listMembers(
  ctx: OrgContext,
  params: { q?: string; cursor?: string; limit?: number },
): Promise<Page<MemberDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.membership.findMany({
    where: {
      orgId: ctx.org.id,
      ...(q
        ? { user: { OR: [{ email: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } }
        : {}),
      ...(cursor
        ? { OR: [{ user: { email: { gt: cursor.email } } }, { user: { email: cursor.email }, id: { gt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ user: { email: 'asc' } }, { id: 'asc' }],
    take: limit + 1,
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
  const page = toPage(rows, limit, (last) => ({ email: last.user.email, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
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

/**
 * Takes the org's row lock for the rest of the transaction. Every change that can remove or demote an owner takes
 * it first, so two concurrent requests cannot each see "another owner remains" and leave the org with none.
 */
export async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${orgId}::uuid FOR UPDATE`;
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

function assertMayManage(ctx: OrgContext, target: { tier: Tier }) {
  if (!canManageMember(ctx.actor, target.tier)) {
    throw new AppError('FORBIDDEN', `You cannot change a member who is ${TIER_LABELS[target.tier].toLowerCase()}.`);
  }
}

const LAST_OWNER = 'An organization needs at least one owner. Make someone else owner first.';

/** Changes a member's tier. Admins never touch owners nor grant owner; the last owner cannot be demoted. */
export async function changeMemberTier(ctx: OrgContext, input: { membershipId: string; tier: Tier }) {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const target = await getTargetOrThrow(tx, ctx, input.membershipId);
    assertMayManage(ctx, target);
    if (!canAssignTier(ctx.actor, input.tier)) {
      throw new AppError('FORBIDDEN', `You cannot make someone ${TIER_LABELS[input.tier].toLowerCase()}.`);
    }
    if (target.tier === input.tier) return { membershipId: target.id, tier: target.tier };
    if (target.tier === 'OWNER' && (await ownerCount(tx, ctx.org.id)) <= 1) throw new AppError('CONFLICT', LAST_OWNER);
    await tx.membership.update({ where: { id: target.id }, data: { tier: input.tier } });
    await recordAudit(tx, {
      actor: userActor(ctx),
      orgId: ctx.org.id,
      action: 'member.tier_changed',
      target: { type: 'user', id: target.userId },
      before: { tier: target.tier, email: target.user.email },
      after: { tier: input.tier },
      requestId: ctx.requestId,
    });
    return { membershipId: target.id, tier: input.tier };
  });
}

/** Org-scoped roles a member can be given: the custom roles of the catalog (tiers are given by the membership). */
export async function listAssignableRoles(): Promise<{ id: string; key: string; name: string; description: string }[]> {
  return db.role.findMany({
    where: { builtIn: false },
    orderBy: { name: 'asc' },
    select: { id: true, key: true, name: true, description: true },
    take: 500,
  });
}

async function getAssignableRoleOrThrow(tx: Tx, roleId: string) {
  const role = await tx.role.findFirst({ where: { id: roleId, builtIn: false }, select: { id: true, key: true, name: true } });
  if (!role) throw new AppError('BAD_INPUT', 'That role does not exist or cannot be given here.', { fieldErrors: { roleId: ['Unknown role.'] } });
  return role;
}

/**
 * Gives a user or an M2M client a role without expiry, in one org or globally (orgId null). One row per role,
 * subject and scope (a unique index): an expired row is renewed rather than duplicated. `changed` is false when the
 * subject already held it.
 */
export async function upsertRoleAssignment(
  tx: Tx,
  a: { roleId: string; orgId: string | null; grantedById: string | null } & ({ userId: string } | { clientAppId: string }),
): Promise<{ id: string; changed: boolean }> {
  const subject = 'userId' in a ? { userId: a.userId } : { clientAppId: a.clientAppId };
  const existing = await tx.roleAssignment.findFirst({
    where: { roleId: a.roleId, orgId: a.orgId, ...subject },
    select: { id: true, expiresAt: true },
  });
  if (existing && (existing.expiresAt === null || existing.expiresAt > new Date())) return { id: existing.id, changed: false };
  const row = existing
    ? await tx.roleAssignment.update({ where: { id: existing.id }, data: { expiresAt: null, grantedById: a.grantedById }, select: { id: true } })
    : await tx.roleAssignment.create({ data: { roleId: a.roleId, orgId: a.orgId, grantedById: a.grantedById, ...subject }, select: { id: true } });
  return { id: row.id, changed: true };
}

/** Gives a member an org-scoped role (no-op if they already have it). */
export async function grantMemberRole(ctx: OrgContext, input: { membershipId: string; roleId: string }) {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const target = await getTargetOrThrow(tx, ctx, input.membershipId);
    assertMayManage(ctx, target);
    const role = await getAssignableRoleOrThrow(tx, input.roleId);
    const { changed } = await upsertRoleAssignment(tx, { roleId: role.id, userId: target.userId, orgId: ctx.org.id, grantedById: ctx.user.id });
    if (!changed) return { membershipId: target.id, role: { key: role.key, name: role.name }, changed: false };
    await recordAudit(tx, {
      actor: userActor(ctx),
      orgId: ctx.org.id,
      action: 'member.roles_changed',
      target: { type: 'user', id: target.userId },
      after: { granted: role.key, email: target.user.email },
      requestId: ctx.requestId,
    });
    return { membershipId: target.id, role: { key: role.key, name: role.name }, changed: true };
  });
}

/** Takes an org-scoped role from a member. */
export async function revokeMemberRole(ctx: OrgContext, input: { membershipId: string; roleId: string }) {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const target = await getTargetOrThrow(tx, ctx, input.membershipId);
    assertMayManage(ctx, target);
    const role = await getAssignableRoleOrThrow(tx, input.roleId);
    const { count } = await tx.roleAssignment.deleteMany({ where: { roleId: role.id, userId: target.userId, orgId: ctx.org.id } });
    if (count > 0) {
      await recordAudit(tx, {
        actor: userActor(ctx),
        orgId: ctx.org.id,
        action: 'member.roles_changed',
        target: { type: 'user', id: target.userId },
        before: { revoked: role.key, email: target.user.email },
        requestId: ctx.requestId,
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
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const target = await getTargetOrThrow(tx, ctx, input.membershipId);
    if (target.userId === ctx.user.id) throw new AppError('BAD_INPUT', 'To remove yourself, leave the organization.');
    assertMayManage(ctx, target);
    if (target.tier === 'OWNER' && (await ownerCount(tx, ctx.org.id)) <= 1) throw new AppError('CONFLICT', LAST_OWNER);
    await deleteMembership(tx, ctx.org.id, target);
    await recordAudit(tx, {
      actor: userActor(ctx),
      orgId: ctx.org.id,
      action: 'member.removed',
      target: { type: 'user', id: target.userId },
      before: { tier: target.tier, email: target.user.email },
      requestId: ctx.requestId,
    });
    return { membershipId: target.id };
  });
}

/** The caller leaves the org. The last owner must hand ownership on first. */
export async function leaveOrg(ctx: OrgContext) {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const mine = await getTargetOrThrow(tx, ctx, ctx.membership.id);
    if (mine.tier === 'OWNER' && (await ownerCount(tx, ctx.org.id)) <= 1) {
      throw new AppError('CONFLICT', 'You are the only owner. Transfer ownership before you leave.');
    }
    await deleteMembership(tx, ctx.org.id, mine);
    await recordAudit(tx, {
      actor: userActor(ctx),
      orgId: ctx.org.id,
      action: 'member.left',
      target: { type: 'user', id: ctx.user.id },
      before: { tier: mine.tier },
      requestId: ctx.requestId,
    });
    return { left: true };
  });
}

/** Makes another member the owner; the caller (an owner) becomes an admin. */
export async function transferOwnership(ctx: OrgContext, input: { membershipId: string }) {
  return db.$transaction(async (tx) => {
    await lockOrg(tx, ctx.org.id);
    const mine = await getTargetOrThrow(tx, ctx, ctx.membership.id);
    if (mine.tier !== 'OWNER') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership.');
    const target = await getTargetOrThrow(tx, ctx, input.membershipId);
    if (target.userId === ctx.user.id) throw new AppError('BAD_INPUT', 'Choose another member to become owner.');
    await tx.membership.update({ where: { id: target.id }, data: { tier: 'OWNER' } });
    await tx.membership.update({ where: { id: mine.id }, data: { tier: 'ADMIN' } });
    await recordAudit(tx, {
      actor: userActor(ctx),
      orgId: ctx.org.id,
      action: 'ownership.transferred',
      target: { type: 'user', id: target.userId },
      before: { from: ctx.user.email, fromTier: 'OWNER', toTier: target.tier },
      after: { to: target.user.email, fromTier: 'ADMIN', toTier: 'OWNER' },
      requestId: ctx.requestId,
    });
    return { membershipId: target.id };
  });
}
