import { describe, expect, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import type { LoadedCatalog } from '@/lib/access/load';
import { db } from '@/lib/db';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';
import { DashboardRangeParam, getPlatformDashboard, rangeDays } from './platform-dashboard';
import { countReach, getOrgReach } from './platform-reach';

async function staff(): Promise<PlatformContext> {
  const u = await createUser(db, { platformRole: 'STAFF' });
  return {
    user: { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole: 'STAFF', blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole: 'STAFF' },
  };
}

const today = () => new Date().toISOString().slice(0, 10);

describe('the rollups the dashboard reads, kept by triggers', () => {
  it('count sign-ins (not refreshes) per org and per application per UTC day, and an org’s last sign-in', async () => {
    const org = await createOrg(db);
    const user = await createUser(db);
    const clientId = `client-${randomSuffix()}`;
    const at = new Date('2026-11-20T23:59:00Z');
    // One statement with several rows (the trigger aggregates per statement), and one row on its own.
    await db.loginEvent.createMany({
      data: [
        { userId: user.id, orgId: org.id, clientId, at },
        { userId: user.id, orgId: org.id, clientId, at: new Date('2026-11-21T00:00:01Z') },
        { userId: user.id, orgId: org.id, clientId, at, kind: 'REFRESH' },
      ],
    });
    await db.loginEvent.create({ data: { userId: user.id, orgId: org.id, clientId, at } });
    const orgDays = await db.orgSignInDay.findMany({ where: { orgId: org.id }, orderBy: { day: 'asc' } });
    expect(orgDays.map((d) => [d.day.toISOString().slice(0, 10), d.signIns])).toEqual([
      ['2026-11-20', 2],
      ['2026-11-21', 1],
    ]);
    const clientDays = await db.clientSignInDay.findMany({ where: { clientId }, orderBy: { day: 'asc' } });
    expect(clientDays.map((d) => d.signIns)).toEqual([2, 1]);
    const stats = await db.orgStats.findUniqueOrThrow({ where: { orgId: org.id } });
    expect(stats.lastSignInAt?.toISOString()).toBe('2026-11-21T00:00:01.000Z');
  });

  it('keep each org’s member count through adds and removals, and go with the org', async () => {
    const org = await createOrg(db);
    const users = await Promise.all([createUser(db), createUser(db), createUser(db)]);
    await db.membership.createMany({ data: users.map((u) => ({ orgId: org.id, userId: u.id, tier: 'EMPLOYEE' as const })) });
    expect((await db.orgStats.findUniqueOrThrow({ where: { orgId: org.id } })).members).toBe(3);
    await db.membership.delete({ where: { orgId_userId: { orgId: org.id, userId: users[0]!.id } } });
    await db.user.delete({ where: { id: users[1]!.id } });
    expect((await db.orgStats.findUniqueOrThrow({ where: { orgId: org.id } })).members).toBe(1);
    await db.org.delete({ where: { id: org.id } });
    expect(await db.orgStats.findUnique({ where: { orgId: org.id } })).toBeNull();
  });

  it('count orgs and users created and deleted, invitations sent and accepted, per day (exact within one snapshot)', async () => {
    // Repeatable read: other test files' inserts stay invisible, so the differences are exactly ours.
    const counts = (tx: typeof db) =>
      tx.$queryRaw<{ metric: string; n: number }[]>`
        SELECT metric, n FROM platform_daily_counts WHERE day = (now() AT TIME ZONE 'UTC')::date`.then(
        (rows) => Object.fromEntries(rows.map((r) => [r.metric, r.n])) as Record<string, number | undefined>,
      );
    const diff = await db
      .$transaction(
        async (tx) => {
          const before = await counts(tx as typeof db);
          const org = await createOrg(tx as typeof db);
          const [u1, u2] = await Promise.all([createUser(tx as typeof db), createUser(tx as typeof db)]);
          await tx.user.delete({ where: { id: u2.id } });
          const inv = await tx.invitation.create({
            data: { orgId: org.id, email: `x-${randomSuffix()}@example.test`, tier: 'EMPLOYEE', tokenHash: 'a'.repeat(64).replace(/^a{10}/, randomSuffix(5)), expiresAt: new Date(Date.now() + 86_400_000) },
          });
          await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: new Date(), acceptedById: u1.id } });
          await tx.invitation.update({ where: { id: inv.id }, data: { sendCount: 2 } }); // not a second acceptance
          const after = await counts(tx as typeof db);
          const d = Object.fromEntries(
            ['orgs_created', 'users_created', 'users_deleted', 'invitations_sent', 'invitations_accepted'].map((m) => [m, (after[m] ?? 0) - (before[m] ?? 0)]),
          );
          throw Object.assign(new Error('rollback'), { d });
        },
        { isolationLevel: 'RepeatableRead' },
      )
      .catch((e: Error & { d?: Record<string, number> }) => e.d);
    expect(diff).toEqual({ orgs_created: 1, users_created: 2, users_deleted: 1, invitations_sent: 1, invitations_accepted: 1 });
  });
});

