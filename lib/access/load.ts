import type pg from 'pg';
import type { Db, Tx } from '@/lib/db-client';
import { byAudienceAndValue, cmp, indexRolesByTier } from './decide';
import type { AccessPolicy, AppType, AssignmentFact, Catalog, CatalogApplication, CatalogRole, OrgFact, Tier } from './types';

/**
 * The one loader of the facts `decide` needs: the SQL that reads them and the code that turns rows into facts. The
 * console's matrix reads through Prisma (`prismaReader`), a page of subjects at a time; the decision API's snapshot
 * (lib/decision-api/snapshot.ts) runs the same statements with plain `pg`, all of them in one transaction, and keeps
 * the result in memory. A new fact is added here, once, and both see it.
 */

/** Runs one SQL statement with `$1`, `$2`… parameters and returns its rows. */
export interface SqlReader {
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A reader over a Prisma client or transaction (the console). */
export function prismaReader(db: Db | Tx): SqlReader {
  return {
    query<R>(sql: string, params: readonly unknown[] = []) {
      return db.$queryRawUnsafe<R[]>(sql, ...params);
    },
  };
}

/** A reader over a `pg` pool or client (the decision API). */
export function pgReader(client: pg.Pool | pg.PoolClient): SqlReader {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(sql, [...params])).rows as R[];
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Facts about subjects and orgs

/**
 * The statements that read subjects' and orgs' facts, without a WHERE clause: callers add one (by id, or none for
 * everything).
 */
export const FACT_SQL = {
  users: 'SELECT id, sub, blocked_at IS NOT NULL AS blocked FROM users',
  memberships: 'SELECT user_id, org_id, tier::text AS tier FROM memberships',
  assignments: 'SELECT id, role_id, user_id, client_app_id, org_id, expires_at FROM role_assignments',
  orgs: 'SELECT id, slug, name, suspended_at IS NOT NULL AS suspended, auth0_org_id FROM orgs',
} as const;

export interface UserRow {
  id: string;
  sub: string;
  blocked: boolean;
}
export interface MembershipRow {
  user_id: string;
  org_id: string;
  tier: Tier;
}
export interface AssignmentRow {
  id: string;
  role_id: string;
  user_id: string | null;
  client_app_id: string | null;
  org_id: string | null;
  expires_at: Date | null;
}
export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  suspended: boolean;
  auth0_org_id: string | null;
}

/** A user's membership: the org and the tier there. */
export interface MembershipFact {
  orgId: string;
  tier: Tier;
}

/** An org as the decision API answers about it. */
export interface OrgEntry extends OrgFact {
  name: string;
  /** The Auth0 organization it is linked to (`org_…`), or null. */
  auth0OrgId: string | null;
}

export function toAssignment(r: AssignmentRow): AssignmentFact {
  return { id: r.id, roleId: r.role_id, orgId: r.org_id, expiresAt: r.expires_at };
}

export function toOrg(r: OrgRow): OrgEntry {
  return { id: r.id, slug: r.slug, name: r.name, suspended: r.suspended, auth0OrgId: r.auth0_org_id };
}

/** Memberships by user id. */
export function groupMemberships(rows: readonly MembershipRow[]): Map<string, MembershipFact[]> {
  const out = new Map<string, MembershipFact[]>();
  for (const r of rows) {
    const m: MembershipFact = { orgId: r.org_id, tier: r.tier };
    const list = out.get(r.user_id);
    if (list) list.push(m);
    else out.set(r.user_id, [m]);
  }
  return out;
}

/** Assignments by user id and by M2M client (Application) id. */
export function groupAssignments(rows: readonly AssignmentRow[]): { byUser: Map<string, AssignmentFact[]>; byClient: Map<string, AssignmentFact[]> } {
  const byUser = new Map<string, AssignmentFact[]>();
  const byClient = new Map<string, AssignmentFact[]>();
  for (const r of rows) {
    const [map, key] = r.user_id !== null ? [byUser, r.user_id] : [byClient, r.client_app_id!];
    const list = map.get(key);
    if (list) list.push(toAssignment(r));
    else map.set(key, [toAssignment(r)]);
  }
  return { byUser, byClient };
}

/**
 * Assignments of many users (or clients), keyed by subject id (every id is a key): the global ones and, when `orgId`
 * is given, that org's. Expired rows are included; `decide` ignores them (and the matrix explains them).
 */
