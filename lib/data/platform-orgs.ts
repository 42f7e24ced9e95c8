import 'server-only';
import { z } from 'zod';
import type { PlatformContext } from '@/lib/authz/types';
import { audit } from '@/lib/audit';
import { db } from '@/lib/db';
import { AppError, isUniqueViolation } from '@/lib/errors';
import type { SetOrgAuth0LinkInput } from '@/lib/schemas/org-link';
import { ORG_SIZES, type PlatformOrgFilters, type PlatformOrgSort } from '@/lib/schemas/platform-orgs';
import { decodeCursor, pageSize, PgTimestampText, toPage, type Page } from './pagination';

/**
 * Every org, as the platform sees it (cross-tenant: callers hold platform:read, and catalog:write to change the
 * Auth0 link; lib/authz/surface.ts), and the link from an org to its Auth0 organization by id, which the Auth0 Actions
 * and the decision API match before the organization's name (lib/decision-api/decisions.ts).
 */

const UUID = z.string().uuid();

export { ORG_CREATED_RANGES, ORG_SIZES, PLATFORM_ORG_SORTS } from '@/lib/schemas/platform-orgs';
export type { OrgCreatedRange, OrgSize, PlatformOrgFilters, PlatformOrgSort } from '@/lib/schemas/platform-orgs';

export interface PlatformOrgListItemDto {
  id: string;
  slug: string;
  name: string;
  auth0OrgId: string | null;
  suspended: boolean;
  members: number;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface PlatformOrgDto extends PlatformOrgListItemDto {
  updatedAt: string;
  suspendedAt: string | null;
}

/**
 * Each sort's SQL key (ties broken by id in the same direction) and how its value rides in a cursor. Member counts
 * and last sign-ins come from org_stats (kept by triggers, migration 20261203010000_platform_dashboard), so sorting
 * 1,000 orgs by them reads 1,000 rows, not 300,000 memberships.
 */
const SORT_SQL: Record<PlatformOrgSort, { expr: string; cursor: z.ZodType<string | number>; cast: string }> = {
  name: { expr: 'o.name', cursor: z.string().refine((s) => !s.includes('\u0000')), cast: 'text' },
  members: { expr: 'COALESCE(s.members, 0)', cursor: z.number().int(), cast: 'int' },
  created: { expr: 'o.created_at', cursor: PgTimestampText, cast: 'timestamptz' },
  last_sign_in: { expr: "COALESCE(s.last_sign_in_at, '-infinity'::timestamptz)", cursor: PgTimestampText, cast: 'timestamptz' },
};

interface OrgRow {
  id: string;
  slug: string;
  name: string;
  auth0_org_id: string | null;
  suspended_at: Date | null;
  created_at: Date;
  members: number;
  last_sign_in_at: Date | null;
  sort_key: string | number;
}

function toListItem(o: OrgRow): PlatformOrgListItemDto {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    auth0OrgId: o.auth0_org_id,
    suspended: o.suspended_at !== null,
    members: o.members,
    createdAt: o.created_at.toISOString(),
    lastSignInAt: o.last_sign_in_at?.toISOString() ?? null,
  };
}

