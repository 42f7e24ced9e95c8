import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';
import { platformUser } from '@/tests/platform-contexts';
import { getPlatformUser, listPlatformUsers, setUserBlocked } from './platform-users';

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));

describe('the platform users list', () => {
  it('searches by email prefix, name prefix and Auth0 subject across every org, ordered by email, keyset-paginated', async () => {
    const { ctx } = await platformUser('STAFF');
    const s = randomSuffix();
    const [orgA, orgB] = await Promise.all([createOrg(db), createOrg(db)]);
    const users = await Promise.all(
      ['c', 'a', 'b', 'e', 'd'].map((l) => createUser(db, { email: `${s}-${l}@example.test`, name: `Person ${l}`, sub: `auth0|${s}-${l}` })),
    );
    await addMember(db, orgA.id, users[0]!.id, 'OWNER');
    await addMember(db, orgB.id, users[1]!.id, 'EMPLOYEE');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPlatformUsers(ctx, { q: s.toUpperCase(), limit: 2, cursor });
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'].map((l) => `${s}-${l}@example.test`));
    // The Auth0 subject, with its `|`, matches subjects only; a `%` or `_` is taken literally.
    expect((await listPlatformUsers(ctx, { q: `auth0|${s}-d` })).items.map((u) => u.email)).toEqual([`${s}-d@example.test`]);
    expect((await listPlatformUsers(ctx, { q: `${s}%` })).items).toEqual([]);
    expect((await listPlatformUsers(ctx, { q: `${s}_a` })).items).toEqual([]);
    // Name prefix, case-insensitive.
    const named = await createUser(db, { name: `Zelda ${s}` });
    expect((await listPlatformUsers(ctx, { q: `zelda ${s}` })).items.map((u) => u.id)).toEqual([named.id]);
    // A forged cursor is the first page, never an error.
    expect((await listPlatformUsers(ctx, { q: s, cursor: 'eyJrIjoxfQ' })).items).toHaveLength(5);
  });

  it('filters by platform role, blocked, number of orgs and never signed in', async () => {
    const { ctx } = await platformUser('STAFF');
    const s = randomSuffix();
    const [org1, org2] = await Promise.all([createOrg(db), createOrg(db)]);
    const mk = (l: string, o: Parameters<typeof createUser>[1] = {}) => createUser(db, { email: `${s}-${l}@example.test`, ...o });
    const none = await mk('none');
    const one = await mk('one');
    const two = await mk('two');
    const op = await mk('op', { platformRole: 'OPERATOR' });
    const blocked = await mk('blocked', { blocked: true });
    await addMember(db, org1.id, one.id, 'EMPLOYEE');
    await addMember(db, org1.id, two.id, 'EMPLOYEE');
    await addMember(db, org2.id, two.id, 'ADMIN');
    await db.user.update({ where: { id: one.id }, data: { lastLoginAt: new Date() } });
    const ids = async (f: Parameters<typeof listPlatformUsers>[1]) => (await listPlatformUsers(ctx, { q: s, ...f })).items.map((u) => u.id).sort();
    expect(await ids({ role: 'OPERATOR' })).toEqual([op.id]);
    expect(await ids({ role: 'any' })).toEqual([op.id]);
    expect(await ids({ status: 'blocked' })).toEqual([blocked.id]);
    expect(await ids({ orgs: '0' })).toEqual([none.id, op.id, blocked.id].sort());
    expect(await ids({ orgs: '1' })).toEqual([one.id]);
    expect(await ids({ orgs: '2+' })).toEqual([two.id]);
    expect((await ids({ never: true })).includes(one.id)).toBe(false);
    expect(await ids({ never: true, orgs: '2+' })).toEqual([two.id]);
    const listed = (await listPlatformUsers(ctx, { q: `${s}-two` })).items[0]!;
    expect(listed).toMatchObject({ orgs: 2, blocked: false, platformRole: 'NONE' });
  });
});

