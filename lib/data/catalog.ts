import 'server-only';
import { z } from 'zod';
import type { PlatformContext } from '@/lib/authz/types';
import { recordAudit, userActor, type AuditAction } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import {
  BUILT_IN_ROLE_KEY_PREFIX,
  MAX_ROLE_APPLICATIONS,
  MAX_ROLE_PERMISSIONS,
  type AccessPolicy,
  type AppType,
  type CreateApiInput,
  type CreateApplicationInput,
  type CreatePermissionInput,
  type CreateRoleInput,
  type DeleteApiInput,
  type DeleteApplicationInput,
  type DeletePermissionInput,
  type DeleteRoleInput,
  type SetRoleApplicationsInput,
  type SetRolePermissionsInput,
  type UpdateApiInput,
  type UpdateApplicationInput,
  type UpdateRoleInput,
} from '@/lib/schemas/catalog';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

/**
 * The role catalog: APIs and their permissions, roles (with the permissions and applications they grant) and
 * applications. It is platform-wide data, so every function takes the platform context (callers hold platform:read
 * for reads and catalog:write for mutations; lib/authz/surface.ts). Every mutation runs in one transaction with its
 * audit row. A delete of something in use answers CONFLICT with what uses it unless the caller confirms.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

const NameCursor = z.object({ name: z.string(), id: z.string().uuid() });
const UUID = z.string().uuid();

/** Ids from URLs: anything that is not a uuid matches no row (and never reaches the database as a cast error). */
function isId(value: string): boolean {
  return UUID.safeParse(value).success;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

function iso(d: Date): string {
  return d.toISOString();
}

/** What uses a catalog entry: the counts, whether any is non-zero, and a sentence saying so. */
export interface Usage<C extends Record<string, number>> {
  counts: C;
  inUse: boolean;
  /** e.g. "3 roles grant its permissions"; "Nothing uses it." when unused. */
  summary: string;
}

function usage<C extends Record<string, number>>(counts: C, inUse: boolean, parts: (string | null)[]): Usage<C> {
  const text = parts.filter((p): p is string => p !== null);
  const sentence = text.join('; ');
  return { counts, inUse, summary: sentence ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.` : 'Nothing uses it.' };
}

function assertConfirmed(u: Usage<Record<string, number>>, confirm: boolean, what: string): void {
  if (u.inUse && !confirm) {
    throw new AppError('CONFLICT', `${u.summary.replace(/\.$/, '')}. Confirm to delete ${what} anyway.`);
  }
}

/**
 * Runs a catalog mutation; a unique violation becomes CONFLICT with a field error (the only unique key a catalog
 * mutation can hit is the one named here).
 */
async function withUnique<T>(run: () => Promise<T>, conflict: { field: string; message: string }): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('CONFLICT', conflict.message, { fieldErrors: { [conflict.field]: [conflict.message] }, cause: error });
    }
    throw error;
  }
}

/** Row lock on a catalog row for the rest of the transaction: rows that reference it wait, so usage counts stay true. */
async function lockRow(tx: Tx, table: 'apis' | 'permissions' | 'roles' | 'applications', id: string): Promise<boolean> {
  if (!isId(id)) return false;
  // `table` is one of four literals, never input.
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id}::uuid FOR UPDATE`;
  return rows.length > 0;
}

async function audit(
  tx: Tx,
  ctx: PlatformContext,
  action: AuditAction,
  target: { type: 'api' | 'role' | 'application'; id: string },
  change: { before?: Prisma.InputJsonObject; after?: Prisma.InputJsonObject },
): Promise<void> {
  await recordAudit(tx, {
    actor: userActor(ctx),
    action,
    target,
    before: change.before,
    after: change.after,
    requestId: ctx.requestId,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// APIs

export interface ApiListItemDto {
  id: string;
  name: string;
  identifier: string;
  description: string;
  permissionCount: number;
  updatedAt: string;
}

export interface PermissionDto {
  id: string;
  value: string;
  description: string;
  /** Roles granting it. */
  roleCount: number;
}

export interface ApiDto {
  id: string;
  name: string;
  identifier: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  /** Ordered by value; at most MAX_API_PERMISSIONS_SHOWN (permissionCount says how many there are). */
  permissions: PermissionDto[];
  permissionCount: number;
}

export const MAX_API_PERMISSIONS_SHOWN = 1000;

/** APIs, searchable by name or identifier, ordered by name, cursor-paginated. */
export async function listApis(
  _ctx: PlatformContext,
  params: { q?: string; cursor?: string; limit?: number } = {},
): Promise<Page<ApiListItemDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(NameCursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.api.findMany({
    where: {
      AND: [
        q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { identifier: { contains: q, mode: 'insensitive' } }] } : {},
        cursor ? { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: { id: true, name: true, identifier: true, description: true, updatedAt: true, _count: { select: { permissions: true } } },
  });
  const page = toPage(rows, limit, (last) => ({ name: last.name, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      name: r.name,
      identifier: r.identifier,
      description: r.description,
      permissionCount: r._count.permissions,
      updatedAt: iso(r.updatedAt),
    })),
  };
}

/** One API with its permissions (and how many roles grant each), or null. */
export async function getApi(_ctx: PlatformContext, apiId: string): Promise<ApiDto | null> {
  if (!isId(apiId)) return null;
  const api = await db.api.findUnique({
    where: { id: apiId },
    select: {
      id: true,
      name: true,
      identifier: true,
      description: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { permissions: true } },
      permissions: {
        orderBy: [{ value: 'asc' }, { id: 'asc' }],
        take: MAX_API_PERMISSIONS_SHOWN,
        select: { id: true, value: true, description: true, _count: { select: { roles: true } } },
      },
    },
  });
  if (!api) return null;
  return {
    id: api.id,
    name: api.name,
    identifier: api.identifier,
    description: api.description,
    createdAt: iso(api.createdAt),
    updatedAt: iso(api.updatedAt),
    permissionCount: api._count.permissions,
    permissions: api.permissions.map((p) => ({ id: p.id, value: p.value, description: p.description, roleCount: p._count.roles })),
  };
}

export type ApiUsage = Usage<{ permissions: number; roles: number }>;

async function apiUsage(client: Tx, apiId: string): Promise<ApiUsage> {
  const [permissions, roles] = await Promise.all([
    client.permission.count({ where: { apiId } }),
    client.role.count({ where: { permissions: { some: { permission: { apiId } } } } }),
  ]);
  return usage({ permissions, roles }, roles > 0, [
    roles > 0 ? `${plural(roles, 'role grants', 'roles grant')} its permissions` : null,
    permissions > 0 ? `it has ${plural(permissions, 'permission')}` : null,
  ]);
}

/** What deleting the API would take away: its permissions and the roles that grant them. */
export async function getApiUsage(_ctx: PlatformContext, apiId: string): Promise<ApiUsage | null> {
  if (!isId(apiId)) return null;
  return db.$transaction(async (tx) => ((await tx.api.count({ where: { id: apiId } })) ? apiUsage(tx, apiId) : null));
}

const IDENTIFIER_TAKEN = { field: 'identifier', message: 'Another API already uses this identifier.' };

/** Creates an API. A taken identifier is CONFLICT with a field error. */
export async function createApi(ctx: PlatformContext, input: CreateApiInput): Promise<{ id: string; name: string; identifier: string }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        const api = await tx.api.create({
          data: { name: input.name, identifier: input.identifier, description: input.description },
          select: { id: true, name: true, identifier: true, description: true },
        });
        await audit(tx, ctx, 'api.created', { type: 'api', id: api.id }, { after: { name: api.name, identifier: api.identifier, description: api.description } });
        return { id: api.id, name: api.name, identifier: api.identifier };
      }),
    IDENTIFIER_TAKEN,
  );
}

