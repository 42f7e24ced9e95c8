import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { SetPlatformRoleInput } from '@/lib/schemas/platform-users';
import { createUser } from '@/prisma/factories';
import { platformUser } from '@/tests/platform-contexts';
import { setUserBlocked } from './platform-users';
import { listStaff, setPlatformRole } from './staff';

/**
 * Platform roles and the last superadmin. "At least one unblocked superadmin" is a fact about the whole users
 * table, so this file first makes every other superadmin in the (shared) test database an operator: the tests that
 * count superadmins live here, in one file, and run one after another. Other files only make superadmin contexts,
 * not superadmin rows they rely on.
 */

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));
const role = (input: Record<string, unknown>) => SetPlatformRoleInput.parse(input);
const roleOf = async (id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).platformRole;

beforeEach(async () => {
  await db.user.updateMany({ where: { platformRole: 'SUPERADMIN' }, data: { platformRole: 'OPERATOR' } });
});

describe('platform roles', () => {
  it('a superadmin grants and revokes STAFF, OPERATOR and SUPERADMIN, by email or id, each change audited', async () => {
    const { ctx } = await platformUser('SUPERADMIN');
    const person = await createUser(db);
    expect(await setPlatformRole(ctx, role({ email: person.email.toUpperCase(), role: 'STAFF' }))).toMatchObject({ id: person.id, platformRole: 'STAFF', changed: true });
    await setPlatformRole(ctx, role({ userId: person.id, role: 'OPERATOR' }));
    await setPlatformRole(ctx, role({ userId: person.id, role: 'SUPERADMIN' }));
    expect(await roleOf(person.id)).toBe('SUPERADMIN');
    expect((await setPlatformRole(ctx, role({ userId: person.id, role: 'SUPERADMIN' }))).changed).toBe(false);
    await setPlatformRole(ctx, role({ userId: person.id, role: 'NONE' }));
    expect(await roleOf(person.id)).toBe('NONE');
    const events = await db.auditEvent.findMany({ where: { targetId: person.id, action: 'user.platform_role_changed' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [(e.before as { platformRole: string }).platformRole, (e.after as { platformRole: string }).platformRole])).toEqual([
      ['NONE', 'STAFF'],
      ['STAFF', 'OPERATOR'],
      ['OPERATOR', 'SUPERADMIN'],
      ['SUPERADMIN', 'NONE'],
    ]);
    expect(events.every((e) => e.actorId === ctx.user.id && e.requestId === ctx.requestId)).toBe(true);
    // Every page of the list (the test database keeps other runs' staff, so one page of 200 may not reach ours).
    const staff: Awaited<ReturnType<typeof listStaff>>['items'] = [];
    for (let cursor: string | undefined, n = 0; n === 0 || cursor; n++) {
      const page = await listStaff(ctx, { limit: 200, cursor });
      staff.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    }
    expect(staff.some((s) => s.id === ctx.user.id && s.platformRole === 'SUPERADMIN')).toBe(true);
    expect(staff.some((s) => s.id === person.id)).toBe(false);
  });

  it('refuses an operator or staff (even with a forged superadmin context once demoted), and unknown emails', async () => {
    const { ctx: sa } = await platformUser('SUPERADMIN');
    const { user: op } = await platformUser('OPERATOR');
    const person = await createUser(db);
    // The context says superadmin, the database says operator: the database wins under the lock.
    const stale = { ...sa, user: { ...sa.user, id: op.id, email: op.email } };
    expect(codeOf(await setPlatformRole(stale, role({ userId: person.id, role: 'STAFF' })).catch((e) => e))).toBe('FORBIDDEN');
    expect(codeOf(await setPlatformRole(sa, role({ email: `nobody-${person.id}@example.test`, role: 'STAFF' })).catch((e) => e))).toBe('NOT_FOUND');
    expect(await roleOf(person.id)).toBe('NONE');
  });

  it('nobody raises their own platform role', async () => {
    const { ctx: sa } = await platformUser('SUPERADMIN');
    const { user: op } = await platformUser('OPERATOR');
    // Even a superadmin context (a request made just before the operator was demoted from superadmin) cannot.
    await db.user.update({ where: { id: op.id }, data: { platformRole: 'SUPERADMIN' } });
    const self = { ...sa, user: { ...sa.user, id: op.id, email: op.email } };
    await db.user.update({ where: { id: op.id }, data: { platformRole: 'OPERATOR' } });
    expect(codeOf(await setPlatformRole(self, role({ userId: op.id, role: 'SUPERADMIN' })).catch((e) => e))).toBe('FORBIDDEN');
    // A superadmin may lower their own role while another superadmin remains.
    const { ctx: other } = await platformUser('SUPERADMIN');
    await setPlatformRole(other, role({ userId: other.user.id, role: 'STAFF' }));
    expect(await roleOf(other.user.id)).toBe('STAFF');
    expect(await roleOf(sa.user.id)).toBe('SUPERADMIN');
  });

  it('keeps the last superadmin: no demotion, no block, and a blocked superadmin does not count', async () => {
    const { ctx: a } = await platformUser('SUPERADMIN');
    expect(codeOf(await setPlatformRole(a, role({ userId: a.user.id, role: 'OPERATOR' })).catch((e) => e))).toBe('CONFLICT');
    const b = await createUser(db, { platformRole: 'SUPERADMIN', blocked: true });
    expect(codeOf(await setPlatformRole(a, role({ userId: a.user.id, role: 'NONE' })).catch((e) => e))).toBe('CONFLICT');
    // Blocking the other, already blocked superadmin changes nothing; blocking oneself is refused.
    expect((await setUserBlocked(a, { userId: b.id, blocked: true })).changed).toBe(false);
    expect(codeOf(await setUserBlocked(a, { userId: a.user.id, blocked: true }).catch((e) => e))).toBe('FORBIDDEN');
    // Unblock b: now a may step down, and then b is the last one (a cannot block them).
    await setUserBlocked(a, { userId: b.id, blocked: false });
    await setPlatformRole(a, role({ userId: a.user.id, role: 'OPERATOR' }));
    const { ctx: c } = await platformUser('SUPERADMIN');
    await setPlatformRole(c, role({ userId: c.user.id, role: 'STAFF' }));
    expect(await roleOf(b.id)).toBe('SUPERADMIN');
    expect(await db.user.count({ where: { platformRole: 'SUPERADMIN', blockedAt: null } })).toBe(1);
  });

  it('survives concurrent demotions of the last two superadmins: exactly one stays', async () => {
    for (let round = 0; round < 5; round++) {
      await db.user.updateMany({ where: { platformRole: 'SUPERADMIN' }, data: { platformRole: 'OPERATOR' } });
      const [{ ctx: a }, { ctx: b }] = await Promise.all([platformUser('SUPERADMIN'), platformUser('SUPERADMIN')]);
      // Each demotes the other and themselves, and blocks the other, all at once.
      const results = await Promise.all([
        setPlatformRole(a, role({ userId: b.user.id, role: 'OPERATOR' })).catch((e) => e),
        setPlatformRole(b, role({ userId: a.user.id, role: 'STAFF' })).catch((e) => e),
        setPlatformRole(a, role({ userId: a.user.id, role: 'NONE' })).catch((e) => e),
        setPlatformRole(b, role({ userId: b.user.id, role: 'OPERATOR' })).catch((e) => e),
        setUserBlocked(a, { userId: b.user.id, blocked: true }).catch((e) => e),
        setUserBlocked(b, { userId: a.user.id, blocked: true }).catch((e) => e),
      ]);
      const left = await db.user.count({ where: { platformRole: 'SUPERADMIN', blockedAt: null } });
      expect(left, `round ${round}`).toBe(1);
      for (const r of results) if (r instanceof Error) expect(['CONFLICT', 'FORBIDDEN']).toContain(codeOf(r));
      expect(results.some((r) => r instanceof AppError && r.code === 'CONFLICT')).toBe(true);
    }
  });
});
