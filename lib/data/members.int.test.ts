import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { addMember, createUser, ensureBuiltInRoles, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import { changeMemberTier, grantMemberRole, leaveOrg, listMembers, removeMember, revokeMemberRole, transferOwnership } from './members';

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

async function membershipOf(orgId: string, userId: string) {
  return db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId } } });
}

async function customRole() {
  const s = randomSuffix();
  return db.role.create({ data: { key: `role-${s}`, name: `Role ${s}` } });
}

describe('tiers and the hierarchy', () => {
  it('lets an owner promote and demote, and audits each change in the same transaction', async () => {
    const { org, owner, employee } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const m = await membershipOf(org.id, employee.id);
    await changeMemberTier(ctx, { membershipId: m.id, tier: 'ADMIN' });
    expect((await membershipOf(org.id, employee.id)).tier).toBe('ADMIN');
    const events = await db.auditEvent.findMany({ where: { orgId: org.id, action: 'member.tier_changed' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: owner.id, targetId: employee.id, requestId: ctx.requestId });
  });

  it('never lets an admin touch an owner or grant owner', async () => {
    const { org, owner, admin, employee } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, admin);
    const ownerM = await membershipOf(org.id, owner.id);
    const empM = await membershipOf(org.id, employee.id);
    expect(codeOf(await changeMemberTier(ctx, { membershipId: ownerM.id, tier: 'EMPLOYEE' }).catch((e) => e))).toBe('FORBIDDEN');
    expect(codeOf(await changeMemberTier(ctx, { membershipId: empM.id, tier: 'OWNER' }).catch((e) => e))).toBe('FORBIDDEN');
    expect(codeOf(await removeMember(ctx, { membershipId: ownerM.id }).catch((e) => e))).toBe('FORBIDDEN');
    expect(codeOf(await transferOwnership(ctx, { membershipId: empM.id }).catch((e) => e))).toBe('FORBIDDEN');
    // An admin may still manage an employee.
    await changeMemberTier(ctx, { membershipId: empM.id, tier: 'ADMIN' });
    expect((await membershipOf(org.id, owner.id)).tier).toBe('OWNER');
  });

  it('answers not-found for a membership id of another org, and changes nothing there', async () => {
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    const ctx = await orgContext(a.org, a.owner);
    const foreign = await membershipOf(b.org.id, b.employee.id);
    for (const call of [
      () => changeMemberTier(ctx, { membershipId: foreign.id, tier: 'ADMIN' }),
      () => removeMember(ctx, { membershipId: foreign.id }),
      () => transferOwnership(ctx, { membershipId: foreign.id }),
    ]) {
      expect(codeOf(await call().catch((e) => e))).toBe('NOT_FOUND');
    }
    expect(await db.membership.findUnique({ where: { id: foreign.id } })).toMatchObject({ tier: 'EMPLOYEE' });
  });
});

describe('the last owner', () => {
  it('cannot be demoted, removed or leave', async () => {
    const { org, owner } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    expect(codeOf(await changeMemberTier(ctx, { membershipId: ctx.membership.id, tier: 'ADMIN' }).catch((e) => e))).toBe('CONFLICT');
    expect(codeOf(await leaveOrg(ctx).catch((e) => e))).toBe('CONFLICT');
    expect((await membershipOf(org.id, owner.id)).tier).toBe('OWNER');
  });

  it('survives many concurrent demotions and removals: the org always keeps an owner', async () => {
    for (let round = 0; round < 5; round++) {
      const { org, owner } = await seedOrgWithTiers(db);
      // Five owners, each trying to demote or remove every other owner (and themselves) at the same time.
      const owners = [owner];
      for (let i = 0; i < 4; i++) {
        const u = await createUser(db);
        await addMember(db, org.id, u.id, 'OWNER');
        owners.push(u);
      }
      const contexts = await Promise.all(owners.map((o) => orgContext(org, o)));
      const memberships = await Promise.all(owners.map((o) => membershipOf(org.id, o.id)));
      const calls: Promise<unknown>[] = [];
      contexts.forEach((ctx, i) => {
        memberships.forEach((m, j) => {
          if (i === j) {
            calls.push(changeMemberTier(ctx, { membershipId: m.id, tier: 'EMPLOYEE' }).catch((e) => e));
            calls.push(leaveOrg(ctx).catch((e) => e));
          } else {
            calls.push(((i + j) % 2 === 0 ? removeMember(ctx, { membershipId: m.id }) : changeMemberTier(ctx, { membershipId: m.id, tier: 'ADMIN' })).catch((e) => e));
          }
        });
      });
      const results = await Promise.all(calls);
      const owners_left = await db.membership.count({ where: { orgId: org.id, tier: 'OWNER' } });
      expect(owners_left).toBe(1);
      // Every refusal is a clear one: the last owner, or a caller who had already lost the power to act.
      for (const r of results) if (r instanceof Error) expect(['CONFLICT', 'FORBIDDEN', 'NOT_FOUND']).toContain(codeOf(r));
      expect(results.some((r) => r instanceof AppError && r.code === 'CONFLICT')).toBe(true);
    }
  });
});