function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `That ${what} does not exist; it may have been deleted.`);
}

/** Renames an API, changes its identifier (audience) or description; audited with before and after. */
export async function updateApi(ctx: PlatformContext, input: UpdateApiInput): Promise<{ id: string; name: string; identifier: string; changed: boolean }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        if (!(await lockRow(tx, 'apis', input.apiId))) throw notFound('API');
        const before = await tx.api.findUniqueOrThrow({ where: { id: input.apiId }, select: { name: true, identifier: true, description: true } });
        const next = { name: input.name, identifier: input.identifier, description: input.description };
        if (before.name === next.name && before.identifier === next.identifier && before.description === next.description) {
          return { id: input.apiId, ...next, changed: false };
        }
        await tx.api.update({ where: { id: input.apiId }, data: next });
        await audit(tx, ctx, 'api.updated', { type: 'api', id: input.apiId }, { before, after: next });
        return { id: input.apiId, name: next.name, identifier: next.identifier, changed: true };
      }),
    IDENTIFIER_TAKEN,
  );
}

/** Deletes an API and its permissions (roles stop granting them). In use: CONFLICT with the counts unless confirmed. */
export async function deleteApi(ctx: PlatformContext, input: DeleteApiInput): Promise<{ id: string; deleted: true }> {
  return db.$transaction(async (tx) => {
    if (!(await lockRow(tx, 'apis', input.apiId))) throw notFound('API');
    const u = await apiUsage(tx, input.apiId);
    assertConfirmed(u, input.confirm, 'this API and its permissions');
    const api = await tx.api.findUniqueOrThrow({
      where: { id: input.apiId },
      select: { name: true, identifier: true, description: true, permissions: { select: { value: true }, orderBy: { value: 'asc' }, take: 1000 } },
    });
    await tx.api.delete({ where: { id: input.apiId } });
    await audit(tx, ctx, 'api.deleted', { type: 'api', id: input.apiId }, {
      before: { name: api.name, identifier: api.identifier, description: api.description, permissions: api.permissions.map((p) => p.value), usage: u.counts },
    });
    return { id: input.apiId, deleted: true };
  });
}

