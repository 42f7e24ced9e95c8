import 'server-only';
import { audit } from '@/lib/audit';
import { PLATFORM_RANK, type PlatformRole } from '@/lib/authz/permissions';
import { canAssignPlatformRole } from '@/lib/authz/policy';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { SetPlatformRoleInput } from '@/lib/schemas/platform-users';
import { PLATFORM_ROLE_LABELS } from '@/lib/vocabulary';
import { asc, keyset, type Page } from './pagination';

/**
 * Platform staff: who is STAFF, OPERATOR or SUPERADMIN, and the one function that changes a platform role. The
 * platform always keeps at least one superadmin who is not blocked, also under concurrent demotions and blocks: like
 * an org's owners under the org row's lock (lockOrg), every change that could remove a superadmin runs under one
 * transaction-scoped lock (lockPlatformStaff) and counts the others after taking it.
 */

/**
 * Serializes every change to who is a superadmin (role changes and blocks). There is no platform row to lock as
 * an org's row is locked, so it is a transaction-scoped advisory lock with a fixed key.
 */
export async function lockPlatformStaff(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext('gatehouse.platform_staff'))`;
}

/** Superadmins who are not blocked, other than this user. Call under lockPlatformStaff. */
export async function activeSuperadminsOtherThan(tx: Tx, userId: string): Promise<number> {
  return tx.user.count({ where: { platformRole: 'SUPERADMIN', blockedAt: null, id: { not: userId } } });
}

export interface StaffMemberDto {
  id: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole;
  blocked: boolean;
  lastLoginAt: string | null;
}

const byEmail = keyset(asc('email', 'string'), asc('id', 'uuid'));

/** Everyone with a platform role, by email, cursor-paginated. */
export async function listStaff(_ctx: PlatformContext, params: { cursor?: string; limit?: number } = {}): Promise<Page<StaffMemberDto>> {
  const page = byEmail.query(params);
  const rows = await db.user.findMany({
    where: { platformRole: { not: 'NONE' }, ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: { id: true, email: true, name: true, platformRole: true, blockedAt: true, lastLoginAt: true },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      platformRole: u.platformRole,
      blocked: u.blockedAt !== null,
      lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    })),
  };
}

type TargetRow = { id: string; email: string; platform_role: PlatformRole };

async function findTarget(tx: Tx, input: SetPlatformRoleInput): Promise<TargetRow> {
  const rows = input.userId
    ? await tx.$queryRaw<TargetRow[]>`SELECT id, email, platform_role::text AS platform_role FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`
    : await tx.$queryRaw<TargetRow[]>`
        SELECT id, email, platform_role::text AS platform_role FROM users
        WHERE lower(email) COLLATE "C" = ${(input.email ?? '').toLowerCase()} ORDER BY id LIMIT 2 FOR UPDATE`;
  if (rows.length === 0) {
    throw new AppError('NOT_FOUND', input.userId ? 'That user does not exist.' : 'Nobody with that email has signed in yet.', {
      fieldErrors: input.email ? { email: ['Nobody with that email has signed in yet.'] } : undefined,
    });
  }
  if (rows.length > 1) {
    const message = 'Several users have that email; change their role from their page (Users).';
    throw new AppError('CONFLICT', message, { fieldErrors: { email: [message] } });
  }
  return rows[0]!;
}

/**
 * Sets a user's platform role (NONE revokes it): the one way platform roles change (staff:manage, superadmins).
 * Under lockPlatformStaff, the caller's own role is read again (a superadmin demoted a moment ago acts no more);
 * nobody raises their own role; the last unblocked superadmin cannot be demoted (CONFLICT), whatever runs at the same
 * time. Audited as `user.platform_role_changed` in the same transaction. `changed` is false when nothing changed.
 */
export async function setPlatformRole(
  ctx: PlatformContext,
  input: SetPlatformRoleInput,
): Promise<{ id: string; email: string; platformRole: PlatformRole; changed: boolean }> {
  return db.$transaction(async (tx) => {
    await lockPlatformStaff(tx);
    const me = await tx.user.findUnique({ where: { id: ctx.user.id }, select: { platformRole: true, blockedAt: true } });
    const actor = { platformRole: me && me.blockedAt === null ? me.platformRole : ('NONE' as const) };
    if (!canAssignPlatformRole(actor, input.role)) {
      throw new AppError('FORBIDDEN', `You cannot make someone ${PLATFORM_ROLE_LABELS[input.role].toLowerCase()}; only superadmins manage staff.`);
    }
    const target = await findTarget(tx, input);
    if (target.id === ctx.user.id && PLATFORM_RANK[input.role] > PLATFORM_RANK[target.platform_role]) {
      throw new AppError('FORBIDDEN', 'You cannot raise your own platform role.');
    }
    if (target.platform_role === input.role) return { id: target.id, email: target.email, platformRole: input.role, changed: false };
    if (target.platform_role === 'SUPERADMIN' && (await activeSuperadminsOtherThan(tx, target.id)) === 0) {
      throw new AppError('CONFLICT', 'The platform must keep at least one superadmin: make someone else a superadmin first.');
    }
    await tx.user.update({ where: { id: target.id }, data: { platformRole: input.role } });
    await audit(tx, ctx, {
      action: 'user.platform_role_changed',
      target: { type: 'user', id: target.id },
      before: { platformRole: target.platform_role, email: target.email },
      after: { platformRole: input.role },
    });
    return { id: target.id, email: target.email, platformRole: input.role, changed: true };
  });
}