describe('ownership, leaving and roles', () => {
  it('transfers ownership: the target becomes owner and the caller an admin', async () => {
    const { org, owner, employee } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    await transferOwnership(ctx, { membershipId: (await membershipOf(org.id, employee.id)).id });
    expect((await membershipOf(org.id, employee.id)).tier).toBe('OWNER');
    expect((await membershipOf(org.id, owner.id)).tier).toBe('ADMIN');
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: 'ownership.transferred' } })).toBe(1);
  });

  it('grants and revokes org roles, refuses unknown or built-in roles, and removes roles with the member', async () => {
    const { org, owner, employee } = await seedOrgWithTiers(db);
    const ctx = await orgContext(org, owner);
    const role = await customRole();
    const m = await membershipOf(org.id, employee.id);
    expect((await grantMemberRole(ctx, { membershipId: m.id, roleId: role.id })).changed).toBe(true);
    expect((await grantMemberRole(ctx, { membershipId: m.id, roleId: role.id })).changed).toBe(false);
    // An expired grant is renewed, not duplicated (one row per role, user and org).
    await db.roleAssignment.updateMany({ where: { userId: employee.id, orgId: org.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await grantMemberRole(ctx, { membershipId: m.id, roleId: role.id })).changed).toBe(true);
    expect(await db.roleAssignment.findMany({ where: { userId: employee.id, orgId: org.id } })).toEqual([expect.objectContaining({ expiresAt: null })]);
    const listed = await listMembers(ctx, { q: employee.email });
    expect(listed.items[0]?.roles).toEqual([{ id: role.id, key: role.key, name: role.name }]);

    await ensureBuiltInRoles(db);
    const builtIn = await db.role.findFirstOrThrow({ where: { builtIn: true } });
    expect(codeOf(await grantMemberRole(ctx, { membershipId: m.id, roleId: builtIn.id }).catch((e) => e))).toBe('BAD_INPUT');
    expect(codeOf(await grantMemberRole(ctx, { membershipId: m.id, roleId: crypto.randomUUID() }).catch((e) => e))).toBe('BAD_INPUT');

    expect((await revokeMemberRole(ctx, { membershipId: m.id, roleId: role.id })).changed).toBe(true);
    await grantMemberRole(ctx, { membershipId: m.id, roleId: role.id });
    await removeMember(ctx, { membershipId: m.id });
    expect(await db.roleAssignment.count({ where: { userId: employee.id, orgId: org.id } })).toBe(0);
    expect(await db.membership.count({ where: { orgId: org.id, userId: employee.id } })).toBe(0);
  });

  it('lets a member leave, and keeps their other orgs', async () => {
    const a = await seedOrgWithTiers(db);
    const b = await seedOrgWithTiers(db);
    await addMember(db, b.org.id, a.employee.id, 'ADMIN');
    await leaveOrg(await orgContext(a.org, a.employee));
    expect(await db.membership.count({ where: { userId: a.employee.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { orgId: a.org.id, action: 'member.left' } })).toBe(1);
  });
});