/** Adds a permission to an API (audited as `api.updated`). A value the API already has is CONFLICT on `value`. */
export async function createPermission(ctx: PlatformContext, input: CreatePermissionInput): Promise<PermissionDto & { apiId: string }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        // The lock also keeps the API from being deleted under us; an unknown API is a field error, not a 500.
        if (!(await lockRow(tx, 'apis', input.apiId))) {
          throw new AppError('BAD_INPUT', 'That API does not exist; it may have been deleted.', { fieldErrors: { apiId: ['Unknown API.'] } });
        }
        const p = await tx.permission.create({
          data: { apiId: input.apiId, value: input.value, description: input.description },
          select: { id: true, value: true, description: true },
        });
        await tx.api.update({ where: { id: input.apiId }, data: { updatedAt: new Date() } });
        await audit(tx, ctx, 'api.updated', { type: 'api', id: input.apiId }, {
          after: { permissionAdded: { id: p.id, value: p.value, description: p.description } },
        });
        return { ...p, roleCount: 0, apiId: input.apiId };
      }),
    { field: 'value', message: 'This API already has that permission.' },
  );
}

export type PermissionUsage = Usage<{ roles: number }>;

async function permissionUsage(client: Tx, permissionId: string): Promise<PermissionUsage> {
  const roles = await client.rolePermission.count({ where: { permissionId } });
  return usage({ roles }, roles > 0, [roles > 0 ? `${plural(roles, 'role grants', 'roles grant')} it` : null]);
}