describe('a user in detail', () => {
  it('shows every membership with tier and roles, global roles, what they reach in each org and why, and last sign-ins', async () => {
    await ensureBuiltInRoles(db);
    const { ctx } = await platformUser('STAFF');
    const s = randomSuffix();
    const portal = await db.role.create({ data: { key: `portal-${s}`, name: `Portal ${s}` } });
    const auditor = await db.role.create({ data: { key: `auditor-${s}`, name: `Auditor ${s}` } });
    const app = await db.application.create({
      data: { name: `Portal app ${s}`, type: 'REGULAR_WEB', clientId: `portal-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: portal.id }] } },
    });
    const [orgA, orgB] = await Promise.all([createOrg(db), createOrg(db)]);
    const u = await createUser(db);
    await addMember(db, orgA.id, u.id, 'ADMIN');
    await addMember(db, orgB.id, u.id, 'EMPLOYEE');
    await db.roleAssignment.createMany({
      data: [
        { roleId: portal.id, userId: u.id, orgId: orgA.id },
        { roleId: auditor.id, userId: u.id, orgId: null },
      ],
    });
    await db.loginEvent.create({ data: { userId: u.id, orgId: orgA.id, clientId: app.clientId } });
    const detail = (await getPlatformUser(ctx, u.id))!;
    expect(detail.email).toBe(u.email);
    expect(detail.globalRoles.map((r) => r.key)).toEqual([auditor.key]);
    const a = detail.memberships.find((m) => m.orgId === orgA.id)!;
    const b = detail.memberships.find((m) => m.orgId === orgB.id)!;
    expect([a.tier, b.tier]).toEqual(['ADMIN', 'EMPLOYEE']);
    expect(a.roles.map((r) => r.key)).toEqual([portal.key]);
    const reachA = a.reach.find((r) => r.applicationId === app.id)!;
    const reachB = b.reach.find((r) => r.applicationId === app.id)!;
    expect(reachA).toMatchObject({ allow: true, code: 'granted_by_role' });
    // Reasons in the console name roles by their names (issue #16), not their keys.
    expect(reachA.message).toBe(`Allowed by the role ${portal.name}.`);
    expect(reachB).toMatchObject({ allow: false, code: 'missing_role' });
    expect(detail.lastSignIns[0]).toMatchObject({ org: { id: orgA.id, name: orgA.name }, application: { id: app.id, name: app.name } });
    expect(await getPlatformUser(ctx, 'not-a-uuid')).toBeNull();
    expect(await getPlatformUser(ctx, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});

describe('blocking', () => {
  it('blocks and unblocks a user, audited, ending their sessions; nobody blocks themselves', async () => {
    // A superadmin context over a staff row: this file leaves the superadmin count to staff.int.test.ts.
    const { ctx } = await platformUser('SUPERADMIN', { rowRole: 'STAFF' });
    const u = await createUser(db);
    await db.session.create({ data: { id: `s-${randomSuffix()}`, sub: u.sub, data: {}, expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(await setUserBlocked(ctx, { userId: u.id, blocked: true })).toEqual({ id: u.id, blocked: true, changed: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).blockedAt).not.toBeNull();
    expect(await db.session.count({ where: { sub: u.sub } })).toBe(0);
    expect((await setUserBlocked(ctx, { userId: u.id, blocked: true })).changed).toBe(false);
    await setUserBlocked(ctx, { userId: u.id, blocked: false });
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).blockedAt).toBeNull();
    const events = await db.auditEvent.findMany({ where: { targetId: u.id, action: { in: ['user.blocked', 'user.unblocked'] } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['user.blocked', 'user.unblocked']);
    expect(events.every((e) => e.actorId === ctx.user.id && e.orgId === null)).toBe(true);
    expect(codeOf(await setUserBlocked(ctx, { userId: ctx.user.id, blocked: true }).catch((e) => e))).toBe('FORBIDDEN');
    expect(codeOf(await setUserBlocked(ctx, { userId: '00000000-0000-4000-8000-000000000000', blocked: true }).catch((e) => e))).toBe('NOT_FOUND');
  });
});
