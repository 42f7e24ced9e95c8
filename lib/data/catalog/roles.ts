import 'server-only';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import {
  BUILT_IN_ROLE_KEY_PREFIX,
  MAX_ROLE_APPLICATIONS,
  MAX_ROLE_PERMISSIONS,
  type AccessPolicy,
  type AppType,
  type CreateRoleInput,
  type DeleteRoleInput,
  type UpdateRoleInput,
} from '@/lib/schemas/catalog';
import { byName, type Page } from '../pagination';
import { createAudited, deleteLocked, isId, plural, updateLocked, usage, usageIfExists, type Usage } from '../recipes';

/**
 * Roles of the platform-wide catalog (built-in tier roles and custom ones). What a role grants is edited in
 * role-grants.ts. Reads need platform:read, mutations catalog:write (lib/authz/surface.ts); every mutation runs in
 * one transaction with its audit row.
 */

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
  const page = byName.query(params);
  const q = params.q?.trim();
  const text = q
    ? {
        OR: [
          { key: { contains: q, mode: 'insensitive' as const } },
          { name: { contains: q, mode: 'insensitive' as const } },
          { description: { contains: q, mode: 'insensitive' as const } },
        ],
      }
    : {};
  const rows = await db.role.findMany({
    where: { AND: [text, page.where] },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      key: true,
      name: true,
      description: true,
      builtIn: true,
      _count: { select: { permissions: true, applications: true, assignments: true } },
    },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map(({ _count, ...role }) => ({
      ...role,
      permissionCount: _count.permissions,
      applicationCount: _count.applications,
      assignmentCount: _count.assignments,
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
  const { permissions, applications, createdAt, updatedAt, ...rest } = r;
  return {
    ...rest,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    permissions: permissions.map(({ permission: p }) => ({ id: p.id, value: p.value, apiId: p.api.id, apiName: p.api.name })),
    applications: applications.map(({ application: a }) => a),
  };
}

export type RoleUsage = Usage<{ users: number; clients: number; rules: number; applications: number; invitations: number }>;

function holdersText(users: number, clients: number): string | null {
  if (users > 0 && clients > 0) return `${plural(users, 'user')} and ${plural(clients, 'M2M client')} hold this role`;
  if (users > 0) return `${plural(users, 'user holds', 'users hold')} this role`;
  if (clients > 0) return `${plural(clients, 'M2M client holds', 'M2M clients hold')} this role`;
  return null;
}

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
  return usage({ users, clients, rules, applications, invitations }, users + clients + rules + applications + invitations > 0, [
    holdersText(users, clients),
    rules > 0 ? `${plural(rules, 'rule gives', 'rules give')} it` : null,
    invitations > 0 ? `${plural(invitations, 'pending invitation gives', 'pending invitations give')} it` : null,
    applications > 0 ? `${plural(applications, 'application is', 'applications are')} mapped to it` : null,
  ]);
}

/** Who holds the role and what refers to it: users, M2M clients, default-role rules, pending invitations, applications. */
export async function getRoleUsage(_ctx: PlatformContext, roleId: string): Promise<RoleUsage | null> {
  return usageIfExists(roleId, (tx) => tx.role.count({ where: { id: roleId } }), (tx) => roleUsage(tx, roleId));
}

const KEY_TAKEN = { field: 'key', message: 'Another role already uses this key.' };

function keyError(message: string): AppError {
  return new AppError('BAD_INPUT', message, { fieldErrors: { key: [message] } });
}

function assertCustomKey(key: string): void {
  if (key.startsWith(BUILT_IN_ROLE_KEY_PREFIX)) throw keyError(`Keys starting with “${BUILT_IN_ROLE_KEY_PREFIX}” are kept for the built-in tier roles.`);
}

/** Creates a custom role (it grants nothing until permissions and applications are chosen). A taken key is CONFLICT. */
export async function createRole(ctx: PlatformContext, input: CreateRoleInput): Promise<{ id: string; key: string; name: string }> {
  assertCustomKey(input.key);
  const { id, key, name } = await createAudited(ctx, {
    create: (tx) =>
      tx.role.create({
        data: { key: input.key, name: input.name, description: input.description },
        select: { id: true, key: true, name: true, description: true },
      }),
    audit: ({ id, ...after }) => ({ action: 'role.created', target: { type: 'role', id }, after }),
    unique: KEY_TAKEN,
  });
  return { id, key, name };
}

/** The role's row as its mutations read it (after taking its lock). */
export function readRole(tx: Tx, roleId: string) {
  return tx.role.findUniqueOrThrow({ where: { id: roleId }, select: { id: true, key: true, name: true, description: true, builtIn: true } });
}

/** Changes a role's key, name and description. Built-in roles keep their key. A taken key is CONFLICT. */
export async function updateRole(ctx: PlatformContext, input: UpdateRoleInput): Promise<{ id: string; key: string; name: string; changed: boolean }> {
  const { row, after, changed } = await updateLocked(ctx, {
    lock: { table: 'roles', id: input.roleId, what: 'role' },
    read: (tx) => readRole(tx, input.roleId),
    change: (role) => {
      if (role.builtIn && input.key !== role.key) throw keyError(`This is a built-in role; its key stays “${role.key}”.`);
      if (!role.builtIn) assertCustomKey(input.key);
      return {
        before: { key: role.key, name: role.name, description: role.description },
        after: { key: input.key, name: input.name, description: input.description },
      };
    },
    write: (tx, data) => tx.role.update({ where: { id: input.roleId }, data }),
    audit: { action: 'role.updated', target: { type: 'role', id: input.roleId } },
    unique: KEY_TAKEN,
  });
  return { id: row.id, key: after.key, name: after.name, changed };
}

/**
 * Deletes a custom role with its grants, mappings, assignments, rule effects and pending-invitation roles (built-in
 * roles cannot be deleted). In use: CONFLICT with the counts unless confirmed.
 */
export async function deleteRole(ctx: PlatformContext, input: DeleteRoleInput): Promise<{ id: string; deleted: true }> {
  const role = await deleteLocked(ctx, {
    lock: { table: 'roles', id: input.roleId, what: 'role' },
    read: async (tx) => {
      const role = await readRole(tx, input.roleId);
      if (role.builtIn) throw new AppError('FORBIDDEN', `${role.name} is a built-in role and cannot be deleted.`);
      return role;
    },
    usage: (tx, role) => roleUsage(tx, role.id),
    confirm: { given: input.confirm, what: 'it' },
    remove: (tx, role) => tx.role.delete({ where: { id: role.id } }),
    audit: (role, u) => ({
      action: 'role.deleted',
      target: { type: 'role', id: role.id },
      before: { key: role.key, name: role.name, description: role.description, usage: u.counts },
    }),
  });
  return { id: role.id, deleted: true };
}
