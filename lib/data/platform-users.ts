import 'server-only';
import { z } from 'zod';
import { decide } from '@/lib/access/decide';
import { reasonText } from '@/lib/access/reason-text';
import { loadCatalog, loadUserFacts, prismaReader } from '@/lib/access/load';
import type { Tier } from '@/lib/access/types';
import { audit } from '@/lib/audit';
import type { PlatformRole } from '@/lib/authz/permissions';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import type { SetUserBlockedInput } from '@/lib/schemas/platform-users';
import { cursorSchema, decodeCursor, pageSize, toPage, type Page } from './pagination';
import { activeSuperadminsOtherThan, lockPlatformStaff } from './staff';

/**
 * Every user, as the platform sees them (cross-tenant: callers hold platform:read), and blocking, the one way a user
 * is blocked or unblocked (users:block, superadmins). The list searches 100,000+ users by email, name or Auth0
 * subject prefix through the "C"-collated prefix indexes of migration 20261203020000 (plans in ADR 0010).
 */

const UUID = z.string().uuid();
/** The list's order: lower(email) in the "C" collation (the index's), then id. */
const EmailCursor = cursorSchema({ k: 'string', id: 'uuid' });

export const USER_ORG_COUNT_FILTERS = ['0', '1', '2+'] as const;
export type UserOrgCountFilter = (typeof USER_ORG_COUNT_FILTERS)[number];

export interface PlatformUserFilters {
  q?: string;
  /** A platform role, or `any` for anyone with one. */
  role?: PlatformRole | 'any';
  status?: 'blocked' | 'active';
  orgs?: UserOrgCountFilter;
  /** Only users who never signed in. */
  never?: boolean;
  cursor?: string;
  limit?: number;
}

export interface PlatformUserListItemDto {
  id: string;
  sub: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole;
  blocked: boolean;
  orgs: number;
  lastLoginAt: string | null;
  createdAt: string;
}

