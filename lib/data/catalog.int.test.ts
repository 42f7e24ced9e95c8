import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';
import {
  CreateApiInput,
  CreateApplicationInput,
  CreatePermissionInput,
  CreateRoleInput,
  type AppType,
} from '@/lib/schemas/catalog';
import { userContext } from '@/tests/contexts';
import { createApi, createPermission, deleteApi, deletePermission, getApi, getApiUsage, listApis, updateApi } from './catalog/apis';
import { createApplication, deleteApplication, getApplication, getApplicationUsage, listApplications, updateApplication } from './catalog/applications';
import { listPermissionChoices, setRoleApplications, setRolePermissions } from './catalog/role-grants';
import { createRole, deleteRole, getRole, getRoleUsage, listRoles, updateRole } from './catalog/roles';

/** What lib/authz/context.ts requirePlatform builds for an operator. */
async function operator(): Promise<PlatformContext> {
  const user = await createUser(db, { platformRole: 'OPERATOR' });
  const base = userContext(user);
  return { ...base, user: { ...base.user, platformRole: 'OPERATOR' }, actor: { platformRole: 'OPERATOR' } };
}

/** Rejections as `{ code, message, fieldErrors }`, so a wrong code shows what actually happened. */
async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, fieldErrors: e.fieldErrors };
    return { code: `not an AppError: ${String(e)}` };
  }
  return { code: 'resolved' };
}

const auditOf = (targetId: string) => db.auditEvent.findMany({ where: { targetId }, orderBy: { id: 'asc' } });
const auditCountBy = (ctx: PlatformContext) => db.auditEvent.count({ where: { actorId: ctx.user.id } });

// Inputs go through the same schemas as the server actions.
const apiInput = (over: Partial<Record<'name' | 'identifier' | 'description', string>> = {}) =>
  CreateApiInput.parse({ name: `API ${randomSuffix()}`, identifier: `https://api-${randomSuffix()}.example.test`, ...over });
const roleInput = (over: Partial<Record<'key' | 'name' | 'description', string>> = {}) =>
  CreateRoleInput.parse({ key: `role-${randomSuffix()}`, name: `Role ${randomSuffix()}`, ...over });
const appInput = (over: Partial<{ name: string; type: AppType; clientId: string; accessPolicy: string; description: string }> = {}) =>
  CreateApplicationInput.parse({ name: `App ${randomSuffix()}`, type: 'SPA', clientId: `client${randomSuffix()}`, ...over });

async function apiWithPermission(ctx: PlatformContext) {
  const api = await createApi(ctx, apiInput());
  const permission = await createPermission(ctx, CreatePermissionInput.parse({ apiId: api.id, value: 'read:config', description: 'Read configuration' }));
  return { api, permission };
}