describe('the platform dashboard', () => {
  it('reads a range of 7, 30 or 90 days ending today; anything else in the URL means 30', async () => {
    expect(rangeDays(7, new Date('2026-03-02T10:00:00Z'))).toEqual(['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect([DashboardRangeParam.parse('7'), DashboardRangeParam.parse('90'), DashboardRangeParam.parse('31'), DashboardRangeParam.parse(undefined)]).toEqual([7, 90, 30, 30]);
    const d = await getPlatformDashboard(await staff(), 7);
    expect(d.growth).toHaveLength(7);
    expect(d.to).toBe(today());
    expect(d.invitations.map((x) => x.day)).toEqual(rangeDays(7));
  });

  it('stacks every day’s sign-ins so the series add up to the day’s total, and counts new sign-ins', async () => {
    const ctx = await staff();
    const before = await getPlatformDashboard(ctx, 7);
    const org = await createOrg(db);
    const user = await createUser(db);
    await db.loginEvent.createMany({ data: Array.from({ length: 5 }, () => ({ userId: user.id, orgId: org.id, clientId: `fresh-${randomSuffix()}` })) });
    const d = await getPlatformDashboard(ctx, 7);
    const signIns = (x: typeof d) => x.cards.find((c) => c.key === 'signIns')!.value;
    expect(signIns(d) - signIns(before)).toBeGreaterThanOrEqual(5);
    for (const stack of [d.signIns.byApplication, d.signIns.byOrg]) {
      for (const day of stack.days) {
        expect(Object.values(day.values).reduce((s, n) => s + n, 0), day.day).toBe(day.total);
        for (const key of Object.keys(day.values)) expect(stack.series.map((s) => s.key)).toContain(key);
      }
    }
    // Series that name an org link to its detail page.
    for (const s of d.signIns.byOrg.series.filter((x) => x.key !== 'other')) expect(s.href).toBe(`/platform/orgs/${s.key.slice(4)}`);
    expect(d.growth.at(-1)!.orgs).toBe(d.cards.find((c) => c.key === 'orgs')!.total);
  });
});

describe('who can reach which application, counted with decide', () => {
  it('counts members per application: open to every member, role-mapped to holders of the role', () => {
    const role = { id: 'r1', key: 'portal', name: 'Portal', tier: null, permissions: [], applicationIds: ['portal'] };
    const apps = [
      { id: 'open', name: 'Open', clientId: 'open', type: 'SPA' as const, accessPolicy: 'OPEN' as const, roleIds: [] },
      { id: 'portal', name: 'Portal', clientId: 'portal', type: 'SPA' as const, accessPolicy: 'ANY_ROLE' as const, roleIds: ['r1'] },
      { id: 'none', name: 'Nobody', clientId: 'none', type: 'SPA' as const, accessPolicy: 'ANY_ROLE' as const, roleIds: [] },
      { id: 'm2m', name: 'Worker', clientId: 'm2m', type: 'M2M' as const, accessPolicy: 'ANY_ROLE' as const, roleIds: [] },
    ];
    const catalog = { roles: new Map([['r1', role]]), rolesByTier: new Map(), roleList: [role], applications: apps, applicationsByClientId: new Map() } as unknown as LoadedCatalog;
    const reach = countReach(
      [
        { tier: 'EMPLOYEE', roles: [], n: 10 },
        { tier: 'ADMIN', roles: ['r1'], n: 3 },
      ],
      catalog,
    );
    expect(reach.map((r) => [r.name, r.members])).toEqual([
      ['Open', 13],
      ['Portal', 3],
      ['Nobody', 0],
    ]);
  });

  it('for one org, from its members’ live roles; nobody in a suspended org', async () => {
    await ensureBuiltInRoles(db);
    const s = randomSuffix();
    const role = await db.role.create({ data: { key: `reach-${s}`, name: `Reach ${s}` } });
    const app = await db.application.create({
      data: { name: `Reach app ${s}`, type: 'SPA', clientId: `reach-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: role.id }] } },
    });
    const org = await createOrg(db);
    const [a, b, c] = await Promise.all([createUser(db), createUser(db), createUser(db, { blocked: true })]);
    await Promise.all([addMember(db, org.id, a.id, 'EMPLOYEE'), addMember(db, org.id, b.id, 'EMPLOYEE'), addMember(db, org.id, c.id, 'EMPLOYEE')]);
    await db.roleAssignment.createMany({
      data: [
        { roleId: role.id, userId: a.id, orgId: org.id },
        { roleId: role.id, userId: b.id, orgId: org.id, expiresAt: new Date(Date.now() - 1000) },
        { roleId: role.id, userId: c.id, orgId: org.id },
      ],
    });
    const ctx = await staff();
    const count = async () => (await getOrgReach(ctx, org.id)).find((r) => r.applicationId === app.id)?.members;
    expect(await count()).toBe(1);
    await db.org.update({ where: { id: org.id }, data: { suspendedAt: new Date() } });
    expect(await count()).toBe(0);
  });
});