/** Deletes a permission (roles stop granting it); audited as `api.updated`. Granted: CONFLICT unless confirmed. */
export async function deletePermission(ctx: PlatformContext, input: DeletePermissionInput): Promise<{ id: string; apiId: string; deleted: true }> {
  return db.$transaction(async (tx) => {
    if (!(await lockRow(tx, 'permissions', input.permissionId))) throw notFound('permission');
    const p = await tx.permission.findUniqueOrThrow({ where: { id: input.permissionId }, select: { apiId: true, value: true, description: true } });
    const u = await permissionUsage(tx, input.permissionId);
    assertConfirmed(u, input.confirm, 'it');
    await tx.permission.delete({ where: { id: input.permissionId } });
    await tx.api.update({ where: { id: p.apiId }, data: { updatedAt: new Date() } });
    await audit(tx, ctx, 'api.updated', { type: 'api', id: p.apiId }, {
      before: { permissionRemoved: { id: input.permissionId, value: p.value, description: p.description }, usage: u.counts },
    });
    return { id: input.permissionId, apiId: p.apiId, deleted: true };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Roles

export interface RoleListItemDto {
  id: string;
  key: string;
  name: string;
  description: string;
  builtIn: boolean;
  permissionCount: number;
  applicationCount: number;
  assignmentCount: number;
}

export interface RoleDto {
  id: string;
  key: string;
  name: string;
  description: string;
  builtIn: boolean;
  tier: 'OWNER' | 'ADMIN' | 'EMPLOYEE' | null;
  createdAt: string;
  updatedAt: string;
  /** What it grants, ordered by API name and value / by name. */
  permissions: { id: string; value: string; apiId: string; apiName: string }[];
  applications: { id: string; name: string; type: AppType; accessPolicy: AccessPolicy }[];
}

/** Roles, searchable by key, name or description, ordered by name, cursor-paginated. */
export async function listRoles(
  _ctx: PlatformContext,
  params: { q?: string; cursor?: string; limit?: number } = {},
): Promise<Page<RoleListItemDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(NameCursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.role.findMany({
    where: {
      AND: [
        q
          ? {
              OR: [
                { key: { contains: q, mode: 'insensitive' } },
                { name: { contains: q, mode: 'insensitive' } },
                { description: { contains: q, mode: 'insensitive' } },
              ],
            }
          : {},
        cursor ? { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: {
      id: true,
      key: true,
      name: true,
      description: true,
      builtIn: true,
      _count: { select: { permissions: true, applications: true, assignments: true } },
    },
  });
  const page = toPage(rows, limit, (last) => ({ name: last.name, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      description: r.description,
      builtIn: r.builtIn,
      permissionCount: r._count.permissions,
      applicationCount: r._count.applications,
      assignmentCount: r._count.assignments,
    })),
  };
}

/** One role with what it grants, or null. */
export async function getRole(_ctx: PlatformContext, roleId: string): Promise<RoleDto | null> {
  if (!isId(roleId)) return null;
  const r = await db.role.findUnique({
    where: { id: roleId },
    select: {
      id: true,
      key: true,
      name: true,
      description: true,
      builtIn: true,
      tier: true,
      createdAt: true,
      updatedAt: true,
      permissions: {
        take: MAX_ROLE_PERMISSIONS,
        orderBy: [{ permission: { api: { name: 'asc' } } }, { permission: { value: 'asc' } }],
        select: { permission: { select: { id: true, value: true, api: { select: { id: true, name: true } } } } },
      },
      applications: {
        take: MAX_ROLE_APPLICATIONS,
        orderBy: { application: { name: 'asc' } },
        select: { application: { select: { id: true, name: true, type: true, accessPolicy: true } } },
      },
    },
  });
  if (!r) return null;
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    builtIn: r.builtIn,
    tier: r.tier,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    permissions: r.permissions.map(({ permission: p }) => ({ id: p.id, value: p.value, apiId: p.api.id, apiName: p.api.name })),
    applications: r.applications.map(({ application: a }) => a),
  };
}

export type RoleUsage = Usage<{ users: number; clients: number; rules: number; applications: number; invitations: number }>;

async function roleUsage(client: Tx, roleId: string): Promise<RoleUsage> {
  const now = new Date();
  const [holders, rules, applications, invitations] = await Promise.all([
    // Expired assignments give nothing any more; they are not "holding" the role.
    client.$queryRaw<{ users: number; clients: number }[]>`
      SELECT COUNT(DISTINCT user_id)::int AS users, COUNT(DISTINCT client_app_id)::int AS clients
      FROM role_assignments
      WHERE role_id = ${roleId}::uuid AND (expires_at IS NULL OR expires_at > now())`,
    client.defaultRoleRuleRole.count({ where: { roleId } }),
    client.roleApplication.count({ where: { roleId } }),
    client.invitationRole.count({ where: { roleId, invitation: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } } }),
  ]);
  const users = holders[0]?.users ?? 0;
  const clients = holders[0]?.clients ?? 0;
  const counts = { users, clients, rules, applications, invitations };
  const holderText =
    users > 0 && clients > 0
      ? `${plural(users, 'user')} and ${plural(clients, 'M2M client')} hold this role`
      : users > 0
        ? `${plural(users, 'user holds', 'users hold')} this role`
        : clients > 0
          ? `${plural(clients, 'M2M client holds', 'M2M clients hold')} this role`
          : null;
  return usage(counts, users + clients + rules + applications + invitations > 0, [
    holderText,
    rules > 0 ? `${plural(rules, 'rule gives', 'rules give')} it` : null,
    invitations > 0 ? `${plural(invitations, 'pending invitation gives', 'pending invitations give')} it` : null,
    applications > 0 ? `${plural(applications, 'application is', 'applications are')} mapped to it` : null,
  ]);
}

/** Who holds the role and what refers to it: users, M2M clients, default-role rules, pending invitations, applications. */
export async function getRoleUsage(_ctx: PlatformContext, roleId: string): Promise<RoleUsage | null> {
  if (!isId(roleId)) return null;
  return db.$transaction(async (tx) => ((await tx.role.count({ where: { id: roleId } })) ? roleUsage(tx, roleId) : null));
}

const KEY_TAKEN = { field: 'key', message: 'Another role already uses this key.' };

function assertCustomKey(key: string): void {
  if (key.startsWith(BUILT_IN_ROLE_KEY_PREFIX)) {
    const message = `Keys starting with “${BUILT_IN_ROLE_KEY_PREFIX}” are kept for the built-in tier roles.`;
    throw new AppError('BAD_INPUT', message, { fieldErrors: { key: [message] } });
  }
}

/** Creates a custom role (it grants nothing until permissions and applications are chosen). A taken key is CONFLICT. */
export async function createRole(ctx: PlatformContext, input: CreateRoleInput): Promise<{ id: string; key: string; name: string }> {
  assertCustomKey(input.key);
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        const role = await tx.role.create({
          data: { key: input.key, name: input.name, description: input.description },
          select: { id: true, key: true, name: true, description: true },
        });
        await audit(tx, ctx, 'role.created', { type: 'role', id: role.id }, { after: { key: role.key, name: role.name, description: role.description } });
        return { id: role.id, key: role.key, name: role.name };
      }),
    KEY_TAKEN,
  );
}

