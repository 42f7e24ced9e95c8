import 'server-only';
import { z } from 'zod';
import { decide } from '@/lib/access/decide';
import { loadAssignments, loadCatalog, loadMemberships, prismaReader, type LoadedCatalog } from '@/lib/access/load';
import { reasonText } from '@/lib/access/reason-text';
import type { AssignmentFact, OrgFact, Target, Tier } from '@/lib/access/types';
import { audit } from '@/lib/audit';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import type { MatrixFilters } from '@/lib/schemas/matrix';
import { deleteAssignment, getAssignableRoleOrThrow, upsertRoleAssignment } from './assignments';
import { grantOrgRole, revokeOrgRole } from './grants';
import { lockOrg } from './orgs';
import { cursorSchema, decodeCursor, encodeCursor, pageSize, PgTimestampText } from './pagination';

/**
 * The access matrix: rows are users (or M2M clients), columns are applications (or, for clients, APIs); every cell
 * is `decide`'s answer with its reason. Rows come from SQL with keyset pagination; the cells of a page are computed
 * in memory from the catalog (loaded once) and the page's memberships and assignments (two queries).
 */

export interface MatrixColumn {
  id: string;
  name: string;
  /** Application type, or 'API' for the clients tab. */
  type: string;
  /** Roles mapped to the application / granting a permission of the API (non-built-in roles can be granted). */
  grantableRoles: { id: string; key: string; name: string }[];
}

export interface MatrixCell {
  allow: boolean;
  code: string;
  /** decide's own sentence (role keys), as the decision API answers it. */
  message: string;
  /** The same reason for people: roles by their names (reasonText). */
  reason: string;
  /** Assignments that grant this cell and can be revoked here (org-scoped in an org; any in the platform). */
  revocable: { assignmentId: string; roleKey: string; roleName: string; scope: 'global' | 'org' }[];
}

export interface MatrixRow {
  id: string;
  label: string;
  sublabel: string;
  tier: Tier | null;
  lastLoginAt: string | null;
  blocked: boolean;
  cells: MatrixCell[];
}

export interface MatrixPage {
  columns: MatrixColumn[];
  rows: MatrixRow[];
  nextCursor: string | null;
  /** Milliseconds spent on the server (rows, facts, decisions), for the Server-Timing header and the benchmark. */
  serverMs: number;
}

/** The last row's sort key as text (`k`) and id: the rows come from SQL, ordered by an expression (see userRows). */
const Cursor = cursorSchema({ k: 'string', id: 'uuid' });
/** By last sign-in the key is cast back to a timestamptz, so a forged key must be refused (page one), not cast. */
const LoginCursor = z.object({ k: PgTimestampText, id: z.string().uuid() });

type SubjectRow = { id: string; label: string; sublabel: string; sort_key: string; last_login_at: Date | null; blocked: boolean; tier: Tier | null };

function roleFilterSql(kind: 'user' | 'client', roleId: string | undefined, orgId: string | null): Prisma.Sql {
  if (!roleId) return Prisma.empty;
  const subjectCol = kind === 'user' ? Prisma.sql`a.user_id = s.id` : Prisma.sql`a.client_app_id = s.id`;
  const scope = orgId ? Prisma.sql`(a.org_id IS NULL OR a.org_id = ${orgId}::uuid)` : Prisma.sql`a.org_id IS NULL`;
  const viaTier =
    kind === 'user' && orgId ? Prisma.sql` OR m.tier = (SELECT r.tier FROM roles r WHERE r.id = ${roleId}::uuid)` : Prisma.empty;
  return Prisma.sql` AND (EXISTS (SELECT 1 FROM role_assignments a WHERE ${subjectCol} AND a.role_id = ${roleId}::uuid AND ${scope}
    AND (a.expires_at IS NULL OR a.expires_at > now()))${viaTier})`;
}