describe('APIs', () => {
  it('creates, updates and deletes an API, each audited in its transaction with actor and request id', async () => {
    const ctx = await operator();
    const input = apiInput({ description: 'Orders' });
    const api = await createApi(ctx, input);
    expect(await getApi(ctx, api.id)).toMatchObject({ name: input.name, identifier: input.identifier, description: 'Orders', permissions: [] });

    const renamed = await updateApi(ctx, { apiId: api.id, name: 'Renamed', identifier: `urn:test:${randomSuffix()}`, description: '' });
    expect(renamed.changed).toBe(true);
    expect(await getApi(ctx, api.id)).toMatchObject({ name: 'Renamed', identifier: renamed.identifier, description: '' });

    await deleteApi(ctx, { apiId: api.id, confirm: false });
    expect(await getApi(ctx, api.id)).toBeNull();

    const events = await auditOf(api.id);
    expect(events.map((e) => e.action)).toEqual(['api.created', 'api.updated', 'api.deleted']);
    for (const e of events) expect(e).toMatchObject({ actorType: 'user', actorId: ctx.user.id, requestId: ctx.requestId, targetType: 'api', orgId: null });
    expect(events[1]).toMatchObject({
      before: { name: input.name, identifier: input.identifier, description: 'Orders' },
      after: { name: 'Renamed', identifier: renamed.identifier, description: '' },
    });
  });

  it('refuses a duplicate identifier with a field error, on create and on update, and writes nothing', async () => {
    const ctx = await operator();
    const first = await createApi(ctx, apiInput());
    const second = await createApi(ctx, apiInput());
    const audits = await auditCountBy(ctx);

    const onCreate = await failure(createApi(ctx, apiInput({ identifier: first.identifier })));
    expect(onCreate).toMatchObject({ code: 'CONFLICT', fieldErrors: { identifier: [expect.stringContaining('already uses this identifier')] } });
    const onUpdate = await failure(updateApi(ctx, { apiId: second.id, name: 'X', identifier: first.identifier, description: '' }));
    expect(onUpdate).toMatchObject({ code: 'CONFLICT', fieldErrors: { identifier: [expect.any(String)] } });

    expect(await db.api.count({ where: { identifier: first.identifier } })).toBe(1);
    expect(await getApi(ctx, second.id)).toMatchObject({ identifier: second.identifier });
    expect(await auditCountBy(ctx)).toBe(audits);
  });

  it('answers not-found for an unknown or malformed id', async () => {
    const ctx = await operator();
    expect(await getApi(ctx, randomUUID())).toBeNull();
    expect(await getApi(ctx, 'authz-probe')).toBeNull();
    expect((await failure(updateApi(ctx, { apiId: randomUUID(), name: 'X', identifier: 'urn:x:y', description: '' }))).code).toBe('NOT_FOUND');
    expect((await failure(deleteApi(ctx, { apiId: randomUUID(), confirm: true }))).code).toBe('NOT_FOUND');
  });

  it('refuses to delete an API whose permissions roles grant unless confirmed, reporting the counts', async () => {
    const ctx = await operator();
    const { api, permission } = await apiWithPermission(ctx);
    await createPermission(ctx, CreatePermissionInput.parse({ apiId: api.id, value: 'write:config' }));
    const roles = await Promise.all([createRole(ctx, roleInput()), createRole(ctx, roleInput())]);
    for (const r of roles) await setRolePermissions(ctx, { roleId: r.id, permissionIds: [permission.id] });

    expect(await getApiUsage(ctx, api.id)).toMatchObject({ inUse: true, counts: { permissions: 2, roles: 2 } });
    const refused = await failure(deleteApi(ctx, { apiId: api.id, confirm: false }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('2 roles grant its permissions');
    expect(refused.message).toContain('it has 2 permissions');
    expect(await db.permission.count({ where: { apiId: api.id } })).toBe(2);
    expect((await auditOf(api.id)).map((e) => e.action)).not.toContain('api.deleted');

    await deleteApi(ctx, { apiId: api.id, confirm: true });
    expect(await db.permission.count({ where: { apiId: api.id } })).toBe(0);
    expect(await db.rolePermission.count({ where: { roleId: { in: roles.map((r) => r.id) } } })).toBe(0);
    const deleted = (await auditOf(api.id)).find((e) => e.action === 'api.deleted');
    expect(deleted?.before).toMatchObject({ identifier: api.identifier, permissions: ['read:config', 'write:config'], usage: { roles: 2, permissions: 2 } });
  });

  it('searches and paginates by name', async () => {
    const ctx = await operator();
    const tag = `srch${randomSuffix()}`;
    for (const n of ['c', 'a', 'b']) await createApi(ctx, apiInput({ name: `${tag} ${n}` }));
    const first = await listApis(ctx, { q: tag, limit: 2 });
    expect(first.items.map((a) => a.name)).toEqual([`${tag} a`, `${tag} b`]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listApis(ctx, { q: tag, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ name: `${tag} c`, permissionCount: 0 }], nextCursor: null });
    // Issue #12 item 6: a forged cursor reads as the first page, not an error.
    expect(await listApis(ctx, { q: tag, limit: 2, cursor: 'garbage' })).toEqual(first);
  });
});

describe('permissions', () => {
  it('adds a permission, audited as api.updated; a value the API already has is a field error', async () => {
    const ctx = await operator();
    const { api, permission } = await apiWithPermission(ctx);
    expect(await getApi(ctx, api.id)).toMatchObject({ permissions: [{ id: permission.id, value: 'read:config', description: 'Read configuration', roleCount: 0 }] });
    const added = (await auditOf(api.id)).find((e) => e.action === 'api.updated');
    expect(added).toMatchObject({ actorId: ctx.user.id, requestId: ctx.requestId, after: { permissionAdded: { value: 'read:config' } } });

    const dup = await failure(createPermission(ctx, CreatePermissionInput.parse({ apiId: api.id, value: 'read:config' })));
    expect(dup).toMatchObject({ code: 'CONFLICT', fieldErrors: { value: [expect.stringContaining('already has that permission')] } });
    expect(await db.permission.count({ where: { apiId: api.id } })).toBe(1);

    // The same value on another API is fine: permissions belong to their API.
    const other = await createApi(ctx, apiInput());
    await createPermission(ctx, CreatePermissionInput.parse({ apiId: other.id, value: 'read:config' }));
  });

  it('refuses an unknown API with a field error and writes nothing', async () => {
    const ctx = await operator();
    const audits = await auditCountBy(ctx);
    const r = await failure(createPermission(ctx, CreatePermissionInput.parse({ apiId: randomUUID(), value: 'read:x' })));
    expect(r).toMatchObject({ code: 'BAD_INPUT', fieldErrors: { apiId: [expect.any(String)] } });
    expect(await auditCountBy(ctx)).toBe(audits);
  });

  it('refuses to delete a granted permission unless confirmed; then roles stop granting it', async () => {
    const ctx = await operator();
    const { api, permission } = await apiWithPermission(ctx);
    const role = await createRole(ctx, roleInput());
    await setRolePermissions(ctx, { roleId: role.id, permissionIds: [permission.id] });

    const refused = await failure(deletePermission(ctx, { permissionId: permission.id, confirm: false }));
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('1 role grants it') });
    expect(await db.permission.count({ where: { id: permission.id } })).toBe(1);

    await deletePermission(ctx, { permissionId: permission.id, confirm: true });
    expect(await db.permission.count({ where: { id: permission.id } })).toBe(0);
    expect((await getRole(ctx, role.id))?.permissions).toEqual([]);
    const removed = (await auditOf(api.id)).filter((e) => e.action === 'api.updated').at(-1);
    expect(removed).toMatchObject({ before: { permissionRemoved: { value: 'read:config' }, usage: { roles: 1 } }, requestId: ctx.requestId });
  });

  it('deletes an unused permission without confirmation; an unknown one is not found', async () => {
    const ctx = await operator();
    const { permission } = await apiWithPermission(ctx);
    await deletePermission(ctx, { permissionId: permission.id, confirm: false });
    expect(await db.permission.count({ where: { id: permission.id } })).toBe(0);
    expect((await failure(deletePermission(ctx, { permissionId: permission.id, confirm: true }))).code).toBe('NOT_FOUND');
  });
});

