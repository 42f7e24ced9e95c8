import type { SessionData } from '@auth0/nextjs-auth0/types';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { addMember, createOrg, createUser, randomSuffix } from '@/prisma/factories';
import { createSessionStore, endSessionsOf, sessionKey } from './session-store';

/**
 * The SDK's stateful session store over PostgreSQL, and the triggers that end sessions. The SDK's contract
 * (get/set/update/delete) is documented with its SessionDataStore interface:
 * https://github.com/auth0/nextjs-auth0/blob/main/EXAMPLES.md#database-sessions
 */

const store = createSessionStore(db);

function session(sub: string, overrides: Partial<SessionData> = {}): SessionData {
  const now = Math.floor(Date.now() / 1000);
  return { user: { sub }, tokenSet: { accessToken: 'at', expiresAt: now + 3600 }, internal: { sid: `sid-${randomSuffix()}`, createdAt: now }, ...overrides };
}
const newId = () => randomSuffix(16);

describe('the session store', () => {
  it('keeps a session by a hash of its id, and forgets it when deleted', async () => {
    const id = newId();
    const data = session(`auth0|${randomSuffix()}`);
    await store.set(id, data);
    expect(await store.get(id)).toEqual(data);
    expect(await db.session.count({ where: { id } }), 'the raw id is not stored').toBe(0);
    expect(await db.session.count({ where: { id: sessionKey(id) } })).toBe(1);
    await store.delete(id);
    expect(await store.get(id)).toBeNull();
  });

  it('rolls only a session that still exists, so a sign-out racing a request is not undone', async () => {
    const id = newId();
    const data = session(`auth0|${randomSuffix()}`);
    await store.set(id, data);
    const changed = { ...data, tokenSet: { ...data.tokenSet, accessToken: 'renewed' } };
    expect(await store.update!(id, changed)).toBe(true);
    expect((await store.get(id))?.tokenSet.accessToken).toBe('renewed');
    await store.delete(id);
    expect(await store.update!(id, data)).toBe(false);
    expect(await store.get(id)).toBeNull();
  });

  it('refuses a session past its absolute lifetime', async () => {
    const id = newId();
    const eightDaysAgo = Math.floor(Date.now() / 1000) - 8 * 86_400;
    await store.set(id, session(`auth0|${randomSuffix()}`, { internal: { sid: 's', createdAt: eightDaysAgo } }));
    expect(await store.get(id)).toBeNull();
  });

  it('ends the sessions of a provider session or of a user on back-channel logout', async () => {
    const sub = `auth0|${randomSuffix()}`;
    const [a, b, c] = [newId(), newId(), newId()];
    const first = session(sub);
    await Promise.all([store.set(a, first), store.set(b, session(sub)), store.set(c, session(`auth0|${randomSuffix()}`))]);
    await store.deleteByLogoutToken!({ sub, sid: first.internal.sid });
    expect([await store.get(a), await store.get(b) !== null]).toEqual([null, true]);
    await store.deleteByLogoutToken!({ sub });
    expect(await store.get(b)).toBeNull();
    expect(await store.get(c)).not.toBeNull();
  });
});

describe('sessions end in the database', () => {
  it('when the user is blocked (and stay ended when unblocked)', async () => {
    const user = await createUser(db);
    const other = await createUser(db);
    const [mine, theirs] = [newId(), newId()];
    await store.set(mine, session(user.sub));
    await store.set(theirs, session(other.sub));
    await db.user.update({ where: { id: user.id }, data: { blockedAt: new Date() } });
    await db.user.update({ where: { id: user.id }, data: { blockedAt: null } });
    expect(await store.get(mine)).toBeNull();
    expect(await store.get(theirs)).not.toBeNull();
  });

  it('when the last membership goes, not before', async () => {
    const [a, b] = await Promise.all([createOrg(db), createOrg(db)]);
    const user = await createUser(db);
    await addMember(db, a.id, user.id, 'EMPLOYEE');
    await addMember(db, b.id, user.id, 'ADMIN');
    const id = newId();
    await store.set(id, session(user.sub));
    await db.membership.delete({ where: { orgId_userId: { orgId: a.id, userId: user.id } } });
    expect(await store.get(id), 'still a member of B').not.toBeNull();
    await db.membership.delete({ where: { orgId_userId: { orgId: b.id, userId: user.id } } });
    expect(await store.get(id)).toBeNull();
  });

  it('everywhere at once for "sign out everywhere"', async () => {
    const user = await createUser(db);
    const ids = [newId(), newId(), newId()];
    for (const id of ids) await store.set(id, session(user.sub));
    expect(await endSessionsOf(db, user.id)).toBe(3);
    for (const id of ids) expect(await store.get(id)).toBeNull();
  });
});