async function lockRoleOrThrow(tx: Tx, roleId: string) {
  if (!(await lockRow(tx, 'roles', roleId))) throw notFound('role');
  return tx.role.findUniqueOrThrow({ where: { id: roleId }, select: { id: true, key: true, name: true, description: true, builtIn: true } });
}

/** Changes a role's key, name and description. Built-in roles keep their key. A taken key is CONFLICT. */
export async function updateRole(ctx: PlatformContext, input: UpdateRoleInput): Promise<{ id: string; key: string; name: string; changed: boolean }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        const role = await lockRoleOrThrow(tx, input.roleId);
        if (role.builtIn && input.key !== role.key) {
          const message = `This is a built-in role; its key stays “${role.key}”.`;
          throw new AppError('BAD_INPUT', message, { fieldErrors: { key: [message] } });
        }
        if (!role.builtIn) assertCustomKey(input.key);
        const before = { key: role.key, name: role.name, description: role.description };
        const after = { key: input.key, name: input.name, description: input.description };
        if (before.key === after.key && before.name === after.name && before.description === after.description) {
          return { id: role.id, key: role.key, name: role.name, changed: false };
        }
        await tx.role.update({ where: { id: role.id }, data: after });
        await audit(tx, ctx, 'role.updated', { type: 'role', id: role.id }, { before, after });
        return { id: role.id, key: after.key, name: after.name, changed: true };
      }),
    KEY_TAKEN,
  );
}

/**
 * Deletes a custom role with its grants, mappings, assignments, rule effects and pending-invitation roles (built-in
 * roles cannot be deleted). In use: CONFLICT with the counts unless confirmed.
 */
export async function deleteRole(ctx: PlatformContext, input: DeleteRoleInput): Promise<{ id: string; deleted: true }> {
  return db.$transaction(async (tx) => {
    const role = await lockRoleOrThrow(tx, input.roleId);
    if (role.builtIn) throw new AppError('FORBIDDEN', `${role.name} is a built-in role and cannot be deleted.`);
    const u = await roleUsage(tx, role.id);
    assertConfirmed(u, input.confirm, 'it');
    await tx.role.delete({ where: { id: role.id } });
    await audit(tx, ctx, 'role.deleted', { type: 'role', id: role.id }, {
      before: { key: role.key, name: role.name, description: role.description, usage: u.counts },
    });
    return { id: role.id, deleted: true };
  });
}

