import 'server-only';
import { db } from '@/lib/db';
import type { AssignmentFact, Catalog, CatalogApplication, CatalogRole, OrgFact, Tier } from './types';

/**
 * Reads the facts `decide` needs, in bulk: the catalog once (a few hundred roles and applications), then the
 * memberships and assignments of a whole page of subjects in two queries.
 */

export interface LoadedCatalog extends Catalog {
  applications: CatalogApplication[];
  roleList: CatalogRole[];
}

/** The whole role catalog and every application (ordered by name), with their links. */
export async function loadCatalog(): Promise<LoadedCatalog> {
  const [roles, apps] = await Promise.all([
    db.role.findMany({
      orderBy: { key: 'asc' },
      select: {
        id: true,
        key: true,
        name: true,
        tier: true,
        permissions: { select: { permission: { select: { value: true, api: { select: { identifier: true } } } } } },
        applications: { select: { applicationId: true } },
      },
    }),
    db.application.findMany({
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: { id: true, name: true, clientId: true, type: true, accessPolicy: true, roles: { select: { roleId: true } } },
    }),
  ]);
  const roleList: CatalogRole[] = roles.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    tier: r.tier,
    permissions: r.permissions.map((p) => ({ audience: p.permission.api.identifier, value: p.permission.value })),
    applicationIds: r.applications.map((a) => a.applicationId),
  }));
  return {
    roles: new Map(roleList.map((r) => [r.id, r])),
    roleList,
    applications: apps.map((a) => ({
      id: a.id,
      name: a.name,
      clientId: a.clientId,
      type: a.type,
      accessPolicy: a.accessPolicy,
      roleIds: a.roles.map((r) => r.roleId),
    })),
  };
}

export async function loadOrgFact(orgId: string): Promise<OrgFact | null> {
  const org = await db.org.findUnique({ where: { id: orgId }, select: { id: true, slug: true, suspendedAt: true } });
  return org ? { id: org.id, slug: org.slug, suspended: org.suspendedAt !== null } : null;
}

/**
 * Assignments of many users (or clients), keyed by subject id: the global ones and, when `orgId` is given, that
 * org's. Expired rows are included; `decide` ignores them (and the matrix explains them).
 */
export async function loadAssignments(kind: 'user' | 'client', ids: string[], orgId: string | null): Promise<Map<string, AssignmentFact[]>> {
  const out = new Map<string, AssignmentFact[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db.roleAssignment.findMany({
    where: {
      ...(kind === 'user' ? { userId: { in: ids } } : { clientAppId: { in: ids } }),
      OR: orgId ? [{ orgId: null }, { orgId }] : [{ orgId: null }],
    },
    select: { id: true, roleId: true, orgId: true, expiresAt: true, userId: true, clientAppId: true },
  });
  for (const r of rows) {
    const key = (kind === 'user' ? r.userId : r.clientAppId)!;
    out.get(key)?.push({ id: r.id, roleId: r.roleId, orgId: r.orgId, expiresAt: r.expiresAt });
  }
  return out;
}

/** Tiers of many users in one org. */
export async function loadMemberships(userIds: string[], orgId: string): Promise<Map<string, Tier>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.membership.findMany({ where: { orgId, userId: { in: userIds } }, select: { userId: true, tier: true } });
  return new Map(rows.map((r) => [r.userId, r.tier]));
}
