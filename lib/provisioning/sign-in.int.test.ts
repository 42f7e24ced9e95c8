import { describe, expect, it } from 'vitest';
import { CONNECTION_CLAIM } from '@/lib/claims';
import { db } from '@/lib/db';
import { randomSuffix } from '@/prisma/factories';
import { identityFromClaims } from './identity';
import { recordSignIn } from './sign-in';

describe('sign-in', () => {
  it('creates the user on first sign-in, updates it afterwards, and records each login', async () => {
    const sub = `auth0|${randomSuffix()}`;
    const first = await recordSignIn(db, { requestId: 'r1' }, identityFromClaims({ sub, email: 'First@Example.test', email_verified: true, name: 'First' }));
    expect(first).toMatchObject({ sub, email: 'first@example.test', name: 'First', platformRole: 'NONE', created: true });

    const second = await recordSignIn(db, { requestId: 'r2' }, identityFromClaims({ sub, email: 'renamed@example.test', name: 'Renamed' }));
    expect(second).toMatchObject({ id: first.id, email: 'renamed@example.test', name: 'Renamed', created: false });

    // A sign-in without a name keeps the one known; the connection claim, when absent, keeps the one derived before.
    const third = await recordSignIn(db, { requestId: 'r3' }, identityFromClaims({ sub, email: 'renamed@example.test' }));
    expect(third).toMatchObject({ id: first.id, name: 'Renamed', created: false, blocked: false });

    const user = await db.user.findUniqueOrThrow({ where: { sub } });
    expect(user.loginCount).toBe(3);
    expect(user.connection).toBe('Username-Password-Authentication');
    expect(await db.loginEvent.count({ where: { userId: user.id } })).toBe(3);
    expect(await db.auditEvent.count({ where: { actorId: user.id, action: 'user.signed_up' } })).toBe(1);
  });

  it('creates exactly one user when the same first sign-in arrives concurrently', async () => {
    const sub = `waad|corp-azure-ad|${randomSuffix()}`;
    const identity = identityFromClaims({ sub, email: `c-${randomSuffix()}@example.test`, email_verified: true });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => recordSignIn(db, { requestId: `c${i}` }, identity)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await db.user.findUniqueOrThrow({ where: { sub } })).connection).toBe('corp-azure-ad');
  });

  it('records a refresh without counting it as a sign-in, also for a user it creates', async () => {
    const sub = `auth0|${randomSuffix()}`;
    const identity = identityFromClaims({ sub, email: `r-${randomSuffix()}@example.test` });
    const created = await recordSignIn(db, { requestId: 'r1' }, identity, { kind: 'REFRESH' });
    expect(created.created).toBe(true);
    expect(await db.user.findUniqueOrThrow({ where: { sub }, select: { loginCount: true, lastLoginAt: true } })).toEqual({ loginCount: 0, lastLoginAt: null });
    await recordSignIn(db, { requestId: 'r2' }, identity);
    await recordSignIn(db, { requestId: 'r3' }, identity, { kind: 'REFRESH' });
    const user = await db.user.findUniqueOrThrow({ where: { sub } });
    expect(user.loginCount).toBe(1);
    const events = await db.loginEvent.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' }, select: { kind: true } });
    expect(events.map((e) => e.kind)).toEqual(['REFRESH', 'SIGN_IN', 'REFRESH']);
  });

  it('accepts the international addresses Auth0 signs people in with (RFC 5321 / RFC 6531)', () => {
    // https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2, https://www.rfc-editor.org/rfc/rfc6531#section-3.3
    expect(identityFromClaims({ sub: 'auth0|x', email: "O!Reilly@Example.com" }).email).toBe("o!reilly@example.com");
    expect(identityFromClaims({ sub: 'auth0|x', email: 'José@Bücher.example' }).email).toBe('josé@bücher.example');
    expect(() => identityFromClaims({ sub: 'auth0|x', email: 'two@at@example.com' })).toThrow(/email/);
  });

  it('takes the connection from the namespaced claim when present, and refuses claims without an email', () => {
    expect(identityFromClaims({ sub: 'auth0|x', email: 'a@b.test', [CONNECTION_CLAIM]: 'corp-azure-ad' }).connection).toBe('corp-azure-ad');
    expect(() => identityFromClaims({ sub: 'auth0|x' })).toThrow(/email/);
  });
});