/** Replaces the set of permissions a role grants (audited as `role.updated` with the values before and after). */
export async function setRolePermissions(
  ctx: PlatformContext,
  input: SetRolePermissionsInput,
): Promise<{ id: string; permissionIds: string[]; changed: boolean }> {
  return db.$transaction(async (tx) => {
    const role = await lockRoleOrThrow(tx, input.roleId);
    // Share-locks the chosen permissions, so none can be deleted before the grants below are written.
    await tx.$queryRaw`SELECT id FROM permissions WHERE id = ANY(${input.permissionIds}::uuid[]) FOR KEY SHARE`;
    const wanted = await tx.permission.findMany({
      where: { id: { in: input.permissionIds } },
      select: { id: true, value: true, api: { select: { identifier: true } } },
    });
    if (wanted.length !== input.permissionIds.length) {
      throw new AppError('BAD_INPUT', 'Some of the chosen permissions no longer exist; reload the page and choose again.', {
        fieldErrors: { permissionIds: ['Unknown permission.'] },
      });
    }
    const current = await tx.rolePermission.findMany({
      where: { roleId: role.id },
      select: { permission: { select: { id: true, value: true, api: { select: { identifier: true } } } } },
    });
    const currentIds = new Set(current.map((c) => c.permission.id));
    const wantedIds = new Set(wanted.map((w) => w.id));
    const added = wanted.filter((w) => !currentIds.has(w.id));
    const removed = current.map((c) => c.permission).filter((p) => !wantedIds.has(p.id));
    if (added.length === 0 && removed.length === 0) return { id: role.id, permissionIds: [...wantedIds], changed: false };
    if (removed.length) await tx.rolePermission.deleteMany({ where: { roleId: role.id, permissionId: { in: removed.map((p) => p.id) } } });
    if (added.length) await tx.rolePermission.createMany({ data: added.map((p) => ({ roleId: role.id, permissionId: p.id })) });
    await tx.role.update({ where: { id: role.id }, data: { updatedAt: new Date() } });
    const label = (p: { value: string; api: { identifier: string } }) => `${p.api.identifier} ${p.value}`;
    await audit(tx, ctx, 'role.updated', { type: 'role', id: role.id }, {
      before: { key: role.key, permissionsRemoved: removed.map(label) },
      after: { key: role.key, permissionsAdded: added.map(label), permissionCount: wanted.length },
    });
    return { id: role.id, permissionIds: [...wantedIds], changed: true };
  });
}

/** Replaces the set of applications a role is mapped to (audited as `role.updated`). */
export async function setRoleApplications(
  ctx: PlatformContext,
  input: SetRoleApplicationsInput,
): Promise<{ id: string; applicationIds: string[]; changed: boolean }> {
  return db.$transaction(async (tx) => {
    const role = await lockRoleOrThrow(tx, input.roleId);
    await tx.$queryRaw`SELECT id FROM applications WHERE id = ANY(${input.applicationIds}::uuid[]) FOR KEY SHARE`;
    const wanted = await tx.application.findMany({ where: { id: { in: input.applicationIds } }, select: { id: true, clientId: true } });
    if (wanted.length !== input.applicationIds.length) {
      throw new AppError('BAD_INPUT', 'Some of the chosen applications no longer exist; reload the page and choose again.', {
        fieldErrors: { applicationIds: ['Unknown application.'] },
      });
    }
    const current = await tx.roleApplication.findMany({ where: { roleId: role.id }, select: { application: { select: { id: true, clientId: true } } } });
    const currentIds = new Set(current.map((c) => c.application.id));
    const wantedIds = new Set(wanted.map((w) => w.id));
    const added = wanted.filter((w) => !currentIds.has(w.id));
    const removed = current.map((c) => c.application).filter((a) => !wantedIds.has(a.id));
    if (added.length === 0 && removed.length === 0) return { id: role.id, applicationIds: [...wantedIds], changed: false };
    if (removed.length) await tx.roleApplication.deleteMany({ where: { roleId: role.id, applicationId: { in: removed.map((a) => a.id) } } });
    if (added.length) await tx.roleApplication.createMany({ data: added.map((a) => ({ roleId: role.id, applicationId: a.id })) });
    await tx.role.update({ where: { id: role.id }, data: { updatedAt: new Date() } });
    await audit(tx, ctx, 'role.updated', { type: 'role', id: role.id }, {
      before: { key: role.key, applicationsRemoved: removed.map((a) => a.clientId) },
      after: { key: role.key, applicationsAdded: added.map((a) => a.clientId), applicationCount: wanted.length },
    });
    return { id: role.id, applicationIds: [...wantedIds], changed: true };
  });
}

export interface PermissionGroupDto {
  api: { id: string; name: string; identifier: string };
  permissions: { id: string; value: string; description: string }[];
}

/**
 * Every permission a role could grant, grouped by API (by API name, then value), for the role editor. Bounded at
 * MAX_ROLE_PERMISSIONS; the permissions in `include` (the role's own) are always there, so saving never drops them.
 */
