import 'server-only';
import { z } from 'zod';
import type { PlatformContext } from '@/lib/authz/types';
import { audit } from '@/lib/audit';
import { db } from '@/lib/db';
import { AppError, isUniqueViolation } from '@/lib/errors';
import type { SetOrgAuth0LinkInput } from '@/lib/schemas/org-link';
import { cursorSchema, decodeCursor, pageSize, toPage, type Page } from './pagination';

/**
 * Every org, as the platform sees it (cross-tenant: callers hold platform:read, and catalog:write to change the
 * Auth0 link; lib/authz/surface.ts), and the link from an org to its Auth0 organization by id, which the Auth0 Actions
 * and the decision API match before the organization's name (lib/decision-api/decisions.ts).
 */

const NameCursor = cursorSchema({ name: 'string', id: 'uuid' });
const UUID = z.string().uuid();

export interface PlatformOrgListItemDto {
  id: string;
  slug: string;
  name: string;
  auth0OrgId: string | null;
  suspended: boolean;
  members: number;
}

export interface PlatformOrgDto extends PlatformOrgListItemDto {
  createdAt: string;
  updatedAt: string;
}

/** Orgs ordered by name, searchable by name, slug or Auth0 organization id, cursor-paginated. */
export async function listPlatformOrgs(
  _ctx: PlatformContext,
  params: { q?: string; cursor?: string; limit?: number } = {},
): Promise<Page<PlatformOrgListItemDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(NameCursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.org.findMany({
    where: {
      AND: [
        q
          ? {
              OR: [
                { name: { contains: q, mode: 'insensitive' } },
                { slug: { contains: q, mode: 'insensitive' } },
                { auth0OrgId: { contains: q, mode: 'insensitive' } },
              ],
            }
          : {},
        cursor ? { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: { id: true, slug: true, name: true, auth0OrgId: true, suspendedAt: true, _count: { select: { memberships: true } } },
  });
  const page = toPage(rows, limit, (last) => ({ name: last.name, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((o) => ({
      id: o.id,
      slug: o.slug,
      name: o.name,
      auth0OrgId: o.auth0OrgId,
      suspended: o.suspendedAt !== null,
      members: o._count.memberships,
    })),
  };
}

/** One org with its Auth0 link and member count, or null (an id that is not a uuid matches none). */
export async function getPlatformOrg(_ctx: PlatformContext, orgId: string): Promise<PlatformOrgDto | null> {
  if (!UUID.safeParse(orgId).success) return null;
  const o = await db.org.findUnique({
    where: { id: orgId },
    select: {
      id: true,
      slug: true,
      name: true,
      auth0OrgId: true,
      suspendedAt: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { memberships: true } },
    },
  });
  if (!o) return null;
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    auth0OrgId: o.auth0OrgId,
    suspended: o.suspendedAt !== null,
    members: o._count.memberships,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
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
