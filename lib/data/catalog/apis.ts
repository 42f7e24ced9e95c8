import 'server-only';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { CreateApiInput, CreatePermissionInput, DeleteApiInput, DeletePermissionInput, UpdateApiInput } from '@/lib/schemas/catalog';
import { byName, type Page } from '../pagination';
import { createAudited, deleteLocked, isId, lockRow, plural, updateLocked, usage, usageIfExists, type Usage } from '../recipes';

/**
 * APIs (Auth0 resource servers) and their permissions, part of the platform-wide role catalog: reads need
 * platform:read, mutations catalog:write (lib/authz/surface.ts). Every mutation runs in one transaction with its
 * audit row; deleting something in use answers CONFLICT with what uses it unless the caller confirms.
 */

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
  const page = byName.query(params);
  const q = params.q?.trim();
  const rows = await db.api.findMany({
    where: {
      AND: [q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { identifier: { contains: q, mode: 'insensitive' } }] } : {}, page.where],
    },
    orderBy: page.orderBy,
    take: page.take,
    select: { id: true, name: true, identifier: true, description: true, updatedAt: true, _count: { select: { permissions: true } } },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map(({ _count, updatedAt, ...api }) => ({ ...api, permissionCount: _count.permissions, updatedAt: updatedAt.toISOString() })),
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
  const { _count, permissions, createdAt, updatedAt, ...rest } = api;
  return {
    ...rest,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    permissionCount: _count.permissions,
    permissions: permissions.map((p) => ({ id: p.id, value: p.value, description: p.description, roleCount: p._count.roles })),
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
  return usageIfExists(apiId, (tx) => tx.api.count({ where: { id: apiId } }), (tx) => apiUsage(tx, apiId));
}

const IDENTIFIER_TAKEN = { field: 'identifier', message: 'Another API already uses this identifier.' };

/** Creates an API. A taken identifier is CONFLICT with a field error. */
export async function createApi(ctx: PlatformContext, input: CreateApiInput): Promise<{ id: string; name: string; identifier: string }> {
  const { id, name, identifier } = await createAudited(ctx, {
    create: (tx) =>
      tx.api.create({
        data: { name: input.name, identifier: input.identifier, description: input.description },
        select: { id: true, name: true, identifier: true, description: true },
      }),
    audit: ({ id, ...after }) => ({ action: 'api.created', target: { type: 'api', id }, after }),
    unique: IDENTIFIER_TAKEN,
  });
  return { id, name, identifier };
}

/** Renames an API, changes its identifier (audience) or description; audited with before and after. */
export async function updateApi(ctx: PlatformContext, input: UpdateApiInput): Promise<{ id: string; name: string; identifier: string; changed: boolean }> {
  const { after, changed } = await updateLocked(ctx, {
    lock: { table: 'apis', id: input.apiId, what: 'API' },
    read: (tx) => tx.api.findUniqueOrThrow({ where: { id: input.apiId }, select: { name: true, identifier: true, description: true } }),
    change: (before) => ({ before, after: { name: input.name, identifier: input.identifier, description: input.description } }),
    write: (tx, data) => tx.api.update({ where: { id: input.apiId }, data }),
    audit: { action: 'api.updated', target: { type: 'api', id: input.apiId } },
    unique: IDENTIFIER_TAKEN,
  });
  return { id: input.apiId, name: after.name, identifier: after.identifier, changed };
}

/** Deletes an API and its permissions (roles stop granting them). In use: CONFLICT with the counts unless confirmed. */
export async function deleteApi(ctx: PlatformContext, input: DeleteApiInput): Promise<{ id: string; deleted: true }> {
  await deleteLocked(ctx, {
    lock: { table: 'apis', id: input.apiId, what: 'API' },
    read: (tx) =>
      tx.api.findUniqueOrThrow({
        where: { id: input.apiId },
        select: { name: true, identifier: true, description: true, permissions: { select: { value: true }, orderBy: { value: 'asc' }, take: 1000 } },
      }),
    usage: (tx) => apiUsage(tx, input.apiId),
    confirm: { given: input.confirm, what: 'this API and its permissions' },
    remove: (tx) => tx.api.delete({ where: { id: input.apiId } }),
    audit: (api, u) => ({
      action: 'api.deleted',
      target: { type: 'api', id: input.apiId },
      before: { name: api.name, identifier: api.identifier, description: api.description, permissions: api.permissions.map((p) => p.value), usage: u.counts },
    }),
  });
  return { id: input.apiId, deleted: true };
}

/** Adds a permission to an API (audited as `api.updated`). A value the API already has is CONFLICT on `value`. */
export async function createPermission(ctx: PlatformContext, input: CreatePermissionInput): Promise<PermissionDto & { apiId: string }> {
  const p = await createAudited(ctx, {
    create: async (tx) => {
      // The lock also keeps the API from being deleted under us; an unknown API is a field error, not a 500.
      if (!(await lockRow(tx, 'apis', input.apiId))) {
        throw new AppError('BAD_INPUT', 'That API does not exist; it may have been deleted.', { fieldErrors: { apiId: ['Unknown API.'] } });
      }
      const created = await tx.permission.create({
        data: { apiId: input.apiId, value: input.value, description: input.description },
        select: { id: true, value: true, description: true },
      });
      await tx.api.update({ where: { id: input.apiId }, data: { updatedAt: new Date() } });
      return created;
    },
    audit: (permissionAdded) => ({ action: 'api.updated', target: { type: 'api', id: input.apiId }, after: { permissionAdded } }),
    unique: { field: 'value', message: 'This API already has that permission.' },
  });
  return { ...p, roleCount: 0, apiId: input.apiId };
}

export type PermissionUsage = Usage<{ roles: number }>;

async function permissionUsage(client: Tx, permissionId: string): Promise<PermissionUsage> {
  const roles = await client.rolePermission.count({ where: { permissionId } });
  return usage({ roles }, roles > 0, [roles > 0 ? `${plural(roles, 'role grants', 'roles grant')} it` : null]);
}

/** Deletes a permission (roles stop granting it); audited as `api.updated`. Granted: CONFLICT unless confirmed. */
export async function deletePermission(ctx: PlatformContext, input: DeletePermissionInput): Promise<{ id: string; apiId: string; deleted: true }> {
  const p = await deleteLocked(ctx, {
    lock: { table: 'permissions', id: input.permissionId, what: 'permission' },
    read: (tx) => tx.permission.findUniqueOrThrow({ where: { id: input.permissionId }, select: { apiId: true, value: true, description: true } }),
    usage: (tx) => permissionUsage(tx, input.permissionId),
    confirm: { given: input.confirm, what: 'it' },
    remove: async (tx, row) => {
      await tx.permission.delete({ where: { id: input.permissionId } });
      await tx.api.update({ where: { id: row.apiId }, data: { updatedAt: new Date() } });
    },
    audit: (row, u) => ({
      action: 'api.updated',
      target: { type: 'api', id: row.apiId },
      before: { permissionRemoved: { id: input.permissionId, value: row.value, description: row.description }, usage: u.counts },
    }),
  });
  return { id: input.permissionId, apiId: p.apiId, deleted: true };
}
