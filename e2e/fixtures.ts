import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { generateSessionCookie } from '@auth0/nextjs-auth0/testing';
import { generateApiKey } from '@/lib/access/api-keys';
import { createDb, type Db } from '@/lib/db';
import type { Tier } from '@/lib/authz/permissions';
import { createSessionStore } from '@/lib/session-store';
import { addMember, createUser, randomSuffix, seedOrgWithTiers } from '@/prisma/factories';
import { readMail } from '@/tests/mail';

/**
 * Fixtures: `seedOrg()` makes a fresh org with one member per tier (random names, so specs run in parallel);
 * `loginAs(user)` gives the browser context a session made the way the SDK makes it (a row in the sessions table,
 * and a cookie holding its encrypted id).
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
  const id = randomBytes(16).toString('hex');
  const now = Math.floor(Date.now() / 1000);
  await createSessionStore(getDb()).set(id, {
    user: { sub: user.sub, email: user.email, name: user.name ?? undefined, email_verified: true },
    tokenSet: { accessToken: 'e2e-access-token', expiresAt: now + 3600 },
    internal: { sid: `e2e-${id}`, createdAt: now },
  });
  // Sessions live in PostgreSQL (lib/session-store.ts): the cookie is the SDK's encrypted `{ id }`.
  return generateSessionCookie({ id }, { secret: process.env.E2E_AUTH0_SECRET! });
}

/** The decision API of the e2e stack (its own process, scripts/e2e-server.ts). */
export function decisionsOrigin(): string {
  const url = new URL(process.env.E2E_BASE_URL!);
  url.port = process.env.E2E_DECISIONS_PORT!;
  return url.origin;
}

/** A decision API key with the `check` scope, stored the way an operator's key is (hashed). */
export async function newCheckKey(db: Db, name = 'e2e check'): Promise<string> {
  const { key, prefix, secretHash } = generateApiKey();
  await db.apiKey.create({ data: { name: `${name} ${randomSuffix()}`, prefix, secretHash, scopes: ['check'] } });
  return key;
}

export interface CheckAnswer {
  allow: boolean;
  reason: { code: string };
}

/**
 * POST /api/v1/check with a key made a moment ago. Keys reach the decision API through its change feed (ADR 0007: it
 * answers from its in-memory snapshot, never a database lookup for an unknown key), so the first answers may be 401:
 * those are retried for up to 10 s. Any other status is returned as it is, for the test to assert.
 */
export async function checkWithNewKey(key: string, body: unknown): Promise<{ status: number; answer: CheckAnswer | null }> {
  const post = () =>
    fetch(`${decisionsOrigin()}/api/v1/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  let res = await post();
  for (const deadline = Date.now() + 10_000; res.status === 401 && Date.now() < deadline; res = await post()) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return { status: res.status, answer: res.ok ? ((await res.json()) as CheckAnswer) : null };
}

export async function loginAs(context: BrowserContext, user: TestUser): Promise<void> {
  await context.addCookies([
    { name: '__session', value: await sessionCookieFor(user), url: process.env.E2E_BASE_URL!, httpOnly: true, sameSite: 'Lax' },
  ]);
}

/** Waits until React has hydrated the current document (app/providers.tsx sets the marker). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** Makes `page.goto` to a console page wait for hydration (the `page` fixture does this; use it on extra pages). */
export function waitsForHydration(page: Page): Page {
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    const html = (response?.headers()['content-type'] ?? '').includes('text/html');
    if (response?.ok() && html && page.url().startsWith(process.env.E2E_BASE_URL!)) await hydrated(page);
    return response;
  };
  return page;
}

export const test = base.extend<{
  db: Db;
  seedOrg: () => Promise<SeededOrg>;
  seedUser: (overrides?: Parameters<typeof createUser>[1]) => Promise<TestUser>;
  addMember: (orgId: string, user: TestUser, tier: Tier) => Promise<void>;
  loginAs: (user: TestUser) => Promise<void>;
}>({
  // Every page.goto to the console waits for hydration, so a test never clicks a button React has not wired yet.
  page: async ({ page }, use) => {
    await use(waitsForHydration(page));
  },
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

/** Where the e2e server's SMTP capture (scripts/e2e-server.ts) writes each received message as `<ms>-<hex>.eml`. */
export const E2E_MAIL_DIR = path.resolve(__dirname, '..', 'test-results', 'e2e-mail');

export interface CapturedMail {
  subject: string;
  text: string;
  links: string[];
}

/**
 * Waits for the newest message to `to` (the To header contains it, any case) received at or after `since`
 * (ms since the epoch; default: any), and returns its subject, its decoded plain text and the http(s) links in it.
 */
export async function waitForMail(to: string, opts: { timeoutMs?: number; since?: number } = {}): Promise<CapturedMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const since = opts.since ?? 0;
  const wanted = to.toLowerCase();
  for (;;) {
    const names = await readdir(E2E_MAIL_DIR).catch(() => [] as string[]);
    const candidates = names
      .filter((n) => n.endsWith('.eml') && Number(n.split('-')[0]) >= since)
      .sort((a, b) => Number(b.split('-')[0]) - Number(a.split('-')[0]));
    for (const name of candidates) {
      const message = await readMail(await readFile(path.join(E2E_MAIL_DIR, name)));
      if (message.to.toLowerCase().includes(wanted)) return { subject: message.subject, text: message.text, links: message.links };
    }
    if (Date.now() > deadline) {
      throw new Error(`No email to ${to} arrived in ${E2E_MAIL_DIR} within ${opts.timeoutMs ?? 15_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export { expect };