/** The WHERE clause and parameters of a filter (parameters numbered from 1). */
function filterSql(filters: PlatformOrgFilters): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const q = filters.q?.trim();
  if (q) {
    params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(o.name ILIKE $${params.length} OR o.slug ILIKE $${params.length} OR o.auth0_org_id ILIKE $${params.length})`);
  }
  if (filters.suspended !== undefined) where.push(filters.suspended ? 'o.suspended_at IS NOT NULL' : 'o.suspended_at IS NULL');
  if (filters.created) {
    where.push(filters.created === 'older' ? "o.created_at < now() - interval '90 days'" : `o.created_at >= now() - interval '${Number(filters.created)} days'`);
  }
  if (filters.size) {
    const [min, max] = ORG_SIZES[filters.size];
    where.push(`COALESCE(s.members, 0) >= ${min}`);
    if (max !== null) where.push(`COALESCE(s.members, 0) <= ${max}`);
  }
  return { where, params };
}

/**
 * Orgs searched by name, slug or Auth0 organization id, filtered by suspension, creation date and size, sorted by
 * name, members, creation or last sign-in (keyset: the sort key and id, both in the sort's direction).
 */
export async function listPlatformOrgs(
  _ctx: PlatformContext,
  params: PlatformOrgFilters & { cursor?: string; limit?: number } = {},
): Promise<Page<PlatformOrgListItemDto>> {
  const limit = pageSize(params.limit);
  const sort = params.sort ?? { key: 'name', direction: 'asc' };
  const key = SORT_SQL[sort.key];
  // The cursor names its sort, so one made for another sort (or another list) reads as page one.
  const tag = `${sort.key}:${sort.direction}`;
  const cursor = decodeCursor(z.object({ s: z.literal(tag), k: key.cursor, id: z.string().uuid() }), params.cursor);
  const { where, params: values } = filterSql(params);
  const dir = sort.direction === 'desc' ? 'DESC' : 'ASC';
  if (cursor) {
    values.push(cursor.k, cursor.id);
    where.push(`(${key.expr}, o.id) ${dir === 'DESC' ? '<' : '>'} ($${values.length - 1}::${key.cast}, $${values.length}::uuid)`);
  }
  values.push(limit + 1);
  const rows = await db.$queryRawUnsafe<OrgRow[]>(
    `SELECT o.id, o.slug, o.name, o.auth0_org_id, o.suspended_at, o.created_at, COALESCE(s.members, 0)::int AS members, s.last_sign_in_at,
            ${key.cast === 'timestamptz' ? `(${key.expr})::text` : key.expr} AS sort_key
     FROM orgs o LEFT JOIN org_stats s ON s.org_id = o.id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${key.expr} ${dir}, o.id ${dir}
     LIMIT $${values.length}`,
    ...values,
  );
  const page = toPage(rows, limit, (last) => ({ s: tag, k: last.sort_key, id: last.id }));
  return { nextCursor: page.nextCursor, items: page.items.map(toListItem) };
}

/** One org with its Auth0 link, member count and last sign-in, or null (an id that is not a uuid matches none). */
export async function getPlatformOrg(_ctx: PlatformContext, orgId: string): Promise<PlatformOrgDto | null> {
  if (!UUID.safeParse(orgId).success) return null;
  const rows = await db.$queryRaw<(OrgRow & { updated_at: Date })[]>`
    SELECT o.id, o.slug, o.name, o.auth0_org_id, o.suspended_at, o.created_at, o.updated_at,
           (SELECT count(*)::int FROM memberships m WHERE m.org_id = o.id) AS members, s.last_sign_in_at, '' AS sort_key
    FROM orgs o LEFT JOIN org_stats s ON s.org_id = o.id WHERE o.id = ${orgId}::uuid`;
  const o = rows[0];
  if (!o) return null;
  return { ...toListItem(o), updatedAt: o.updated_at.toISOString(), suspendedAt: o.suspended_at?.toISOString() ?? null };
}

/**
 * Links the org to the Auth0 organization with this id, or unlinks it (`auth0OrgId` null), audited as `org.updated`
 * with the link before and after, in one transaction. One org per Auth0 organization: an id another org has is
 * CONFLICT, naming that org. The decision API obeys the change within a second (the orgs trigger of change_log).
 */
export async function setOrgAuth0Link(
  ctx: PlatformContext,
  input: SetOrgAuth0LinkInput,
): Promise<{ id: string; auth0OrgId: string | null; changed: boolean }> {
  try {
    return await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ auth0_org_id: string | null }[]>`SELECT auth0_org_id FROM orgs WHERE id = ${input.orgId}::uuid FOR UPDATE`;
      const row = rows[0];
      if (!row) throw new AppError('NOT_FOUND', 'That organization does not exist.');
      if (row.auth0_org_id === input.auth0OrgId) return { id: input.orgId, auth0OrgId: input.auth0OrgId, changed: false };
      await tx.org.update({ where: { id: input.orgId }, data: { auth0OrgId: input.auth0OrgId } });
      await audit(tx, ctx, {
        orgId: input.orgId,
        action: 'org.updated',
        target: { type: 'org', id: input.orgId },
        before: { auth0OrgId: row.auth0_org_id },
        after: { auth0OrgId: input.auth0OrgId },
      });
      return { id: input.orgId, auth0OrgId: input.auth0OrgId, changed: true };
    });
  } catch (error) {
    if (!isUniqueViolation(error) || input.auth0OrgId === null) throw error;
    const other = await db.org.findUnique({ where: { auth0OrgId: input.auth0OrgId }, select: { name: true, slug: true } });
    const message = other
      ? `The organization ${other.name} (${other.slug}) is already linked to ${input.auth0OrgId}; unlink it there first.`
      : `Another organization is already linked to ${input.auth0OrgId}.`;
    throw new AppError('CONFLICT', message, { fieldErrors: { auth0OrgId: [message] } });
  }
}