async function userRows(orgId: string | null, f: MatrixFilters, limit: number): Promise<SubjectRow[]> {
  const byLogin = f.sort === 'last_sign_in';
  // The sort expressions match the indexes on users (migration 20261124000000_matrix_indexes); the cursor keeps
  // the last row's sort key as text.
  const loginKey = Prisma.sql`COALESCE(s.last_login_at, '-infinity'::timestamptz)`;
  const nameKey = Prisma.sql`lower(COALESCE(s.name, s.email))`;
  const cursor = decodeCursor(byLogin ? LoginCursor : Cursor, f.cursor);
  const keyset = !cursor
    ? Prisma.empty
    : byLogin
      ? Prisma.sql` AND (${loginKey}, s.id) < (${cursor.k}::timestamptz, ${cursor.id}::uuid)`
      : Prisma.sql` AND (${nameKey}, s.id) > (${cursor.k}, ${cursor.id}::uuid)`;
  const like = f.q ? '%' + escapeLike(f.q) + '%' : '';
  const text = f.q ? Prisma.sql` AND (s.email ILIKE ${like} OR s.name ILIKE ${like})` : Prisma.empty;
  const join = orgId ? Prisma.sql`JOIN memberships m ON m.user_id = s.id AND m.org_id = ${orgId}::uuid` : Prisma.empty;
  const tier = orgId ? Prisma.sql`m.tier::text` : Prisma.sql`NULL`;
  const order = byLogin ? Prisma.sql`${loginKey} DESC, s.id DESC` : Prisma.sql`${nameKey}, s.id`;
  return db.$queryRaw<SubjectRow[]>`
    SELECT s.id, COALESCE(s.name, s.email) AS label, s.email AS sublabel,
           ${byLogin ? Prisma.sql`${loginKey}::text` : nameKey} AS sort_key,
           s.last_login_at, s.blocked_at IS NOT NULL AS blocked, ${tier} AS tier
    FROM users s ${join}
    WHERE true${text}${roleFilterSql('user', f.roleId, orgId)}${keyset}
    ORDER BY ${order}
    LIMIT ${limit + 1}`;
}

