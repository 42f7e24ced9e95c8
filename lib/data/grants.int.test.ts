import { describe, expect, it } from 'vitest';
import { can } from '@/lib/authz/policy';
import { ORG_ACTION_POLICY, type OrgActionName } from '@/lib/authz/surface';
import type { OrgContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { ensureBuiltInRoles, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import { listImportRows, requestRun, runImport } from '@/lib/provisioning/import/jobs';
import { scopeOf, startImport } from './imports';
import { grantFromOrgMatrix, revokeFromOrgMatrix } from './matrix';
import { changeMemberTier, grantMemberRole, removeMember, revokeMemberRole, transferOwnership } from './members';

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

async function customRole() {
  const s = randomSuffix();
  return db.role.create({ data: { key: `grant-${s}`, name: `Grant ${s}` } });
}

/** An org whose owner holds one org role (`held`) and lacks another (`other`). */
async function ownerWithRoles() {
  await ensureBuiltInRoles(db);
  const seeded = await seedOrgWithTiers(db);
  const [held, other] = await Promise.all([customRole(), customRole()]);
  const heldRow = await db.roleAssignment.create({ data: { roleId: held.id, userId: seeded.owner.id, orgId: seeded.org.id } });
  const ownerM = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: seeded.org.id, userId: seeded.owner.id } } });
  return { ...seeded, held, other, heldRow, ownerM };
}
type Fixture = Awaited<ReturnType<typeof ownerWithRoles>>;

/**
 * Every org action, by its name in the policy table, called by `ctx` on the owner of the fixture — or null for the
 * actions that do not act on another member. A Record over every OrgActionName: a new action does not compile until
 * it is classified here, so the "admin acts on an owner" cases below cannot miss one.
 */
const ON_MEMBER: Record<OrgActionName, ((ctx: OrgContext, f: Fixture) => Promise<unknown>) | null> = {
  saveOrgSettings: null,
  inviteMembers: null,
  resendInvitation: null,
  revokeInvitation: null,
  leaveOrg: null,
  grantFromOrgMatrix: (ctx, f) => grantFromOrgMatrix(ctx, { userId: f.owner.id, roleId: f.other.id }),
  revokeFromOrgMatrix: (ctx, f) => revokeFromOrgMatrix(ctx, { assignmentId: f.heldRow.id }),
  changeMemberTier: (ctx, f) => changeMemberTier(ctx, { membershipId: f.ownerM.id, tier: 'EMPLOYEE' }),
  grantMemberRole: (ctx, f) => grantMemberRole(ctx, { membershipId: f.ownerM.id, roleId: f.other.id }),
  revokeMemberRole: (ctx, f) => revokeMemberRole(ctx, { membershipId: f.ownerM.id, roleId: f.held.id }),
  removeMember: (ctx, f) => removeMember(ctx, { membershipId: f.ownerM.id }),
  transferOwnership: null,
  startOrgImport: null,
  cancelOrgImport: null,
  // The import refuses per row (the report says why) rather than failing the job: a refused row counts as FORBIDDEN here.
  runOrgImport: async (ctx, f) => {
    const job = await startImport(ctx, new File([`email,roles\n${f.owner.email},${f.other.key}\n`], 'owner.csv'));
    await requestRun(db, job.id, scopeOf(ctx), { requestId: ctx.requestId }, async () => {});
    await runImport(db, job.id);
    const [row] = (await listImportRows(db, job.id)).items;
    if (row?.outcome === 'error') throw new AppError('FORBIDDEN', row.message);
  },
};

async function ownerState(f: Fixture) {
  const [membership, assignments, events] = await Promise.all([
    db.membership.findUnique({ where: { id: f.ownerM.id }, select: { tier: true } }),
    db.roleAssignment.findMany({ where: { userId: f.owner.id, orgId: f.org.id }, select: { id: true, roleId: true }, orderBy: { id: 'asc' } }),
    // An import's own job events (import.started / import.finished) describe the job, not a change to the member.
    db.auditEvent.count({ where: { orgId: f.org.id, NOT: { action: { startsWith: 'import.' } } } }),
  ]);
  return { membership, assignments, events };
}