/** `%` and `_` are LIKE wildcards; the search means them literally. */
function likePrefix(s: string): string {
  return `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type UserRow = {
  id: string;
  sub: string;
  email: string;
  name: string | null;
  platform_role: PlatformRole;
  blocked: boolean;
  orgs: number;
  last_login_at: Date | null;
  created_at: Date;
  k: string;
};

/**
 * Users ordered by email, cursor-paginated. `q` matches the start of the email or the name (case-insensitive) or of
 * the Auth0 subject (as typed); a `q` with a `|` (an Auth0 subject, `auth0|…`) matches subjects only.
 */
export async function listPlatformUsers(_ctx: PlatformContext, f: PlatformUserFilters = {}): Promise<Page<PlatformUserListItemDto>> {
  const limit = pageSize(f.limit);
  const cursor = decodeCursor(EmailCursor, f.cursor);
  const c: Prisma.Sql[] = [];
  const q = f.q?.trim();
  if (q) {
    const sub = Prisma.sql`u.sub COLLATE "C" LIKE ${likePrefix(q)}`;
    const p = likePrefix(q.toLowerCase());
    c.push(q.includes('|') ? sub : Prisma.sql`(lower(u.email) COLLATE "C" LIKE ${p} OR lower(u.name) COLLATE "C" LIKE ${p} OR ${sub})`);
  }
  if (f.role === 'any') c.push(Prisma.sql`u.platform_role <> 'NONE'`);
  else if (f.role) c.push(Prisma.sql`u.platform_role = ${f.role}::"PlatformRole"`);
  if (f.status === 'blocked') c.push(Prisma.sql`u.blocked_at IS NOT NULL`);
  if (f.status === 'active') c.push(Prisma.sql`u.blocked_at IS NULL`);
  if (f.never) c.push(Prisma.sql`u.last_login_at IS NULL`);
  if (f.orgs === '0') c.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`);
  if (f.orgs === '1') c.push(Prisma.sql`(SELECT count(*) FROM memberships m WHERE m.user_id = u.id) = 1`);
  if (f.orgs === '2+') c.push(Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM memberships m WHERE m.user_id = u.id LIMIT 2) two) = 2`);
  if (cursor) c.push(Prisma.sql`(lower(u.email) COLLATE "C", u.id) > (${cursor.k} COLLATE "C", ${cursor.id}::uuid)`);
  const where = c.length ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty;
  const rows = await db.$queryRaw<UserRow[]>`
    SELECT u.id, u.sub, u.email, u.name, u.platform_role::text AS platform_role, u.blocked_at IS NOT NULL AS blocked,
           (SELECT count(*) FROM memberships m WHERE m.user_id = u.id)::int AS orgs,
           u.last_login_at, u.created_at, lower(u.email) AS k
    FROM users u ${where}
    ORDER BY lower(u.email) COLLATE "C", u.id
    LIMIT ${limit + 1}`;
  const page = toPage(rows, limit, (last) => ({ k: last.k, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      sub: r.sub,
      email: r.email,
      name: r.name,
      platformRole: r.platform_role,
      blocked: r.blocked,
      orgs: r.orgs,
      lastLoginAt: r.last_login_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
  };
}

export interface UserReachDto {
  applicationId: string;
  application: string;
  allow: boolean;
  code: string;
  /** decide's reason, one sentence, naming roles by their names (reasonText). */
  message: string;
}

export interface PlatformUserDto {
  id: string;
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  connection: string | null;
  platformRole: PlatformRole;
  blocked: boolean;
  blockedAt: string | null;
  lastLoginAt: string | null;
  loginCount: number;
  createdAt: string;
  /** Roles held in every org (global assignments), with their expiry. */
  globalRoles: { id: string; key: string; name: string; expiresAt: string | null; expired: boolean }[];
  memberships: {
    orgId: string;
    slug: string;
    name: string;
    suspended: boolean;
    tier: Tier;
    roles: { id: string; key: string; name: string; expiresAt: string | null; expired: boolean }[];
    /** What the user can reach in this org and why (decide over the loaded facts, every user-facing application). */
    reach: UserReachDto[];
  }[];
  /** Memberships beyond the first MEMBERSHIP_LIMIT are counted, not shown. */
  moreMemberships: number;
  lastSignIns: { at: string; kind: string; org: { id: string; name: string } | null; application: { id: string; name: string } | null; clientId: string | null }[];
}

const MEMBERSHIP_LIMIT = 50;
const SIGN_IN_LIMIT = 10;

/**
 * One user with every membership (tier and roles), their global roles, what they can reach in each org and why
 * (`decide` over the facts lib/access/load.ts reads, as the decision API would answer), and their last sign-ins with
 * the org and application of each. Null for an unknown id (or one that is not a uuid).
 */
export async function getPlatformUser(_ctx: PlatformContext, userId: string): Promise<PlatformUserDto | null> {
  if (!UUID.safeParse(userId).success) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      sub: true,
      email: true,
      emailVerified: true,
      name: true,
      connection: true,
      platformRole: true,
      blockedAt: true,
      lastLoginAt: true,
      loginCount: true,
      createdAt: true,
    },
  });
  if (!user) return null;
  const reader = prismaReader(db);
  const [facts, catalog, logins] = await Promise.all([
    loadUserFacts(reader, userId),
    loadCatalog(reader),
    db.loginEvent.findMany({
      where: { userId },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: SIGN_IN_LIMIT,
      select: { at: true, kind: true, clientId: true, org: { select: { id: true, name: true } } },
    }),
  ]);
  const now = new Date();
  const roleOf = (a: { roleId: string; expiresAt: Date | null }) => {
    const r = catalog.roles.get(a.roleId);
    return {
      id: a.roleId,
      key: r?.key ?? a.roleId,
      name: r?.name ?? 'Deleted role',
      expiresAt: a.expiresAt?.toISOString() ?? null,
      expired: a.expiresAt !== null && a.expiresAt <= now,
    };
  };
  const blocked = user.blockedAt !== null;
  const apps = catalog.applications.filter((a) => a.type !== 'M2M');
  const memberships = facts.memberships.slice(0, MEMBERSHIP_LIMIT).map((m) => ({
    orgId: m.orgId,
    slug: m.slug,
    name: m.name,
    suspended: m.suspended,
    tier: m.tier,
    roles: facts.assignments.filter((a) => a.orgId === m.orgId).map(roleOf),
    reach: apps.map((application) => {
      const d = decide({
        subject: { kind: 'user', id: user.id, blocked, membership: { orgId: m.orgId, tier: m.tier }, assignments: facts.assignments },
        org: { id: m.orgId, slug: m.slug, suspended: m.suspended },
        target: { kind: 'application', application },
        now,
        catalog,
      });
      return { applicationId: application.id, application: application.name, allow: d.allow, code: d.reason.code, message: reasonText(d.reason, catalog, application.name) };
    }),
  }));
  return {
    id: user.id,
    sub: user.sub,
    email: user.email,
    emailVerified: user.emailVerified,
    name: user.name,
    connection: user.connection,
    platformRole: user.platformRole,
    blocked,
    blockedAt: user.blockedAt?.toISOString() ?? null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    loginCount: user.loginCount,
    createdAt: user.createdAt.toISOString(),
    globalRoles: facts.assignments.filter((a) => a.orgId === null).map(roleOf),
    memberships,
    moreMemberships: Math.max(0, facts.memberships.length - MEMBERSHIP_LIMIT),
    lastSignIns: logins.map((l) => {
      const app = l.clientId ? catalog.applicationsByClientId.get(l.clientId) : undefined;
      return {
        at: l.at.toISOString(),
        kind: l.kind,
        org: l.org,
        application: app ? { id: app.id, name: app.name } : null,
        clientId: l.clientId,
      };
    }),
  };
}

/**
 * Blocks or unblocks a user: the one way to do it (users:block). A blocked user is denied every decision
 * (`user_blocked`; the decision API obeys within a second through change_log) and their console sessions end (the
 * sessions trigger of migration 20261201120400). Under the platform staff lock (lockPlatformStaff), so the platform
 * keeps an unblocked superadmin whatever runs at the same time; nobody blocks themselves. Audited as `user.blocked` /
 * `user.unblocked` in the same transaction. `changed` is false when the user already was in that state.
 */
export async function setUserBlocked(ctx: PlatformContext, input: SetUserBlockedInput): Promise<{ id: string; blocked: boolean; changed: boolean }> {
  return db.$transaction(async (tx) => {
    await lockPlatformStaff(tx);
    const rows = await tx.$queryRaw<{ id: string; email: string; platform_role: PlatformRole; blocked_at: Date | null }[]>`
      SELECT id, email, platform_role::text AS platform_role, blocked_at FROM users WHERE id = ${input.userId}::uuid FOR UPDATE`;
    const target = rows[0];
    if (!target) throw new AppError('NOT_FOUND', 'That user does not exist.');
    if (target.id === ctx.user.id) throw new AppError('FORBIDDEN', 'You cannot block or unblock yourself.');
    if ((target.blocked_at !== null) === input.blocked) return { id: target.id, blocked: input.blocked, changed: false };
    if (input.blocked && target.platform_role === 'SUPERADMIN' && (await activeSuperadminsOtherThan(tx, target.id)) === 0) {
      throw new AppError('CONFLICT', 'This is the last superadmin who is not blocked; make someone else a superadmin first.');
    }
    await tx.user.update({ where: { id: target.id }, data: { blockedAt: input.blocked ? new Date() : null } });
    await audit(tx, ctx, {
      action: input.blocked ? 'user.blocked' : 'user.unblocked',
      target: { type: 'user', id: target.id },
      before: { blocked: !input.blocked, email: target.email },
      after: { blocked: input.blocked },
    });
    return { id: target.id, blocked: input.blocked, changed: true };
  });
}
