import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { addMember, createUser, randomSuffix, seedOrgWithTiers, ensureBuiltInRoles } from '@/prisma/factories';
import { MatrixFilters } from '@/lib/schemas/matrix';
import { orgContext } from '@/tests/contexts';
import { grantFromOrgMatrix, grantFromPlatformMatrix, listOrgMatrix, listPlatformMatrix, revokeFromOrgMatrix, revokeFromPlatformMatrix } from './matrix';

const filters = (f: Partial<MatrixFilters> = {}) => MatrixFilters.parse({ ...f });
const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

async function appWithRole(policy: 'ANY_ROLE' | 'OPEN' = 'ANY_ROLE') {
  const s = randomSuffix();
  const role = await db.role.create({ data: { key: `matrix-${s}`, name: `Matrix role ${s}` } });
  const app = await db.application.create({
    data: { name: `App ${s}`, type: 'SPA', clientId: `client${s}`.padEnd(12, 'x'), accessPolicy: policy, roles: { create: [{ roleId: role.id }] } },
  });
  return { role, app };
}

describe('the access matrix', () => {
  it('shows each member against each application with the reason, and grants and revokes from a cell', async () => {
    await ensureBuiltInRoles(db);
    const { org, owner, employee } = await seedOrgWithTiers(db);
    const { role, app } = await appWithRole();
    const ctx = await orgContext(org, owner);
    const col = async () => {
      const page = await listOrgMatrix(ctx, filters({ q: employee.email }));
      const i = page.columns.findIndex((c) => c.id === app.id);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(page.columns[i]!.grantableRoles).toEqual([{ id: role.id, key: role.key, name: role.name }]);
      return page.rows[0]!.cells[i]!;
    };
    expect(await col()).toMatchObject({ allow: false, code: 'missing_role', revocable: [] });

    await grantFromOrgMatrix(ctx, { userId: employee.id, roleId: role.id });
    const granted = await col();
    expect(granted).toMatchObject({ allow: true, code: 'granted_by_role', revocable: [{ roleKey: role.key, scope: 'org' }] });
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: 'member.roles_changed' } })).toBe(1);

    await revokeFromOrgMatrix(ctx, { assignmentId: granted.revocable[0]!.assignmentId });
    expect(await col()).toMatchObject({ allow: false, code: 'missing_role' });
    const audited = await db.auditEvent.count({ where: { orgId: org.id } });

    // A second click on a stale cell (the assignment is already gone): a typed not-found, nothing written.
    expect(codeOf(await revokeFromOrgMatrix(ctx, { assignmentId: granted.revocable[0]!.assignmentId }).catch((e) => e))).toBe('NOT_FOUND');
    expect(await db.auditEvent.count({ where: { orgId: org.id } })).toBe(audited);
  });

  it('answers a platform revoke of an assignment that is already gone with NOT_FOUND, writing nothing', async () => {
    await ensureBuiltInRoles(db);
    const { org, employee } = await seedOrgWithTiers(db);
    const { role } = await appWithRole();
    const staff = await createUser(db, { platformRole: 'OPERATOR' });
    const platform = { user: { id: staff.id, sub: staff.sub, email: staff.email, name: staff.name, platformRole: 'OPERATOR' as const, blocked: false }, requestId: `req-${randomSuffix()}`, actor: { platformRole: 'OPERATOR' as const } };
    await grantFromPlatformMatrix(platform, { subject: 'users', subjectId: employee.id, roleId: role.id, orgSlug: org.slug });
    const row = await db.roleAssignment.findFirstOrThrow({ where: { userId: employee.id, roleId: role.id, orgId: org.id } });
    await revokeFromPlatformMatrix(platform, { assignmentId: row.id });
    const audited = await db.auditEvent.count({ where: { actorId: staff.id } });
    expect(codeOf(await revokeFromPlatformMatrix(platform, { assignmentId: row.id }).catch((e) => e))).toBe('NOT_FOUND');
    expect(await db.auditEvent.count({ where: { actorId: staff.id } })).toBe(audited);
  });

  it('refuses non-members, built-in roles and assignments of another org, changing nothing', async () => {
    await ensureBuiltInRoles(db);
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const { role } = await appWithRole();
    const ctx = await orgContext(a.org, a.owner);
    expect(codeOf(await grantFromOrgMatrix(ctx, { userId: b.employee.id, roleId: role.id }).catch((e) => e))).toBe('NOT_FOUND');
    const builtIn = await db.role.findFirstOrThrow({ where: { builtIn: true } });
    expect(codeOf(await grantFromOrgMatrix(ctx, { userId: a.employee.id, roleId: builtIn.id }).catch((e) => e))).toBe('BAD_INPUT');
    const foreign = await db.roleAssignment.create({ data: { roleId: role.id, userId: b.employee.id, orgId: b.org.id } });
    expect(codeOf(await revokeFromOrgMatrix(ctx, { assignmentId: foreign.id }).catch((e) => e))).toBe('NOT_FOUND');
    expect(await db.roleAssignment.findUnique({ where: { id: foreign.id } })).not.toBeNull();
  });

  it('pages by name and by last sign-in without gaps or repeats, and filters by text and role', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    const tag = randomSuffix();
    const users = [];
    for (let i = 0; i < 7; i++) {
      const u = await createUser(db, { name: `Pager ${tag} ${String.fromCharCode(97 + ((i * 3) % 7))}` });
      await addMember(db, org.id, u.id, 'EMPLOYEE');
      if (i % 2 === 0) await db.user.update({ where: { id: u.id }, data: { lastLoginAt: new Date(Date.now() - i * 60_000) } });
      users.push(u);
    }
    const ctx = await orgContext(org, owner);
    for (const sort of ['name', 'last_sign_in'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listOrgMatrix(ctx, filters({ q: tag, sort, limit: 3, cursor }));
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(7);
      expect(seen).toHaveLength(7);
      if (sort === 'name') {
        const labels = (await db.user.findMany({ where: { id: { in: seen } } })).map((u) => u.name!.toLowerCase()).sort();
        const byId = new Map((await db.user.findMany({ where: { id: { in: seen } } })).map((u) => [u.id, u.name!.toLowerCase()]));
        expect(seen.map((id) => byId.get(id))).toEqual(labels);
      } else {
        const logins = await db.user.findMany({ where: { id: { in: seen } } });
        const at = new Map(logins.map((u) => [u.id, u.lastLoginAt?.getTime() ?? -Infinity]));
        const times = seen.map((id) => at.get(id)!);
        expect(times).toEqual([...times].sort((x, y) => y - x));
      }
    }
    const { role } = await appWithRole();
    await grantFromOrgMatrix(ctx, { userId: users[3]!.id, roleId: role.id });
    const filtered = await listOrgMatrix(ctx, filters({ roleId: role.id }));
    expect(filtered.rows.map((r) => r.id)).toEqual([users[3]!.id]);
  });

  it('allows an M2M client with a role in org A and denies it in org B, in the clients tab', async () => {
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const s = randomSuffix();
    const api = await db.api.create({ data: { identifier: `https://api-${s}.test`, name: `API ${s}`, permissions: { create: [{ value: 'read:reports' }] } } });
    const role = await db.role.create({
      data: { key: `reports-${s}`, name: 'Reports', permissions: { create: [{ permissionId: (await db.permission.findFirstOrThrow({ where: { apiId: api.id } })).id }] } },
    });
    const client = await db.application.create({ data: { name: `Worker ${s}`, type: 'M2M', clientId: `m2m${s}`.padEnd(12, 'x') } });
    const operator = await createUser(db, { platformRole: 'OPERATOR' });
    const pctx = { user: { id: operator.id, sub: operator.sub, email: operator.email, name: operator.name, platformRole: 'OPERATOR' as const, blocked: false }, requestId: 'r', actor: { platformRole: 'OPERATOR' as const } };
    await grantFromPlatformMatrix(pctx, { subject: 'clients', subjectId: client.id, roleId: role.id, orgSlug: a.org.slug });

    const inA = await listPlatformMatrix(pctx, { ...filters({ subjects: 'clients', q: s }), orgSlug: a.org.slug });
    const i = inA.columns.findIndex((c) => c.id === api.identifier);
    expect(inA.rows.map((r) => r.id)).toEqual([client.id]);
    expect(inA.rows[0]!.cells[i]).toMatchObject({ allow: true, code: 'granted_by_role' });
    const inB = await listPlatformMatrix(pctx, { ...filters({ subjects: 'clients', q: s }), orgSlug: b.org.slug });
    expect(inB.rows[0]!.cells[i]).toMatchObject({ allow: false, code: 'missing_permission' });
    const everywhere = await listPlatformMatrix(pctx, filters({ subjects: 'clients', q: s }));
    expect(everywhere.rows[0]!.cells[i]).toMatchObject({ allow: false, code: 'missing_permission' });
    expect(codeOf(await listPlatformMatrix(pctx, { ...filters(), orgSlug: `nope-${s}` }).catch((e) => e))).toBe('BAD_INPUT');
  });
});