// The actions an admin holds the permission for, among those that act on a member: derived from the policy table.
const adminActions = (Object.keys(ORG_ACTION_POLICY) as OrgActionName[]).filter(
  (name) => ON_MEMBER[name] !== null && can({ platformRole: 'NONE', tier: 'ADMIN' }, ORG_ACTION_POLICY[name]),
);

describe('one authorization path for every change to a member', () => {
  it('covers every action that changes a member and that an admin may call', () => {
    expect(adminActions).toEqual(expect.arrayContaining(['grantFromOrgMatrix', 'revokeFromOrgMatrix', 'grantMemberRole', 'revokeMemberRole']));
  });

  it.each(adminActions)('refuses an admin acting on an owner through %s, changing nothing', async (name) => {
    const f = await ownerWithRoles();
    const before = await ownerState(f);
    const ctx = await orgContext(f.org, f.admin);
    expect(codeOf(await ON_MEMBER[name]!(ctx, f).catch((e) => e))).toBe('FORBIDDEN');
    expect(await ownerState(f)).toEqual(before);
  });

  it.each(adminActions)('lets an owner act on an owner through %s (the refusal above is the tier rule, not the fixture)', async (name) => {
    const f = await ownerWithRoles();
    const second = await db.user.create({ data: { sub: `auth0|${randomSuffix()}`, email: `o2-${randomSuffix()}@example.test` } });
    await db.membership.create({ data: { orgId: f.org.id, userId: second.id, tier: 'OWNER' } });
    const ctx = await orgContext(f.org, second);
    const before = await ownerState(f);
    await ON_MEMBER[name]!(ctx, f);
    expect(await ownerState(f)).not.toEqual(before);
  });

  it('transferOwnership stays an owner-only power (admins lack ownership:transfer)', async () => {
    const f = await ownerWithRoles();
    const ctx = await orgContext(f.org, f.admin);
    const emp = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: f.org.id, userId: f.employee.id } } });
    expect(codeOf(await transferOwnership(ctx, { membershipId: emp.id }).catch((e) => e))).toBe('FORBIDDEN');
  });
});

describe('no orphan org-scoped role', () => {
  it('refuses an org-scoped assignment for a non-member in the database (composite foreign key)', async () => {
    await ensureBuiltInRoles(db);
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const role = await customRole();
    const err = await db.roleAssignment.create({ data: { roleId: role.id, userId: b.employee.id, orgId: a.org.id } }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    // Global and client rows have a NULL column and are not checked (MATCH SIMPLE).
    await db.roleAssignment.create({ data: { roleId: role.id, userId: b.employee.id, orgId: null } });
  });

  it('cascades a member’s org roles with the membership', async () => {
    const f = await ownerWithRoles();
    await db.roleAssignment.create({ data: { roleId: f.other.id, userId: f.employee.id, orgId: f.org.id } });
    await db.membership.delete({ where: { orgId_userId: { orgId: f.org.id, userId: f.employee.id } } });
    expect(await db.roleAssignment.count({ where: { userId: f.employee.id, orgId: f.org.id } })).toBe(0);
  });

  it('leaves zero orphans when many grants race a removal, and the losers answer a typed error', async () => {
    const f = await ownerWithRoles();
    const ctx = await orgContext(f.org, f.owner);
    const roles = await Promise.all(Array.from({ length: 12 }, () => customRole()));
    const target = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: f.org.id, userId: f.employee.id } } });
    const grants = roles.map((r, i) =>
      i % 2 === 0
        ? grantMemberRole(ctx, { membershipId: target.id, roleId: r.id })
        : grantFromOrgMatrix(ctx, { userId: f.employee.id, roleId: r.id }),
    );
    const removal = removeMember(ctx, { membershipId: target.id });
    const results = await Promise.allSettled([...grants, removal]);
    expect(results.at(-1)!.status).toBe('fulfilled');
    for (const r of results.slice(0, -1)) {
      if (r.status === 'rejected') expect(['NOT_FOUND', 'CONFLICT']).toContain(codeOf(r.reason));
    }
    const orphans = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM role_assignments a
      WHERE a.org_id IS NOT NULL AND a.user_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = a.org_id AND m.user_id = a.user_id)`;
    expect(Number(orphans[0]!.n)).toBe(0);
    expect(await db.roleAssignment.count({ where: { userId: f.employee.id, orgId: f.org.id } })).toBe(0);
  });
});