describe('roles', () => {
  it('creates (keys stored in lower case), updates and deletes a role, all audited', async () => {
    const ctx = await operator();
    const key = `BILLING:ADMIN-${randomSuffix()}`.toUpperCase();
    const role = await createRole(ctx, roleInput({ key, description: 'Bills' }));
    expect(role.key).toBe(key.toLowerCase());
    const updated = await updateRole(ctx, { roleId: role.id, key: `${role.key}-2`, name: 'Billing admin', description: '' });
    expect(updated).toMatchObject({ changed: true, key: `${role.key}-2`, name: 'Billing admin' });
    // Saving the same values is not a change and writes no audit row.
    expect((await updateRole(ctx, { roleId: role.id, key: updated.key, name: updated.name, description: '' })).changed).toBe(false);
    await deleteRole(ctx, { roleId: role.id, confirm: false });
    expect(await getRole(ctx, role.id)).toBeNull();
    const events = await auditOf(role.id);
    expect(events.map((e) => e.action)).toEqual(['role.created', 'role.updated', 'role.deleted']);
    expect(events[1]).toMatchObject({ before: { key: role.key, description: 'Bills' }, after: { key: updated.key }, requestId: ctx.requestId });
  });

  it('refuses a taken key (in any case) with a field error, on create and on update', async () => {
    const ctx = await operator();
    const a = await createRole(ctx, roleInput());
    const b = await createRole(ctx, roleInput());
    const audits = await auditCountBy(ctx);
    const dup = await failure(createRole(ctx, roleInput({ key: a.key.toUpperCase() })));
    expect(dup).toMatchObject({ code: 'CONFLICT', fieldErrors: { key: [expect.stringContaining('already uses this key')] } });
    const onUpdate = await failure(updateRole(ctx, { roleId: b.id, key: a.key, name: 'B', description: '' }));
    expect(onUpdate).toMatchObject({ code: 'CONFLICT', fieldErrors: { key: [expect.any(String)] } });
    expect((await getRole(ctx, b.id))?.key).toBe(b.key);
    expect(await auditCountBy(ctx)).toBe(audits);
  });

  it('keeps the org: prefix for the built-in roles', async () => {
    const ctx = await operator();
    expect(await failure(createRole(ctx, roleInput({ key: `org:x${randomSuffix()}` })))).toMatchObject({ code: 'BAD_INPUT', fieldErrors: { key: [expect.any(String)] } });
    const role = await createRole(ctx, roleInput());
    expect((await failure(updateRole(ctx, { roleId: role.id, key: 'org:owner', name: 'X', description: '' }))).code).toBe('BAD_INPUT');
  });

  it('lets built-in roles be edited but never re-keyed or deleted', async () => {
    await ensureBuiltInRoles(db);
    const ctx = await operator();
    const employee = await db.role.findUniqueOrThrow({ where: { key: 'org:employee' } });
    const rekey = await failure(updateRole(ctx, { roleId: employee.id, key: 'employee', name: employee.name, description: employee.description }));
    expect(rekey).toMatchObject({ code: 'BAD_INPUT', fieldErrors: { key: [expect.stringContaining('org:employee')] } });

    // Other tests share the built-in roles: change only the description, and put it back.
    const note = `${employee.description} (${randomSuffix()})`;
    try {
      const r = await updateRole(ctx, { roleId: employee.id, key: 'org:employee', name: employee.name, description: note });
      expect(r.changed).toBe(true);
      expect((await getRole(ctx, employee.id))?.description).toBe(note);
    } finally {
      await db.role.update({ where: { id: employee.id }, data: { description: employee.description } });
    }

    const owner = await db.role.findUniqueOrThrow({ where: { key: 'org:owner' } });
    for (const confirm of [false, true]) {
      expect(await failure(deleteRole(ctx, { roleId: owner.id, confirm }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('built-in') });
    }
    expect(await db.role.count({ where: { id: owner.id } })).toBe(1);
  });

  it('refuses to delete a role in use unless confirmed, saying who holds it and what gives it', async () => {
    const ctx = await operator();
    const role = await createRole(ctx, roleInput());
    const org = await createOrg(db);
    const users = await Promise.all([createUser(db), createUser(db), createUser(db)]);
    // An org role needs a membership in that org (the composite foreign key refuses it otherwise).
    for (const u of users) {
      await addMember(db, org.id, u.id, 'EMPLOYEE');
      await db.roleAssignment.create({ data: { roleId: role.id, userId: u.id, orgId: org.id } });
    }
    // The same user globally too (still one user), and an expired assignment (holds nothing).
    await db.roleAssignment.create({ data: { roleId: role.id, userId: users[0]!.id, orgId: null } });
    const lapsed = await createUser(db);
    await db.roleAssignment.create({ data: { roleId: role.id, userId: lapsed.id, orgId: null, expiresAt: new Date(Date.now() - 60_000) } });
    const client = await createApplication(ctx, appInput({ type: 'M2M' }));
    await db.roleAssignment.create({ data: { roleId: role.id, clientAppId: client.id, orgId: org.id } });
    for (const position of [1, 2]) {
      await db.defaultRoleRule.create({ data: { name: `Rule ${randomSuffix()}`, position, roles: { create: [{ roleId: role.id, global: true }] } } });
    }
    const app = await createApplication(ctx, appInput({ accessPolicy: 'ANY_ROLE' }));
    await setRoleApplications(ctx, { roleId: role.id, applicationIds: [app.id] });
    const inviter = await createUser(db);
    await addMember(db, org.id, inviter.id, 'OWNER');
    await db.invitation.create({
      data: {
        orgId: org.id,
        email: `inv-${randomSuffix()}@example.test`,
        tier: 'EMPLOYEE',
        tokenHash: randomSuffix(32),
        expiresAt: new Date(Date.now() + 86_400_000),
        invitedById: inviter.id,
        roles: { create: [{ roleId: role.id, orgId: org.id }] },
      },
    });

    const usage = await getRoleUsage(ctx, role.id);
    expect(usage).toMatchObject({ inUse: true, counts: { users: 3, clients: 1, rules: 2, applications: 1, invitations: 1 } });
    const refused = await failure(deleteRole(ctx, { roleId: role.id, confirm: false }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe(
      '3 users and 1 M2M client hold this role; 2 rules give it; 1 pending invitation gives it; 1 application is mapped to it. Confirm to delete it anyway.',
    );
    expect(await db.roleAssignment.count({ where: { roleId: role.id } })).toBe(6);

    await deleteRole(ctx, { roleId: role.id, confirm: true });
    expect(await db.role.count({ where: { id: role.id } })).toBe(0);
    expect(await db.roleAssignment.count({ where: { roleId: role.id } })).toBe(0);
    expect(await db.defaultRoleRuleRole.count({ where: { roleId: role.id } })).toBe(0);
    const deleted = (await auditOf(role.id)).find((e) => e.action === 'role.deleted');
    expect(deleted).toMatchObject({ requestId: ctx.requestId, before: { key: role.key, usage: { users: 3, clients: 1, rules: 2, applications: 1, invitations: 1 } } });
  });

  it('sets the permissions a role grants: audited as role.updated, unknown ids change nothing, no-ops are not audited', async () => {
    const ctx = await operator();
    const { api, permission: read } = await apiWithPermission(ctx);
    const write = await createPermission(ctx, CreatePermissionInput.parse({ apiId: api.id, value: 'write:config' }));
    const role = await createRole(ctx, roleInput());

    expect((await setRolePermissions(ctx, { roleId: role.id, permissionIds: [read.id, write.id] })).changed).toBe(true);
    expect((await getRole(ctx, role.id))?.permissions.map((p) => p.value)).toEqual(['read:config', 'write:config']);
    await setRolePermissions(ctx, { roleId: role.id, permissionIds: [write.id] });
    expect((await getRole(ctx, role.id))?.permissions).toEqual([{ id: write.id, value: 'write:config', apiId: api.id, apiName: api.name }]);

    const bad = await failure(setRolePermissions(ctx, { roleId: role.id, permissionIds: [read.id, randomUUID()] }));
    expect(bad).toMatchObject({ code: 'BAD_INPUT', fieldErrors: { permissionIds: [expect.any(String)] } });
    expect((await getRole(ctx, role.id))?.permissions.map((p) => p.id)).toEqual([write.id]);

    expect((await setRolePermissions(ctx, { roleId: role.id, permissionIds: [write.id] })).changed).toBe(false);
    const updates = (await auditOf(role.id)).filter((e) => e.action === 'role.updated');
    expect(updates).toHaveLength(2);
    expect(updates[1]).toMatchObject({
      before: { permissionsRemoved: [`${api.identifier} read:config`] },
      after: { permissionsAdded: [], permissionCount: 1 },
      requestId: ctx.requestId,
    });
    expect((await failure(setRolePermissions(ctx, { roleId: randomUUID(), permissionIds: [] }))).code).toBe('NOT_FOUND');

    const choices = await listPermissionChoices(ctx, { include: [write.id] });
    expect(choices.groups.find((g) => g.api.id === api.id)?.permissions.map((p) => p.value)).toEqual(['read:config', 'write:config']);
  });

  it('serializes concurrent edits of one role: every call succeeds and the last write is whole', async () => {
    const ctx = await operator();
    const api = await createApi(ctx, apiInput());
    const perms: { id: string }[] = [];
    for (const v of ['a:1', 'a:2', 'a:3', 'a:4']) perms.push(await createPermission(ctx, CreatePermissionInput.parse({ apiId: api.id, value: v })));
    const role = await createRole(ctx, roleInput());
    const sets = [[0, 1], [1, 2], [2, 3], [0, 3], [0, 1, 2, 3], [1]].map((ix) => ix.map((i) => perms[i]!.id));
    const results = await Promise.allSettled(sets.map((permissionIds) => setRolePermissions(ctx, { roleId: role.id, permissionIds })));
    expect(results.map((r) => r.status)).toEqual(sets.map(() => 'fulfilled'));
    const final = ((await getRole(ctx, role.id))?.permissions ?? []).map((p) => p.id).sort();
    expect(sets.map((ids) => [...ids].sort())).toContainEqual(final);
  });

  it('sets the applications a role is mapped to: audited, unknown ids change nothing', async () => {
    const ctx = await operator();
    const role = await createRole(ctx, roleInput());
    const [a, b] = await Promise.all([createApplication(ctx, appInput()), createApplication(ctx, appInput({ type: 'M2M' }))]);
    await setRoleApplications(ctx, { roleId: role.id, applicationIds: [a.id, b.id] });
    expect((await getRole(ctx, role.id))?.applications.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect((await getApplication(ctx, a.id))?.roles).toEqual([{ id: role.id, key: role.key, name: role.name, builtIn: false }]);

    const bad = await failure(setRoleApplications(ctx, { roleId: role.id, applicationIds: [randomUUID()] }));
    expect(bad).toMatchObject({ code: 'BAD_INPUT', fieldErrors: { applicationIds: [expect.any(String)] } });
    expect((await getRole(ctx, role.id))?.applications).toHaveLength(2);

    await setRoleApplications(ctx, { roleId: role.id, applicationIds: [] });
    expect((await getRole(ctx, role.id))?.applications).toEqual([]);
    const updates = (await auditOf(role.id)).filter((e) => e.action === 'role.updated');
    expect(updates.map((e) => e.after)).toEqual([
      { key: role.key, applicationsAdded: expect.arrayContaining([a.clientId, b.clientId]), applicationCount: 2 },
      { key: role.key, applicationsAdded: [], applicationCount: 0 },
    ]);
  });

  it('searches and paginates', async () => {
    const ctx = await operator();
    const tag = `srch${randomSuffix()}`;
    for (const n of ['b', 'a', 'c']) await createRole(ctx, roleInput({ name: `${tag} ${n}` }));
    const first = await listRoles(ctx, { q: tag, limit: 2 });
    expect(first.items.map((r) => r.name)).toEqual([`${tag} a`, `${tag} b`]);
    const second = await listRoles(ctx, { q: tag, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ name: `${tag} c`, builtIn: false, permissionCount: 0 }], nextCursor: null });
    await ensureBuiltInRoles(db);
    expect((await listRoles(ctx, { q: 'org:owner' })).items).toEqual([expect.objectContaining({ key: 'org:owner', builtIn: true })]);
  });
});

describe('applications', () => {
  it('creates, updates and deletes an application, all audited', async () => {
    const ctx = await operator();
    const input = appInput({ accessPolicy: 'ANY_ROLE' });
    const app = await createApplication(ctx, input);
    expect(await getApplication(ctx, app.id)).toMatchObject({ name: input.name, type: 'SPA', clientId: input.clientId, accessPolicy: 'ANY_ROLE', roles: [] });
    const next = { applicationId: app.id, name: 'Portal', type: 'REGULAR_WEB' as const, clientId: `client${randomSuffix()}`, accessPolicy: 'ALL_ROLES' as const, description: 'Back office' };
    expect((await updateApplication(ctx, next)).changed).toBe(true);
    expect((await updateApplication(ctx, next)).changed).toBe(false);
    expect(await getApplication(ctx, app.id)).toMatchObject({ name: 'Portal', type: 'REGULAR_WEB', clientId: next.clientId, accessPolicy: 'ALL_ROLES', description: 'Back office' });
    await deleteApplication(ctx, { applicationId: app.id, confirm: false });
    expect(await getApplication(ctx, app.id)).toBeNull();
    const events = await auditOf(app.id);
    expect(events.map((e) => e.action)).toEqual(['application.created', 'application.updated', 'application.deleted']);
    expect(events[1]).toMatchObject({ before: { clientId: input.clientId, accessPolicy: 'ANY_ROLE' }, after: { clientId: next.clientId, accessPolicy: 'ALL_ROLES' } });
  });

  it('refuses a taken client id with a field error, on create and on update', async () => {
    const ctx = await operator();
    const a = await createApplication(ctx, appInput());
    const b = await createApplication(ctx, appInput());
    const audits = await auditCountBy(ctx);
    expect(await failure(createApplication(ctx, appInput({ clientId: a.clientId })))).toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { clientId: [expect.stringContaining('already has this client id')] },
    });
    expect(
      await failure(updateApplication(ctx, { applicationId: b.id, name: 'B', type: 'SPA', clientId: a.clientId, accessPolicy: 'OPEN', description: '' })),
    ).toMatchObject({ code: 'CONFLICT', fieldErrors: { clientId: [expect.any(String)] } });
    expect((await getApplication(ctx, b.id))?.clientId).toBe(b.clientId);
    expect(await auditCountBy(ctx)).toBe(audits);
    expect(
      (await failure(updateApplication(ctx, { applicationId: randomUUID(), name: 'B', type: 'SPA', clientId: `client${randomSuffix()}`, accessPolicy: 'OPEN', description: '' }))).code,
    ).toBe('NOT_FOUND');
  });

  it('refuses to delete an application in use unless confirmed, with the counts', async () => {
    const ctx = await operator();
    const app = await createApplication(ctx, appInput({ type: 'M2M', accessPolicy: 'ANY_ROLE' }));
    const [r1, r2] = await Promise.all([createRole(ctx, roleInput()), createRole(ctx, roleInput())]);
    for (const r of [r1, r2]) await setRoleApplications(ctx, { roleId: r.id, applicationIds: [app.id] });
    const org = await createOrg(db);
    await db.roleAssignment.create({ data: { roleId: r1.id, clientAppId: app.id, orgId: org.id } });

    expect(await getApplicationUsage(ctx, app.id)).toMatchObject({ inUse: true, counts: { roles: 2, assignments: 1 } });
    const refused = await failure(deleteApplication(ctx, { applicationId: app.id, confirm: false }));
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      message: '2 roles are mapped to it; as an M2M client it holds 1 role assignment. Confirm to delete it anyway.',
    });
    expect(await db.application.count({ where: { id: app.id } })).toBe(1);

    await deleteApplication(ctx, { applicationId: app.id, confirm: true });
    expect(await db.roleApplication.count({ where: { applicationId: app.id } })).toBe(0);
    expect(await db.roleAssignment.count({ where: { clientAppId: app.id } })).toBe(0);
    expect((await auditOf(app.id)).at(-1)).toMatchObject({ action: 'application.deleted', before: { clientId: app.clientId, usage: { roles: 2, assignments: 1 } } });
  });

  it('filters by type, searches and paginates', async () => {
    const ctx = await operator();
    const tag = `srch${randomSuffix()}`;
    for (const [n, type] of [['a', 'M2M'], ['b', 'SPA'], ['c', 'M2M'], ['d', 'M2M']] as const) await createApplication(ctx, appInput({ name: `${tag} ${n}`, type }));
    const first = await listApplications(ctx, { q: tag, type: 'M2M', limit: 2 });
    expect(first.items.map((a) => a.name)).toEqual([`${tag} a`, `${tag} c`]);
    const second = await listApplications(ctx, { q: tag, type: 'M2M', limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ name: `${tag} d`, type: 'M2M', roleCount: 0 }], nextCursor: null });
    expect((await listApplications(ctx, { q: tag })).items).toHaveLength(4);
  });
});

describe('audit and mutation share one transaction', () => {
  it('keeps no change when the audit row cannot be written', async () => {
    const ctx = await operator();
    // An actor id that is not a uuid makes the audit insert fail after the change was written.
    const broken: PlatformContext = { ...ctx, user: { ...ctx.user, id: 'not-a-uuid' } };
    const input = apiInput();
    await expect(createApi(broken, input)).rejects.toThrow();
    expect(await db.api.count({ where: { identifier: input.identifier } })).toBe(0);

    const role = await createRole(ctx, roleInput());
    await expect(deleteRole(broken, { roleId: role.id, confirm: true })).rejects.toThrow();
    expect(await db.role.count({ where: { id: role.id } })).toBe(1);
  });
});

describe('usage lookups', () => {
  it('answer null for unknown ids and "Nothing uses it." for unused entries', async () => {
    const ctx = await operator();
    expect(await getRoleUsage(ctx, randomUUID())).toBeNull();
    expect(await getApplicationUsage(ctx, 'nope')).toBeNull();
    const role = await createRole(ctx, roleInput());
    expect(await getRoleUsage(ctx, role.id)).toMatchObject({ inUse: false, summary: 'Nothing uses it.' });
  });
});
