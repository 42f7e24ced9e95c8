import 'server-only';
import { audit } from '@/lib/audit';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';
import { canAssignTier, canManageMember } from '@/lib/authz/policy';
import type { OrgContext } from '@/lib/authz/types';
import { z } from 'zod';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { getAssignableRoleOrThrow } from './assignments';
import { grantOrgRole, revokeOrgRole } from './grants';
import { lockOrg } from './orgs';
import { cursorSchema, decodeCursor, PgTimestampText, pageSize, toPage, type Page } from './pagination';

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

/** The sorts of the members list: by name (the email where there is none), by tier (owners first), by last sign-in. */
export const MEMBER_SORTS = ['name', 'tier', 'last-sign-in'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface MemberListParams {
  q?: string;
  cursor?: string;
  limit?: number;
  sort?: MemberSort;
  direction?: 'asc' | 'desc';
  tier?: Tier;
  /** Members who hold this role here (an unexpired assignment scoped to this org). */
  roleId?: string;
}

// The cursor keeps the last row's sort key as PostgreSQL text (`k`), its tier rank for the tier sort (`t`) and the
// membership id; by last sign-in the key is cast back to a timestamptz, so a forged one must be refused (page one).
const NameCursor = cursorSchema({ k: 'string', id: 'uuid' });
const TierCursor = cursorSchema({ t: 'int', k: 'string', id: 'uuid' });
const LoginCursor = z.object({ k: PgTimestampText, id: z.string().uuid() });

const NAME_KEY = Prisma.sql`lower(COALESCE(u.name, u.email))`;
const TIER_RANK = Prisma.sql`(CASE m.tier WHEN 'OWNER' THEN 0 WHEN 'ADMIN' THEN 1 ELSE 2 END)`;
const LOGIN_KEY = Prisma.sql`COALESCE(u.last_login_at, '-infinity'::timestamptz)`;

type OrderedRow = { id: string; k: string; t: number };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The search and filters of the members list as SQL conditions on `m` (memberships) and `u` (users). */
function memberConditions(ctx: OrgContext, params: MemberListParams): Prisma.Sql {
  const q = params.q?.trim();
  const like = q ? '%' + escapeLike(q) + '%' : '';
  return Prisma.sql`m.org_id = ${ctx.org.id}::uuid${q ? Prisma.sql` AND (u.email ILIKE ${like} OR u.name ILIKE ${like})` : Prisma.empty}${
    params.tier ? Prisma.sql` AND m.tier = ${params.tier}::"Tier"` : Prisma.empty
  }${
    params.roleId
      ? Prisma.sql` AND EXISTS (SELECT 1 FROM role_assignments a WHERE a.user_id = m.user_id AND a.org_id = m.org_id
          AND a.role_id = ${params.roleId}::uuid AND (a.expires_at IS NULL OR a.expires_at > now()))`
      : Prisma.empty
  }`;
}

/**
 * Members of the caller's org, searchable by name or email, filtered by tier and by a role held here, sorted by name,
 * tier or last sign-in (either direction), keyset-paginated: the order and the "after the cursor" condition are one
 * row comparison over the sort's keys and the membership id, so every sort pages without gaps or repeats.
 */
export async function listMembers(ctx: OrgContext, params: MemberListParams): Promise<Page<MemberDto>> {
  const limit = pageSize(params.limit);
  const sort = params.sort ?? 'name';
  const direction = params.direction ?? (sort === 'last-sign-in' ? 'desc' : 'asc');
  const dir = direction === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const cmp = direction === 'desc' ? Prisma.sql`<` : Prisma.sql`>`;
  let keys: Prisma.Sql;
  let after = Prisma.empty;
  let select: Prisma.Sql;
  if (sort === 'tier') {
    keys = Prisma.sql`${TIER_RANK} ${dir}, ${NAME_KEY} ${dir}, m.id ${dir}`;
    select = Prisma.sql`${NAME_KEY} AS k, ${TIER_RANK} AS t`;
    const c = decodeCursor(TierCursor, params.cursor);
    if (c) after = Prisma.sql` AND (${TIER_RANK}, ${NAME_KEY}, m.id) ${cmp} (${c.t}::int, ${c.k}, ${c.id}::uuid)`;
  } else if (sort === 'last-sign-in') {
    keys = Prisma.sql`${LOGIN_KEY} ${dir}, m.id ${dir}`;
    select = Prisma.sql`${LOGIN_KEY}::text AS k, 0 AS t`;
    const c = decodeCursor(LoginCursor, params.cursor);
    if (c) after = Prisma.sql` AND (${LOGIN_KEY}, m.id) ${cmp} (${c.k}::timestamptz, ${c.id}::uuid)`;
  } else {
    keys = Prisma.sql`${NAME_KEY} ${dir}, m.id ${dir}`;
    select = Prisma.sql`${NAME_KEY} AS k, 0 AS t`;
    const c = decodeCursor(NameCursor, params.cursor);
    if (c) after = Prisma.sql` AND (${NAME_KEY}, m.id) ${cmp} (${c.k}, ${c.id}::uuid)`;
  }
  const ordered = await db.$queryRaw<OrderedRow[]>`
    SELECT m.id, ${select}
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE ${memberConditions(ctx, params)}${after}
    ORDER BY ${keys}
    LIMIT ${limit + 1}`;
  const { items: pageRows, nextCursor } = toPage(ordered, limit, (last) =>
    sort === 'tier' ? { t: Number(last.t), k: last.k, id: last.id } : { k: last.k, id: last.id },
  );
  const rows = await db.membership.findMany({
    where: { orgId: ctx.org.id, id: { in: pageRows.map((r) => r.id) } },
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
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    nextCursor,
    items: pageRows.flatMap(({ id }) => {
      const r = byId.get(id);
      // A member removed between the two reads is left out rather than shown half-loaded.
      if (!r) return [];
      return [
        {
          membershipId: r.id,
          userId: r.user.id,
          email: r.user.email,
          name: r.user.name,
          tier: r.tier,
          roles: r.user.assignments.map((a) => a.role),
          lastLoginAt: r.user.lastLoginAt?.toISOString() ?? null,
          joinedAt: r.createdAt.toISOString(),
        },
      ];
    }),
  };
}

/** How many members the caller's org has, and how many of them the search and filters keep. */
export async function countMembers(ctx: OrgContext, params: MemberListParams): Promise<{ total: number; matching: number }> {
  const [row] = await db.$queryRaw<{ total: bigint; matching: bigint }[]>`
    SELECT (SELECT count(*) FROM memberships WHERE org_id = ${ctx.org.id}::uuid) AS total,
           (SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE ${memberConditions(ctx, params)}) AS matching`;
  return { total: Number(row?.total ?? 0), matching: Number(row?.matching ?? 0) };
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