export async function loadAssignments(
  reader: SqlReader,
  kind: 'user' | 'client',
  ids: readonly string[],
  orgId: string | null,
): Promise<Map<string, AssignmentFact[]>> {
  const out = new Map<string, AssignmentFact[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const column = kind === 'user' ? 'user_id' : 'client_app_id';
  const rows = await reader.query<AssignmentRow>(
    `${FACT_SQL.assignments} WHERE ${column} = ANY($1::uuid[]) AND (org_id IS NULL OR org_id = $2::uuid)`,
    [ids, orgId],
  );
  for (const r of rows) out.get((kind === 'user' ? r.user_id : r.client_app_id)!)?.push(toAssignment(r));
  return out;
}

/** Tiers of many users in one org (members only). */
export async function loadMemberships(reader: SqlReader, userIds: readonly string[], orgId: string): Promise<Map<string, Tier>> {
  if (userIds.length === 0) return new Map();
  const rows = await reader.query<MembershipRow>(`${FACT_SQL.memberships} WHERE org_id = $1::uuid AND user_id = ANY($2::uuid[])`, [orgId, userIds]);
  return new Map(rows.map((r) => [r.user_id, r.tier]));
}

/** A user's memberships with their orgs, and every assignment (global and per org, expired ones included). */
export interface UserFactsWithOrgs {
  memberships: (MembershipFact & { slug: string; name: string; suspended: boolean })[];
  assignments: AssignmentFact[];
}

/** Reads one user's memberships (with their orgs, by slug) and assignments. */
export async function loadUserFacts(reader: SqlReader, userId: string): Promise<UserFactsWithOrgs> {
  const [memberships, assignments] = await Promise.all([
    reader.query<MembershipRow & Omit<OrgRow, 'id' | 'auth0_org_id'>>(
      `SELECT m.user_id, m.org_id, m.tier::text AS tier, o.slug, o.name, o.suspended_at IS NOT NULL AS suspended
       FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1::uuid ORDER BY o.slug`,
      [userId],
    ),
    reader.query<AssignmentRow>(`${FACT_SQL.assignments} WHERE user_id = $1::uuid`, [userId]),
  ]);
  return {
    memberships: memberships.map((r) => ({ orgId: r.org_id, tier: r.tier, slug: r.slug, name: r.name, suspended: r.suspended })),
    assignments: assignments.map(toAssignment),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The catalog

interface CatalogRowTypes {
  roles: { id: string; key: string; name: string; tier: Tier | null };
  rolePermissions: { role_id: string; audience: string; value: string };
  roleApplications: { role_id: string; application_id: string };
  applications: { id: string; name: string; client_id: string; type: AppType; access_policy: AccessPolicy };
}

/** The rows of every catalog statement, by statement name. */
export type CatalogRows = { [K in keyof CatalogRowTypes]: CatalogRowTypes[K][] };

/** The statements that read the whole catalog (a few hundred roles and applications), by name. */
export const CATALOG_SQL: { readonly [K in keyof CatalogRows]: string } = {
  roles: 'SELECT id, key, name, tier::text AS tier FROM roles ORDER BY key',
  rolePermissions:
    'SELECT rp.role_id, a.identifier AS audience, p.value FROM role_permissions rp ' +
    'JOIN permissions p ON p.id = rp.permission_id JOIN apis a ON a.id = p.api_id ORDER BY a.identifier, p.value',
  roleApplications: 'SELECT role_id, application_id FROM role_applications',
  applications: 'SELECT id, name, client_id, type::text AS type, access_policy::text AS access_policy FROM applications ORDER BY name, id',
};

export const CATALOG_STATEMENTS = Object.keys(CATALOG_SQL) as (keyof CatalogRows)[];

/** The catalog, indexed for `decide` and listed for the matrix. */
export interface LoadedCatalog extends Catalog {
  rolesByTier: ReadonlyMap<Tier, readonly CatalogRole[]>;
  /** Every role, by key. */
  roleList: CatalogRole[];
  /** Every application (M2M clients included), by name, then id. */
  applications: CatalogApplication[];
  applicationsByClientId: ReadonlyMap<string, CatalogApplication>;
}

/** Builds the catalog from the rows of `CATALOG_SQL`. */
export function buildCatalog(rows: CatalogRows): LoadedCatalog {
  const roles = new Map<string, CatalogRole>();
  for (const r of rows.roles) roles.set(r.id, { id: r.id, key: r.key, name: r.name, tier: r.tier, permissions: [], applicationIds: [] });
  const appRoles = new Map<string, string[]>();
  for (const p of rows.rolePermissions) roles.get(p.role_id)?.permissions.push({ audience: p.audience, value: p.value });
  for (const l of rows.roleApplications) {
    roles.get(l.role_id)?.applicationIds.push(l.application_id);
    const list = appRoles.get(l.application_id);
    if (list) list.push(l.role_id);
    else appRoles.set(l.application_id, [l.role_id]);
  }
  // decide's answers list permissions by audience then value and role keys in order: keeping the catalog in that
  // order lets it skip sorting on every check.
  for (const role of roles.values()) role.permissions.sort(byAudienceAndValue);
  const keyOf = (roleId: string) => roles.get(roleId)?.key ?? roleId;
  for (const list of appRoles.values()) list.sort((a, b) => cmp(keyOf(a), keyOf(b)));
  const applications: CatalogApplication[] = rows.applications.map((a) => ({
    id: a.id,
    name: a.name,
    clientId: a.client_id,
    type: a.type,
    accessPolicy: a.access_policy,
    roleIds: appRoles.get(a.id) ?? [],
  }));
  return {
    roles,
    rolesByTier: indexRolesByTier(roles.values()),
    roleList: [...roles.values()],
    applications,
    applicationsByClientId: new Map(applications.map((a) => [a.clientId, a])),
  };
}

/** The whole role catalog and every application, with their links. */
export async function loadCatalog(reader: SqlReader): Promise<LoadedCatalog> {
  const results = await Promise.all(CATALOG_STATEMENTS.map((name) => reader.query(CATALOG_SQL[name])));
  return buildCatalog(Object.fromEntries(CATALOG_STATEMENTS.map((name, i) => [name, results[i]])) as CatalogRows);
}
