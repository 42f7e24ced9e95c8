import 'server-only';
import { audit } from '@/lib/audit';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Tx } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import {
  MAX_ROLE_APPLICATIONS,
  MAX_ROLE_PERMISSIONS,
  type AccessPolicy,
  type AppType,
  type SetRoleApplicationsInput,
  type SetRolePermissionsInput,
} from '@/lib/schemas/catalog';
import { isId, lockOrThrow } from '../recipes';
import { readRole } from './roles';

/**
 * What a role grants: its permissions and the applications it is mapped to, replaced as a set by the role
 * editor (audited as `role.updated` with what was added and removed), and the choices that editor offers.
 */

/** How one kind of grant is read and written (permissions and applications differ only in these). */
interface GrantKind<T extends { id: string }> {
  /** The granted table: the chosen rows are share-locked so none is deleted before the grants are written. */
  table: 'permissions' | 'applications';
  field: string;
  unknown: string;
  find(tx: Tx, ids: string[]): Promise<T[]>;
  current(tx: Tx, roleId: string): Promise<T[]>;
  unlink(tx: Tx, roleId: string, ids: string[]): Promise<unknown>;
  link(tx: Tx, roleId: string, ids: string[]): Promise<unknown>;
  /** How the audit log names one grant. */
  label(t: T): string;
  audit: { removed: string; added: string; count: string };
}

/**
 * Changes a role's grants of one kind to `want(current ids)`, under the role's lock: the role editor passes the whole
 * set, the application page one mapping added or removed (so two screens never overwrite each other's edits).
 */
async function replaceGrants<T extends { id: string }>(
  ctx: PlatformContext,
  roleId: string,
  want: string[] | ((current: ReadonlySet<string>) => string[]),
  kind: GrantKind<T>,
): Promise<{ id: string; ids: string[]; changed: boolean }> {
  return db.$transaction(async (tx) => {
    await lockOrThrow(tx, { table: 'roles', id: roleId, what: 'role' });
    const role = await readRole(tx, roleId);
    const current = await kind.current(tx, role.id);
    const currentIds = new Set(current.map((c) => c.id));
    const ids = typeof want === 'function' ? want(currentIds) : want;
    // `kind.table` is one of two literals, never input.
    await tx.$queryRaw`SELECT id FROM ${Prisma.raw(`"${kind.table}"`)} WHERE id = ANY(${ids}::uuid[]) FOR KEY SHARE`;
    const wanted = await kind.find(tx, ids);
    if (wanted.length !== ids.length) {
      throw new AppError('BAD_INPUT', `Some of the chosen ${kind.table} no longer exist; reload the page and choose again.`, {
        fieldErrors: { [kind.field]: [kind.unknown] },
      });
    }
    const wantedIds = new Set(wanted.map((w) => w.id));
    const added = wanted.filter((w) => !currentIds.has(w.id));
    const removed = current.filter((c) => !wantedIds.has(c.id));
    if (added.length === 0 && removed.length === 0) return { id: role.id, ids: [...wantedIds], changed: false };
    if (removed.length) await kind.unlink(tx, role.id, removed.map((r) => r.id));
    if (added.length) await kind.link(tx, role.id, added.map((a) => a.id));
    await tx.role.update({ where: { id: role.id }, data: { updatedAt: new Date() } });
    await audit(tx, ctx, {
      action: 'role.updated',
      target: { type: 'role', id: role.id },
      before: { key: role.key, [kind.audit.removed]: removed.map(kind.label) },
      after: { key: role.key, [kind.audit.added]: added.map(kind.label), [kind.audit.count]: wanted.length },
    });
    return { id: role.id, ids: [...wantedIds], changed: true };
  });
}

const permissionSelect = { id: true, value: true, api: { select: { identifier: true } } } as const;

const PERMISSIONS: GrantKind<{ id: string; value: string; api: { identifier: string } }> = {
  table: 'permissions',
  field: 'permissionIds',
  unknown: 'Unknown permission.',
  find: (tx, ids) => tx.permission.findMany({ where: { id: { in: ids } }, select: permissionSelect }),
  current: async (tx, roleId) =>
    (await tx.rolePermission.findMany({ where: { roleId }, select: { permission: { select: permissionSelect } } })).map((c) => c.permission),
  unlink: (tx, roleId, ids) => tx.rolePermission.deleteMany({ where: { roleId, permissionId: { in: ids } } }),
  link: (tx, roleId, ids) => tx.rolePermission.createMany({ data: ids.map((permissionId) => ({ roleId, permissionId })) }),
  label: (p) => `${p.api.identifier} ${p.value}`,
  audit: { removed: 'permissionsRemoved', added: 'permissionsAdded', count: 'permissionCount' },
};

