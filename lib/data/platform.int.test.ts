import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { db, getDb } from '@/lib/db';
import { createUser } from '@/prisma/factories';
import { userContext } from '@/tests/contexts';
import { recordPlatformView } from './platform';

async function staff(): Promise<PlatformContext> {
  const user = await createUser(db, { platformRole: 'STAFF' });
  const base = userContext(user);
  return { ...base, user: { ...base.user, platformRole: 'STAFF' }, actor: { platformRole: 'STAFF' } };
}

const viewsOf = (ctx: PlatformContext) =>
  db.auditEvent.findMany({ where: { actorId: ctx.user.id, action: 'platform.viewed' }, select: { targetId: true, after: true }, orderBy: { id: 'asc' } });

describe('staff looks at tenant data are recorded, debounced', () => {
  it('records a platform page viewed twice quickly once', async () => {
    const ctx = await staff();
    expect(await recordPlatformView(ctx, '/platform/orgs')).toBe(true);
    expect(await recordPlatformView(ctx, '/platform/orgs')).toBe(false);
    expect(await viewsOf(ctx)).toEqual([{ targetId: '/platform/orgs', after: { path: '/platform/orgs', filter: {} } }]);
  });

  it('records a different filter as another look, and a scrolled matrix (only the cursor changes) as one', async () => {
    const ctx = await staff();
    await recordPlatformView(ctx, '/platform/matrix/rows?org=acme&subjects=users');
    await recordPlatformView(ctx, '/platform/matrix/rows?subjects=users&org=acme&cursor=abc&limit=100');
    await recordPlatformView(ctx, '/platform/matrix/rows?org=globex&subjects=users');
    expect((await viewsOf(ctx)).map((e) => e.targetId)).toEqual([
      '/platform/matrix/rows?org=acme&subjects=users',
      '/platform/matrix/rows?org=globex&subjects=users',
    ]);
  });

  it('records a CSV export with its filter', async () => {
    const ctx = await staff();
    await recordPlatformView(ctx, '/platform/matrix/export?org=acme&q=ann');
    expect(await viewsOf(ctx)).toEqual([
      { targetId: '/platform/matrix/export?org=acme&q=ann', after: { path: '/platform/matrix/export', filter: { org: 'acme', q: 'ann' } } },
    ]);
  });

  it('writes one event when the same look arrives concurrently (the debounce holds across instances)', async () => {
    const ctx = await staff();
    await Promise.all(Array.from({ length: 8 }, () => recordPlatformView(ctx, '/platform/users?q=x')));
    expect(await viewsOf(ctx)).toHaveLength(1);
  });

  it('records the look again once the window has passed', async () => {
    const ctx = await staff();
    await recordPlatformView(ctx, '/platform/audit');
    // Audit rows are append-only; a look recorded 6 minutes ago is written as such rather than aged afterwards.
    await db.auditEvent.create({
      data: { actorType: 'user', actorId: ctx.user.id, action: 'platform.viewed', targetType: 'platform_view', targetId: '/platform/apis', at: new Date(Date.now() - 6 * 60_000) },
    });
    expect(await recordPlatformView(ctx, '/platform/apis')).toBe(true);
  });
});

describe('a look this process knows is recorded', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** Statements the console's client sends while `run` runs (the real client and database, counted). */
  async function statementsDuring(run: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(getDb(), '$queryRaw');
    const tx = vi.spyOn(getDb(), '$transaction');
    await run();
    const n = spy.mock.calls.length + tx.mock.calls.length;
    spy.mockRestore();
    tx.mockRestore();
    return n;
  }

  it('costs no statement until its window closes, then is asked about again', async () => {
    const ctx = await staff();
    expect(await statementsDuring(() => recordPlatformView(ctx, '/platform/roles'))).toBeGreaterThan(0);
    expect(await statementsDuring(() => recordPlatformView(ctx, '/platform/roles?cursor=abc'))).toBe(0);
    // Another filter, another person: each is a look of its own.
    expect(await statementsDuring(() => recordPlatformView(ctx, '/platform/roles?q=a'))).toBeGreaterThan(0);
    const other = await staff();
    expect(await recordPlatformView(other, '/platform/roles')).toBe(true);
    // Past the window (this process's clock moved on) the database is asked again; its own clock says the row is
    // fresh, so nothing is written.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5 * 60_000 });
    expect(await statementsDuring(() => recordPlatformView(ctx, '/platform/roles'))).toBeGreaterThan(0);
    expect(await viewsOf(ctx)).toHaveLength(2);
  });

  it('found in the database (written by another instance) is remembered for what is left of its window', async () => {
    const ctx = await staff();
    const fourMinutesAgo = new Date(Date.now() - 4 * 60_000);
    await db.auditEvent.create({
      data: { actorType: 'user', actorId: ctx.user.id, action: 'platform.viewed', targetType: 'platform_view', targetId: '/platform/apis', at: fourMinutesAgo },
    });
    expect(await recordPlatformView(ctx, '/platform/apis')).toBe(false);
    expect(await statementsDuring(() => recordPlatformView(ctx, '/platform/apis'))).toBe(0);
    // Its window ends a minute after it was recorded, not five minutes after it was found.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    expect(await statementsDuring(() => recordPlatformView(ctx, '/platform/apis'))).toBeGreaterThan(0);
  });
});

describe('a look at a user’s or an org’s detail page', () => {
  it('is recorded about that user (in their trail) or that org (under it in the global log, not in its own log)', async () => {
    const ctx = await staff();
    const person = await createUser(db);
    const orgId = '00000000-0000-4000-8000-00000000abcd';
    expect(await recordPlatformView(ctx, `/platform/users/${person.id}`)).toBe(true);
    expect(await recordPlatformView(ctx, `/platform/users/${person.id}`)).toBe(false);
    await recordPlatformView(ctx, `/platform/orgs/${orgId}`);
    const rows = await db.auditEvent.findMany({
      where: { actorId: ctx.user.id, action: 'platform.viewed' },
      select: { orgId: true, targetType: true, targetId: true, after: true },
      orderBy: { id: 'asc' },
    });
    expect(rows).toEqual([
      { orgId: null, targetType: 'user', targetId: person.id, after: { path: `/platform/users/${person.id}`, filter: {} } },
      { orgId, targetType: 'org', targetId: orgId, after: { path: `/platform/orgs/${orgId}`, filter: {} } },
    ]);
  });
});
