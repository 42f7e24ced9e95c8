import { test as base, expect, type BrowserContext } from '@playwright/test';
import { generateSessionCookie } from '@auth0/nextjs-auth0/testing';
import { createDb, type Db } from '@/lib/db';
import type { Tier } from '@/lib/authz/permissions';
import { addMember, createUser, seedOrgWithTiers } from '@/prisma/factories';

/**
 * Fixtures: `seedOrg()` makes a fresh org with one member per tier (random names, so specs run in parallel);
 * `loginAs(user)` gives the browser context a session cookie made the way the SDK makes it.
 * One spec (auth.spec.ts) signs in through the real OpenID redirect flow instead.
 */
export type TestUser = { id: string; sub: string; email: string; name: string | null };
export type SeededOrg = { org: { id: string; slug: string; name: string }; owner: TestUser; admin: TestUser; employee: TestUser };

let sharedDb: Db | undefined;
function getDb(): Db {
  sharedDb ??= createDb(process.env.E2E_DATABASE_URL!, { max: 3 });
  return sharedDb;
}

export async function sessionCookieFor(user: TestUser): Promise<string> {
  return generateSessionCookie(
    {
      user: { sub: user.sub, email: user.email, name: user.name ?? undefined, email_verified: true },
      tokenSet: { accessToken: 'e2e-access-token', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
    },
    { secret: process.env.E2E_AUTH0_SECRET! },
  );
}

export async function loginAs(context: BrowserContext, user: TestUser): Promise<void> {
  await context.addCookies([
    { name: '__session', value: await sessionCookieFor(user), url: process.env.E2E_BASE_URL!, httpOnly: true, sameSite: 'Lax' },
  ]);
}

export const test = base.extend<{
  db: Db;
  seedOrg: () => Promise<SeededOrg>;
  seedUser: (overrides?: Parameters<typeof createUser>[1]) => Promise<TestUser>;
  addMember: (orgId: string, user: TestUser, tier: Tier) => Promise<void>;
  loginAs: (user: TestUser) => Promise<void>;
}>({
  db: async ({}, use) => {
    await use(getDb());
  },
  seedOrg: async ({ db }, use) => {
    await use(() => seedOrgWithTiers(db));
  },
  seedUser: async ({ db }, use) => {
    await use((overrides) => createUser(db, overrides));
  },
  addMember: async ({ db }, use) => {
    await use(async (orgId, user, tier) => {
      await addMember(db, orgId, user.id, tier);
    });
  },
  loginAs: async ({ context }, use) => {
    await use((user) => loginAs(context, user));
  },
});

export { expect };
