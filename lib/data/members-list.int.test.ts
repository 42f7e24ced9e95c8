import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addMember, createOrg, createUser, randomSuffix } from '@/prisma/factories';
import { orgContext } from '@/tests/contexts';
import { countMembers, listMembers, MEMBER_SORTS, type MemberListParams } from './members';
import { encodeCursor } from './pagination';

type Listed = Awaited<ReturnType<typeof listMembers>>['items'][number];

/** Every page of the list, two at a time, as the members page would walk it. */
async function walk(ctx: Awaited<ReturnType<typeof orgContext>>, params: MemberListParams): Promise<Listed[]> {
  const seen: Listed[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await listMembers(ctx, { ...params, cursor, limit: 2 });
    seen.push(...page.items);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('the pages never ended');
}

const TIER_RANK = { OWNER: 0, ADMIN: 1, EMPLOYEE: 2 } as const;
const nameKey = (m: Listed) => (m.name ?? m.email).toLowerCase();

/** An org of seven with names, sign-ins and tiers that tie, so each sort needs its tie-breakers. */
async function seedOrg() {
  const org = await createOrg(db);
  // No 'a' in the random part of the emails and subs: a suffix holding "ada" made the search for "ADA" match everyone.
  const s = randomSuffix().replaceAll('a', 'z');
  const spec = [
    { name: 'Ada', tier: 'OWNER', login: '2026-11-01T10:00:00.123Z' },
    { name: 'ada', tier: 'EMPLOYEE', login: '2026-11-01T10:00:00.123Z' },
    { name: 'Bea', tier: 'ADMIN', login: null },
    { name: null, tier: 'EMPLOYEE', login: '2026-11-20T08:00:00.000Z' },
    { name: 'Cy', tier: 'EMPLOYEE', login: null },
    { name: 'Dee', tier: 'ADMIN', login: '2026-10-05T00:00:00.000Z' },
    { name: 'Eve', tier: 'OWNER', login: '2026-11-30T23:59:59.999Z' },
  ] as const;
  const users = [];
  for (const [i, m] of spec.entries()) {
    const user = await createUser(db, { email: `m${i}-${s}@example.test`, sub: `auth0|m${i}-${s}` });
    await db.user.update({ where: { id: user.id }, data: { name: m.name, lastLoginAt: m.login ? new Date(m.login) : null } });
    await addMember(db, org.id, user.id, m.tier);
    users.push(user);
  }
  return { org, owner: users[0]!, users };
}

describe('members list: sorts, filters and count', () => {
  it('pages through every sort in both directions without gaps or repeats, in the order it claims', async () => {
    const { org, owner } = await seedOrg();
    const ctx = await orgContext(org, owner);
    for (const sort of MEMBER_SORTS) {
      for (const direction of ['asc', 'desc'] as const) {
        const all = await walk(ctx, { sort, direction });
        expect(all).toHaveLength(7);
        expect(new Set(all.map((m) => m.membershipId)).size).toBe(7);
        const key = (m: Listed): [number, string, string] =>
          sort === 'tier'
            ? [TIER_RANK[m.tier], nameKey(m), m.membershipId]
            : sort === 'last-sign-in'
              ? [m.lastLoginAt ? Date.parse(m.lastLoginAt) : -Infinity, '', m.membershipId]
              : [0, nameKey(m), m.membershipId];
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [key(all[i - 1]!), key(all[i]!)];
          // Names compare in the database's collation; here only the parts JavaScript compares the same way are checked.
          const cmp = a[0] !== b[0] ? Math.sign(a[0] - b[0]) : 0;
          if (cmp !== 0) expect(cmp, `${sort} ${direction} at ${i}`).toBe(direction === 'asc' ? -1 : 1);
        }
      }
    }
    // Owners first by tier; the newest sign-in first by last sign-in (the default direction), never-signed-in last.
    expect((await listMembers(ctx, { sort: 'tier' })).items.slice(0, 2).map((m) => m.tier)).toEqual(['OWNER', 'OWNER']);
    const byLogin = (await listMembers(ctx, { sort: 'last-sign-in' })).items;
    expect(byLogin.map((m) => m.name)).toEqual(['Eve', null, ...byLogin.slice(2, 4).map((m) => m.name), 'Dee', ...byLogin.slice(5).map((m) => m.name)]);
    expect(byLogin.slice(5).every((m) => m.lastLoginAt === null)).toBe(true);
    expect(new Set(byLogin.slice(2, 4).map((m) => m.name))).toEqual(new Set(['Ada', 'ada']));
  });

  it('filters by tier and by a role held here, and counts the members and the matches', async () => {
    const { org, owner, users } = await seedOrg();
    const ctx = await orgContext(org, owner);
    const role = await db.role.create({ data: { key: `role-${randomSuffix()}`, name: 'Filter role' } });
    const other = await createOrg(db);
    await addMember(db, other.id, users[4]!.id, 'EMPLOYEE');
    // Held here by two members; an expired grant and a grant in another org do not count.
    await db.roleAssignment.createMany({
      data: [
        { roleId: role.id, userId: users[1]!.id, orgId: org.id },
        { roleId: role.id, userId: users[2]!.id, orgId: org.id },
        { roleId: role.id, userId: users[3]!.id, orgId: org.id, expiresAt: new Date(Date.now() - 60_000) },
        { roleId: role.id, userId: users[4]!.id, orgId: other.id },
      ],
    });
    const admins = await walk(ctx, { tier: 'ADMIN' });
    expect(admins.map((m) => m.name).sort()).toEqual(['Bea', 'Dee']);
    const holders = await walk(ctx, { roleId: role.id, sort: 'tier' });
    expect(holders.map((m) => m.userId)).toEqual([users[2]!.id, users[1]!.id]);
    expect(await walk(ctx, { roleId: role.id, tier: 'OWNER' })).toEqual([]);
    expect(await countMembers(ctx, { tier: 'EMPLOYEE' })).toEqual({ total: 7, matching: 3 });
    expect(await countMembers(ctx, { q: 'ADA' })).toEqual({ total: 7, matching: 2 });
    // In the other org the role filter finds only the grant made there; the count is that org's own.
    const otherOwner = await createUser(db);
    await addMember(db, other.id, otherOwner.id, 'OWNER');
    const otherCtx = await orgContext(other, otherOwner);
    expect((await listMembers(otherCtx, { roleId: role.id })).items.map((m) => m.userId)).toEqual([users[4]!.id]);
    expect(await countMembers(otherCtx, {})).toEqual({ total: 2, matching: 2 });
  });

  it('treats a forged or another sort’s cursor as page one, and a search with LIKE wildcards as text', async () => {
    const { org, owner } = await seedOrg();
    const ctx = await orgContext(org, owner);
    const first = await listMembers(ctx, { sort: 'last-sign-in', limit: 3 });
    for (const cursor of [encodeCursor({ k: 'not a date', id: crypto.randomUUID() }), encodeCursor({ t: 'x' }), 'garbage']) {
      expect((await listMembers(ctx, { sort: 'last-sign-in', cursor, limit: 3 })).items).toEqual(first.items);
    }
    // A name cursor under the tier sort lacks the tier rank: page one again.
    const nameCursor = (await listMembers(ctx, { sort: 'name', limit: 2 })).nextCursor!;
    expect((await listMembers(ctx, { sort: 'tier', cursor: nameCursor, limit: 2 })).items).toEqual((await listMembers(ctx, { sort: 'tier', limit: 2 })).items);
    expect((await listMembers(ctx, { q: '%' })).items).toEqual([]);
  });
});