export async function listPermissionChoices(
  _ctx: PlatformContext,
  params: { include?: string[] } = {},
): Promise<{ groups: PermissionGroupDto[]; truncated: boolean }> {
  const select = { id: true, value: true, description: true, api: { select: { id: true, name: true, identifier: true } } } as const;
  const include = (params.include ?? []).filter(isId);
  const [firstRows, held] = await Promise.all([
    db.permission.findMany({
      orderBy: [{ api: { name: 'asc' } }, { apiId: 'asc' }, { value: 'asc' }],
      take: MAX_ROLE_PERMISSIONS + 1,
      select,
    }),
    include.length ? db.permission.findMany({ where: { id: { in: include } }, select }) : [],
  ]);
  const truncated = firstRows.length > MAX_ROLE_PERMISSIONS;
  const byId = new Map([...firstRows.slice(0, MAX_ROLE_PERMISSIONS), ...held].map((p) => [p.id, p]));
  const rows = [...byId.values()].sort(
    (a, b) => a.api.name.localeCompare(b.api.name) || a.api.id.localeCompare(b.api.id) || a.value.localeCompare(b.value),
  );
  const groups: PermissionGroupDto[] = [];
  for (const p of rows) {
    let g = groups[groups.length - 1];
    if (!g || g.api.id !== p.api.id) {
      g = { api: p.api, permissions: [] };
      groups.push(g);
    }
    g.permissions.push({ id: p.id, value: p.value, description: p.description });
  }
  return { groups, truncated };
}

export interface ApplicationChoiceDto {
  id: string;
  name: string;
  type: AppType;
  clientId: string;
  accessPolicy: AccessPolicy;
}

/** Applications a role could be mapped to, by name; bounded, with the role's own (`include`) always there. */
export async function listApplicationChoices(
  _ctx: PlatformContext,
  params: { include?: string[] } = {},
): Promise<{ items: ApplicationChoiceDto[]; truncated: boolean }> {
  const select = { id: true, name: true, type: true, clientId: true, accessPolicy: true } as const;
  const include = (params.include ?? []).filter(isId);
  const [firstRows, held] = await Promise.all([
    db.application.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }], take: MAX_ROLE_APPLICATIONS + 1, select }),
    include.length ? db.application.findMany({ where: { id: { in: include } }, select }) : [],
  ]);
  const truncated = firstRows.length > MAX_ROLE_APPLICATIONS;
  const byId = new Map([...firstRows.slice(0, MAX_ROLE_APPLICATIONS), ...held].map((a) => [a.id, a]));
  const items = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { items, truncated };
}

// ---------------------------------------------------------------------------------------------------------------
// Applications

export interface ApplicationListItemDto {
  id: string;
  name: string;
  type: AppType;
  clientId: string;
  accessPolicy: AccessPolicy;
  description: string;
  roleCount: number;
}

export interface ApplicationDto extends ApplicationListItemDto {
  createdAt: string;
  updatedAt: string;
  /** The roles mapped to it, by name (at most MAX_ROLE_APPLICATIONS). */
  roles: { id: string; key: string; name: string; builtIn: boolean }[];
}