async function clientRows(orgId: string | null, f: MatrixFilters, limit: number, onlyActing: boolean): Promise<SubjectRow[]> {
  const cursor = decodeCursor(Cursor, f.cursor);
  const keyset = cursor ? Prisma.sql` AND (lower(s.name), s.id) > (${cursor.k}, ${cursor.id}::uuid)` : Prisma.empty;
  const like = f.q ? '%' + escapeLike(f.q) + '%' : '';
  const text = f.q ? Prisma.sql` AND (s.name ILIKE ${like} OR s.client_id ILIKE ${like})` : Prisma.empty;
  // In an org's own matrix: only the clients acting there (an org-scoped assignment in it).
  const inOrg = orgId && onlyActing
    ? Prisma.sql` AND EXISTS (SELECT 1 FROM role_assignments a WHERE a.client_app_id = s.id AND a.org_id = ${orgId}::uuid)`
    : Prisma.empty;
  return db.$queryRaw<SubjectRow[]>`
    SELECT s.id, s.name AS label, s.client_id AS sublabel, lower(s.name) AS sort_key, NULL::timestamptz AS last_login_at,
           false AS blocked, NULL AS tier
    FROM applications s
    WHERE s.type = 'M2M'${inOrg}${text}${roleFilterSql('client', f.roleId, orgId)}${keyset}
    ORDER BY lower(s.name), s.id
    LIMIT ${limit + 1}`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function columnsOf(catalog: LoadedCatalog, f: MatrixFilters): { columns: MatrixColumn[]; targets: Target[] } {
  const grantable = (ids: string[]) =>
    catalog.roleList.filter((r) => ids.includes(r.id) && r.tier === null).map((r) => ({ id: r.id, key: r.key, name: r.name }));
  if (f.subjects === 'clients') {
    const audiences = [...new Set(catalog.roleList.flatMap((r) => r.permissions.map((p) => p.audience)))].sort().filter((aud) => !f.appId || aud === f.appId);
    return {
      columns: audiences.map((aud) => ({
        id: aud,
        name: aud,
        type: 'API',
        grantableRoles: grantable(catalog.roleList.filter((r) => r.permissions.some((p) => p.audience === aud)).map((r) => r.id)),
      })),
      targets: audiences.map((audience) => ({ kind: 'audience', audience })),
    };
  }
  const apps = catalog.applications.filter((a) => a.type !== 'M2M' && (!f.appType || a.type === f.appType) && (!f.appId || a.id === f.appId));
  return {
    columns: apps.map((a) => ({ id: a.id, name: a.name, type: a.type, grantableRoles: grantable(a.roleIds) })),
    targets: apps.map((application) => ({ kind: 'application', application })),
  };
}

/**
 * With the "allowed only" / "denied only" filter a page may scan this many SQL batches before it answers with what it
 * has (maybe fewer rows, maybe none) and a cursor to go on from: a sparse filter over 100,000 rows never holds one
 * request for long, and the grid keeps asking as focus or scrolling reaches the end.
 */
const MAX_FILTER_BATCHES = 10;

async function matrixPage(org: OrgFact | null, f: MatrixFilters, revokeScope: 'org' | 'any'): Promise<MatrixPage> {
  const started = performance.now();
  const limit = pageSize(f.limit);
  const orgId = org?.id ?? null;
  const kind = f.subjects === 'clients' ? 'client' : 'user';
  const catalog = await loadCatalog(prismaReader(db));
  const { columns, targets } = columnsOf(catalog, f);
  const now = new Date();
  const out: MatrixRow[] = [];
  let cursor = f.cursor;
  let nextCursor: string | null = null;
  for (let batch = 0; ; batch++) {
    const rows = await (f.subjects === 'clients' ? clientRows(orgId, { ...f, cursor }, limit, revokeScope === 'org') : userRows(orgId, { ...f, cursor }, limit));
    const pageRows = rows.slice(0, limit);
    const ids = pageRows.map((r) => r.id);
    const [assignments, tiers] = await Promise.all([
      loadAssignments(prismaReader(db), kind, ids, orgId),
      kind === 'user' && orgId ? loadMemberships(prismaReader(db), ids, orgId) : Promise.resolve(new Map<string, Tier>()),
    ]);
    let lastTaken: SubjectRow | undefined;
    for (const r of pageRows) {
      const row = decideRow(r, { kind, orgId, org, targets, catalog, now, revokeScope, assignments, tiers });
      lastTaken = r;
      if (!f.outcome || row.cells.some((c) => c.allow === (f.outcome === 'allowed'))) out.push(row);
      if (out.length === limit) break;
    }
    const more = rows.length > limit || (lastTaken !== undefined && lastTaken !== pageRows[pageRows.length - 1]);
    if (!more || !lastTaken) break;
    cursor = encodeCursor({ k: lastTaken.sort_key, id: lastTaken.id });
    if (out.length === limit || !f.outcome || batch + 1 >= MAX_FILTER_BATCHES || targets.length === 0) {
      nextCursor = cursor;
      break;
    }
  }
  return {
    columns,
    rows: out,
    nextCursor,
    serverMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

function decideRow(
  r: SubjectRow,
  c: {
    kind: 'user' | 'client';
    orgId: string | null;
    org: OrgFact | null;
    targets: Target[];
    catalog: LoadedCatalog;
    now: Date;
    revokeScope: 'org' | 'any';
    assignments: Map<string, AssignmentFact[]>;
    tiers: Map<string, Tier>;
  },
): MatrixRow {
  const facts: AssignmentFact[] = c.assignments.get(r.id) ?? [];
  const tier = c.tiers.get(r.id) ?? null;
  const subject =
    c.kind === 'user'
      ? { kind: 'user' as const, id: r.id, blocked: r.blocked, membership: c.orgId && tier ? { orgId: c.orgId, tier } : null, assignments: facts }
      : { kind: 'client' as const, id: r.id, assignments: facts };
  return {
    id: r.id,
    label: r.label,
    sublabel: r.sublabel,
    tier,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    blocked: r.blocked,
    cells: c.targets.map((target) => {
      const d = decide({ subject, org: c.org, target, now: c.now, catalog: c.catalog });
      const via = new Set(d.reason.via ?? []);
      const revocable = d.allow
        ? d.roles
            .filter((role) => via.has(role.key))
            .flatMap((role) =>
              role.sources.flatMap((s) =>
                s.kind === 'assignment' && (c.revokeScope === 'any' || s.scope === 'org')
                  ? [{ assignmentId: s.assignmentId, roleKey: role.key, roleName: role.name, scope: s.scope }]
                  : [],
              ),
            )
        : [];
      const appName = target.kind === 'application' ? target.application.name : undefined;
      return { allow: d.allow, code: d.reason.code, message: d.reason.message, reason: reasonText(d.reason, c.catalog, appName), revocable };
    }),
  };
}

/** The role catalog and every application, for the matrix's filters and its grant dialog. */
export async function getAccessCatalog(_ctx: OrgContext | PlatformContext): Promise<LoadedCatalog> {
  return loadCatalog(prismaReader(db));
}

/** The matrix of the caller's org: its members (or the M2M clients acting in it). */
export async function listOrgMatrix(ctx: OrgContext, filters: MatrixFilters): Promise<MatrixPage> {
  return matrixPage({ id: ctx.org.id, slug: ctx.org.slug, suspended: false }, filters, 'org');
}

/** The platform matrix: everyone (global roles only), or one org's members when `orgSlug` is given. */
export async function listPlatformMatrix(_ctx: PlatformContext, filters: MatrixFilters & { orgSlug?: string }): Promise<MatrixPage> {
  let org: OrgFact | null = null;
  if (filters.orgSlug) {
    const row = await db.org.findUnique({ where: { slug: filters.orgSlug }, select: { id: true, slug: true, suspendedAt: true } });
    if (!row) throw new AppError('BAD_INPUT', `There is no organization "${filters.orgSlug}".`, { fieldErrors: { org: ['Unknown organization.'] } });
    org = { id: row.id, slug: row.slug, suspended: row.suspendedAt !== null };
  }
  return matrixPage(org, filters, 'any');
}

/** Grants a member a role in the caller's org from a matrix cell (the tier rules apply, as on the members page). */
export async function grantFromOrgMatrix(ctx: OrgContext, input: { userId: string; roleId: string }) {
  const role = await getAssignableRoleOrThrow(db, input.roleId, 'granted');
  return db.$transaction(async (tx) => {
    const { changed } = await grantOrgRole(tx, ctx, { orgId: ctx.org.id, userId: input.userId, roleId: role.id, grantedById: ctx.user.id });
    if (changed) {
      await audit(tx, ctx, { orgId: ctx.org.id, action: 'member.roles_changed', target: { type: 'user', id: input.userId }, after: { granted: role.key, via: 'matrix' } });
    }
    return { changed };
  });
}

/** Revokes, from a matrix cell, the org-scoped assignment that grants it (the tier rules apply). */
export async function revokeFromOrgMatrix(ctx: OrgContext, input: { assignmentId: string }) {
  return db.$transaction(async (tx) => {
    const a = await tx.roleAssignment.findFirst({
      where: { id: input.assignmentId, orgId: ctx.org.id, userId: { not: null } },
      select: { id: true, userId: true, role: { select: { key: true } } },
    });
    if (!a?.userId) throw new AppError('NOT_FOUND', 'That role assignment is not in this organization.');
    const { deleted } = await revokeOrgRole(tx, ctx, { orgId: ctx.org.id, userId: a.userId, assignmentId: a.id });
    if (deleted === 0) throw new AppError('NOT_FOUND', 'That role assignment is not in this organization.');
    await audit(tx, ctx, { orgId: ctx.org.id, action: 'member.roles_changed', target: { type: 'user', id: a.userId }, before: { revoked: a.role.key, via: 'matrix' } });
    return { revoked: true as const };
  });
}

/** Grants a user or M2M client a role, in one org or globally, from the platform matrix. */
export async function grantFromPlatformMatrix(
  ctx: PlatformContext,
  input: { subject: 'users' | 'clients'; subjectId: string; roleId: string; orgSlug?: string },
) {
  const role = await getAssignableRoleOrThrow(db, input.roleId, 'granted');
  return db.$transaction(async (tx) => {
    const org = input.orgSlug ? await tx.org.findUnique({ where: { slug: input.orgSlug }, select: { id: true } }) : null;
    if (input.orgSlug && !org) throw new AppError('BAD_INPUT', `There is no organization "${input.orgSlug}".`);
    const orgId = org?.id ?? null;
    if (orgId) await lockOrg(tx, orgId);
    if (input.subject === 'users') {
      const user = await tx.user.findUnique({ where: { id: input.subjectId }, select: { id: true } });
      if (!user) throw new AppError('NOT_FOUND', 'That user does not exist.');
      if (orgId && !(await tx.membership.findFirst({ where: { orgId, userId: user.id }, select: { id: true } }))) {
        throw new AppError('CONFLICT', 'That user is not a member of this organization; invite them first.');
      }
    } else {
      const client = await tx.application.findFirst({ where: { id: input.subjectId, type: 'M2M' }, select: { id: true } });
      if (!client) throw new AppError('NOT_FOUND', 'That M2M client does not exist.');
    }
    const subjectWhere = input.subject === 'users' ? { userId: input.subjectId } : { clientAppId: input.subjectId };
    const row =
      input.subject === 'users' && orgId
        ? await grantOrgRole(tx, ctx, { orgId, userId: input.subjectId, roleId: role.id, grantedById: ctx.user.id })
        : await upsertRoleAssignment(tx, { roleId: role.id, orgId, grantedById: ctx.user.id, ...subjectWhere });
    if (!row.changed) return { changed: false };
    await audit(tx, ctx, {
      orgId,
      action: 'assignment.created',
      target: { type: 'assignment', id: row.id },
      after: { role: role.key, ...subjectWhere, orgId, via: 'matrix' },
    });
    return { changed: true };
  });
}

/** Revokes any assignment from the platform matrix (the same revocation as the M2M client page). */
export async function revokeFromPlatformMatrix(ctx: PlatformContext, input: { assignmentId: string }) {
  await deleteAssignment(ctx, input);
  return { revoked: true as const };
}