const APPLICATIONS: GrantKind<{ id: string; clientId: string }> = {
  table: 'applications',
  field: 'applicationIds',
  unknown: 'Unknown application.',
  find: (tx, ids) => tx.application.findMany({ where: { id: { in: ids } }, select: { id: true, clientId: true } }),
  current: async (tx, roleId) =>
    (await tx.roleApplication.findMany({ where: { roleId }, select: { application: { select: { id: true, clientId: true } } } })).map((c) => c.application),
  unlink: (tx, roleId, ids) => tx.roleApplication.deleteMany({ where: { roleId, applicationId: { in: ids } } }),
  link: (tx, roleId, ids) => tx.roleApplication.createMany({ data: ids.map((applicationId) => ({ roleId, applicationId })) }),
  label: (a) => a.clientId,
  audit: { removed: 'applicationsRemoved', added: 'applicationsAdded', count: 'applicationCount' },
};

/** Replaces the set of permissions a role grants (audited as `role.updated` with the values before and after). */
export async function setRolePermissions(
  ctx: PlatformContext,
  input: SetRolePermissionsInput,
): Promise<{ id: string; permissionIds: string[]; changed: boolean }> {
  const { id, ids, changed } = await replaceGrants(ctx, input.roleId, input.permissionIds, PERMISSIONS);
  return { id, permissionIds: ids, changed };
}

/** Replaces the set of applications a role is mapped to (audited as `role.updated`). */
export async function setRoleApplications(
  ctx: PlatformContext,
  input: SetRoleApplicationsInput,
): Promise<{ id: string; applicationIds: string[]; changed: boolean }> {
  const { id, ids, changed } = await replaceGrants(ctx, input.roleId, input.applicationIds, APPLICATIONS);
  return { id, applicationIds: ids, changed };
}

/**
 * Maps one role to one application, or removes the mapping, from the application's page: the same change, checks,
 * lock and `role.updated` audit row as the role page's application editor (setRoleApplications).
 */
export async function setApplicationRoleMapping(
  ctx: PlatformContext,
  input: { applicationId: string; roleId: string; mapped: boolean },
): Promise<{ changed: boolean }> {
  const { changed } = await replaceGrants(
    ctx,
    input.roleId,
    (current) => {
      const next = new Set(current);
      if (input.mapped) next.add(input.applicationId);
      else next.delete(input.applicationId);
      if (next.size > MAX_ROLE_APPLICATIONS) {
        throw new AppError('BAD_INPUT', `A role can be mapped to at most ${MAX_ROLE_APPLICATIONS} applications.`);
      }
      return [...next];
    },
    APPLICATIONS,
  );
  return { changed };
}

/**
 * The first `max` choices in order plus the ones a role already holds (so saving never drops them), sorted;
 * `truncated` when there were more than `max`.
 */
async function boundedChoices<T extends { id: string }>(
  include: string[] | undefined,
  max: number,
  first: (take: number) => Promise<T[]>,
  held: (ids: string[]) => Promise<T[]>,
  compare: (a: T, b: T) => number,
): Promise<{ items: T[]; truncated: boolean }> {
  const ids = (include ?? []).filter(isId);
  const [firstRows, heldRows] = await Promise.all([first(max + 1), ids.length ? held(ids) : []]);
  const byId = new Map([...firstRows.slice(0, max), ...heldRows].map((row) => [row.id, row]));
  return { items: [...byId.values()].sort(compare), truncated: firstRows.length > max };
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
  const { items, truncated } = await boundedChoices(
    params.include,
    MAX_ROLE_PERMISSIONS,
    (take) => db.permission.findMany({ orderBy: [{ api: { name: 'asc' } }, { apiId: 'asc' }, { value: 'asc' }], take, select }),
    (ids) => db.permission.findMany({ where: { id: { in: ids } }, select }),
    (a, b) => a.api.name.localeCompare(b.api.name) || a.api.id.localeCompare(b.api.id) || a.value.localeCompare(b.value),
  );
  const groups: PermissionGroupDto[] = [];
  for (const p of items) {
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
  return boundedChoices(
    params.include,
    MAX_ROLE_APPLICATIONS,
    (take) => db.application.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }], take, select }),
    (ids) => db.application.findMany({ where: { id: { in: ids } }, select }),
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
}

/** Every role (built-in ones too: tier roles can be mapped like any role), by name, for the application page's mapping boxes. */
export async function listRolesForMapping(_ctx: PlatformContext): Promise<{ id: string; key: string; name: string; builtIn: boolean }[]> {
  return db.role.findMany({ orderBy: [{ builtIn: 'desc' }, { name: 'asc' }], select: { id: true, key: true, name: true, builtIn: true }, take: 500 });
}