/** Applications, filterable by type and searchable by name or client id, ordered by name, cursor-paginated. */
export async function listApplications(
  _ctx: PlatformContext,
  params: { q?: string; type?: AppType; cursor?: string; limit?: number } = {},
): Promise<Page<ApplicationListItemDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(NameCursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.application.findMany({
    where: {
      AND: [
        params.type ? { type: params.type } : {},
        q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { clientId: { contains: q, mode: 'insensitive' } }] } : {},
        cursor ? { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit + 1,
    select: { id: true, name: true, type: true, clientId: true, accessPolicy: true, description: true, _count: { select: { roles: true } } },
  });
  const page = toPage(rows, limit, (last) => ({ name: last.name, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map(({ _count, ...a }) => ({ ...a, roleCount: _count.roles })),
  };
}

/** One application with its mapped roles, or null. */
export async function getApplication(_ctx: PlatformContext, applicationId: string): Promise<ApplicationDto | null> {
  if (!isId(applicationId)) return null;
  const a = await db.application.findUnique({
    where: { id: applicationId },
    select: {
      id: true,
      name: true,
      type: true,
      clientId: true,
      accessPolicy: true,
      description: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { roles: true } },
      roles: {
        take: MAX_ROLE_APPLICATIONS,
        orderBy: { role: { name: 'asc' } },
        select: { role: { select: { id: true, key: true, name: true, builtIn: true } } },
      },
    },
  });
  if (!a) return null;
  const { _count, roles, createdAt, updatedAt, ...rest } = a;
  return { ...rest, roleCount: _count.roles, createdAt: iso(createdAt), updatedAt: iso(updatedAt), roles: roles.map((r) => r.role) };
}

export type ApplicationUsage = Usage<{ roles: number; assignments: number }>;

async function applicationUsage(client: Tx, applicationId: string): Promise<ApplicationUsage> {
  const [roles, assignments] = await Promise.all([
    client.roleApplication.count({ where: { applicationId } }),
    client.roleAssignment.count({ where: { clientAppId: applicationId } }),
  ]);
  return usage({ roles, assignments }, roles + assignments > 0, [
    roles > 0 ? `${plural(roles, 'role is', 'roles are')} mapped to it` : null,
    assignments > 0 ? `as an M2M client it holds ${plural(assignments, 'role assignment')}` : null,
  ]);
}

/** The roles mapped to the application and the role assignments it holds as an M2M client. */
export async function getApplicationUsage(_ctx: PlatformContext, applicationId: string): Promise<ApplicationUsage | null> {
  if (!isId(applicationId)) return null;
  return db.$transaction(async (tx) =>
    (await tx.application.count({ where: { id: applicationId } })) ? applicationUsage(tx, applicationId) : null,
  );
}

const CLIENT_ID_TAKEN = { field: 'clientId', message: 'Another application already has this client id.' };

/** Registers an application by its Auth0 client id. A taken client id is CONFLICT. */
export async function createApplication(ctx: PlatformContext, input: CreateApplicationInput): Promise<{ id: string; name: string; clientId: string }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        const data = { name: input.name, type: input.type, clientId: input.clientId, accessPolicy: input.accessPolicy, description: input.description };
        const app = await tx.application.create({ data, select: { id: true } });
        await audit(tx, ctx, 'application.created', { type: 'application', id: app.id }, { after: data });
        return { id: app.id, name: data.name, clientId: data.clientId };
      }),
    CLIENT_ID_TAKEN,
  );
}

/** Changes an application's name, type, client id, access policy or description; audited with before and after. */
export async function updateApplication(
  ctx: PlatformContext,
  input: UpdateApplicationInput,
): Promise<{ id: string; name: string; clientId: string; changed: boolean }> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        if (!(await lockRow(tx, 'applications', input.applicationId))) throw notFound('application');
        const before = await tx.application.findUniqueOrThrow({
          where: { id: input.applicationId },
          select: { name: true, type: true, clientId: true, accessPolicy: true, description: true },
        });
        const after = { name: input.name, type: input.type, clientId: input.clientId, accessPolicy: input.accessPolicy, description: input.description };
        const same = (Object.keys(after) as (keyof typeof after)[]).every((k) => before[k] === after[k]);
        if (same) return { id: input.applicationId, name: after.name, clientId: after.clientId, changed: false };
        await tx.application.update({ where: { id: input.applicationId }, data: after });
        await audit(tx, ctx, 'application.updated', { type: 'application', id: input.applicationId }, { before, after });
        return { id: input.applicationId, name: after.name, clientId: after.clientId, changed: true };
      }),
    CLIENT_ID_TAKEN,
  );
}

/** Deletes an application with its role mappings and its M2M role assignments. In use: CONFLICT unless confirmed. */
export async function deleteApplication(ctx: PlatformContext, input: DeleteApplicationInput): Promise<{ id: string; deleted: true }> {
  return db.$transaction(async (tx) => {
    if (!(await lockRow(tx, 'applications', input.applicationId))) throw notFound('application');
    const u = await applicationUsage(tx, input.applicationId);
    assertConfirmed(u, input.confirm, 'it');
    const app = await tx.application.findUniqueOrThrow({
      where: { id: input.applicationId },
      select: { name: true, type: true, clientId: true, accessPolicy: true, description: true },
    });
    await tx.application.delete({ where: { id: input.applicationId } });
    await audit(tx, ctx, 'application.deleted', { type: 'application', id: input.applicationId }, { before: { ...app, usage: u.counts } });
    return { id: input.applicationId, deleted: true };
  });
}
