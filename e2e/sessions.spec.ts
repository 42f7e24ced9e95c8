import { randomBytes } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import { expect, hydrated, loginAs as signIn, test, waitsForHydration } from './fixtures';

/**
 * Sessions end on the server (lib/session-store.ts): signing out, signing out everywhere, being blocked and losing
 * one's last membership each delete the session rows, so a cookie copied before is refused afterwards.
 */

/** What a GET answers for this browser: 200, or where it is sent (the sign-in route when there is no session). */
async function answer(context: BrowserContext, url: string): Promise<string> {
  const res = await context.request.get(url, { maxRedirects: 0 });
  if (res.status() >= 300 && res.status() < 400) return `${res.status()} → ${new URL(res.headers().location ?? '', process.env.E2E_BASE_URL).pathname}`;
  return String(res.status());
}

const SIGN_IN = '307 → /auth/login';

/** Back from the identity provider's sign-out, on the signed-out landing page. */
const backFromSignOut = (u: URL) => u.origin === new URL(process.env.E2E_BASE_URL!).origin && (u.pathname === '/' || u.pathname === '/signed-out');

test.describe('sessions end on the server', () => {
  test('signing out (real OpenID flow) ends the session: a copied cookie is refused afterwards', async ({ page, browser, baseURL, db }) => {
    const id = randomBytes(4).toString('hex');
    const email = `copied-${id}@example.test`;
    await page.goto('/auth/login');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Name').fill(`Copied ${id}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/onboarding$/);
    await hydrated(page);

    const cookie = (await page.context().cookies(baseURL)).find((c) => c.name === '__session');
    expect(cookie, 'the sign-in set a session cookie').toBeDefined();
    const copy = await browser.newContext({ baseURL });
    try {
      await copy.addCookies([cookie!]);
      expect(await answer(copy, '/onboarding'), 'the copied cookie works while the session lasts').toBe('200');

      await page.waitForLoadState('networkidle');
      await page.getByRole('link', { name: /sign out/i }).first().click();
      await page.waitForURL(backFromSignOut, { timeout: 20_000 });

      expect(await answer(copy, '/onboarding'), 'the copied cookie after sign-out').toBe(SIGN_IN);
      const user = await db.user.findFirstOrThrow({ where: { email } });
      expect(await db.session.count({ where: { sub: user.sub } }), 'signing out deleted the session row').toBe(0);
    } finally {
      await copy.close();
    }
  });

  test('blocking a user ends their sessions, and unblocking does not bring them back', async ({ browser, baseURL, db, seedOrg }) => {
    const { org, employee } = await seedOrg();
    const [first, second] = [await browser.newContext({ baseURL }), await browser.newContext({ baseURL })];
    try {
      await signIn(first, employee);
      await signIn(second, employee);
      expect(await answer(first, `/orgs/${org.slug}`)).toBe('200');
      expect(await answer(second, `/orgs/${org.slug}`)).toBe('200');

      await db.user.update({ where: { id: employee.id }, data: { blockedAt: new Date() } });
      expect(await db.session.count({ where: { sub: employee.sub } })).toBe(0);
      await db.user.update({ where: { id: employee.id }, data: { blockedAt: null } });

      expect(await answer(first, `/orgs/${org.slug}`)).toBe(SIGN_IN);
      expect(await answer(second, `/orgs/${org.slug}`)).toBe(SIGN_IN);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  test('losing the last membership ends the sessions; losing one of two does not', async ({ browser, baseURL, db, seedOrg, addMember }) => {
    const [a, b] = await Promise.all([seedOrg(), seedOrg()]);
    // a.employee is also an employee of B; b.employee belongs to B only.
    await addMember(b.org.id, a.employee, 'EMPLOYEE');
    const [twoOrgs, oneOrg] = [await browser.newContext({ baseURL }), await browser.newContext({ baseURL })];
    try {
      await signIn(twoOrgs, a.employee);
      await signIn(oneOrg, b.employee);

      await db.membership.deleteMany({ where: { orgId: b.org.id, userId: { in: [a.employee.id, b.employee.id] } } });

      // /onboarding is where a signed-in person without an org belongs; without a session it sends to sign-in.
      expect(await answer(oneOrg, '/onboarding'), 'removed from their only org').toBe(SIGN_IN);
      expect(await answer(twoOrgs, `/orgs/${a.org.slug}`), 'removed from one of two orgs').toBe('200');
    } finally {
      await Promise.all([twoOrgs.close(), oneOrg.close()]);
    }
  });

  test('"Sign out everywhere" in the user menu ends every session of the user', async ({ browser, baseURL, db, seedOrg }) => {
    const { org, admin } = await seedOrg();
    const [here, elsewhere] = [await browser.newContext({ baseURL }), await browser.newContext({ baseURL })];
    try {
      await signIn(here, admin);
      await signIn(elsewhere, admin);
      expect(await answer(elsewhere, `/orgs/${org.slug}`)).toBe('200');

      const page = waitsForHydration(await here.newPage());
      await page.goto(`/orgs/${org.slug}`);
      await page.getByRole('button', { name: /Account menu/ }).click();
      await page.getByRole('menuitem', { name: 'Sign out everywhere…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL(backFromSignOut, { timeout: 20_000 });

      expect(await db.session.count({ where: { sub: admin.sub } })).toBe(0);
      expect(await answer(elsewhere, `/orgs/${org.slug}`), 'the other browser').toBe(SIGN_IN);
      expect(await answer(here, `/orgs/${org.slug}`), 'this browser').toBe(SIGN_IN);
      expect(await db.auditEvent.count({ where: { actorId: admin.id, action: 'user.signed_out_everywhere' } })).toBe(1);
    } finally {
      await Promise.all([here.close(), elsewhere.close()]);
    }
  });
});

test.describe('the session rolls at most once a minute (lib/session-roll.ts)', () => {
  test('a page view rolls it and marks when; the next views within the minute do not; a stale or forged marker rolls again; skipping a roll never skips the check', async ({ browser, baseURL, db, seedOrg }) => {
    const { org, admin } = await seedOrg();
    const context = await browser.newContext({ baseURL });
    try {
      await signIn(context, admin);
      /** The names of the cookies a view of the org's page sets. */
      const view = async () => {
        const res = await context.request.get(`/orgs/${org.slug}`, { maxRedirects: 0 });
        expect(res.status()).toBe(200);
        return res
          .headersArray()
          .filter((h) => h.name.toLowerCase() === 'set-cookie')
          .map((h) => h.value.slice(0, h.value.indexOf('=')));
      };
      const now = () => Math.floor(Date.now() / 1000);

      expect(await view(), 'the first view rolls the session').toEqual(expect.arrayContaining(['__session', '__session_rolled']));
      const marker = (await context.cookies(baseURL)).find((c) => c.name === '__session_rolled');
      expect(marker, 'the marker').toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(Math.abs(Number(marker!.value) - now())).toBeLessThan(30);

      expect(await view(), 'a second view within the minute').toEqual([]);
      expect(await view(), 'a third view within the minute').toEqual([]);

      await context.addCookies([{ ...marker!, value: String(now() - 61) }]);
      expect(await view(), 'a marker a minute old').toEqual(expect.arrayContaining(['__session', '__session_rolled']));
      await context.addCookies([{ ...marker!, value: String(now() + 3600) }]);
      expect(await view(), 'a marker from the future is ignored').toEqual(expect.arrayContaining(['__session', '__session_rolled']));
      await context.addCookies([{ ...marker!, value: 'never' }]);
      expect(await view(), 'a marker that is not a time is ignored').toEqual(expect.arrayContaining(['__session', '__session_rolled']));

      // The marker is fresh now, so the next view does not roll: it still reads the session row, and a session ended
      // on the server (here its row deleted, as signing out does) is refused at once.
      await db.session.deleteMany({ where: { sub: admin.sub } });
      expect(await answer(context, `/orgs/${org.slug}`), 'an ended session under a fresh marker').toBe(SIGN_IN);
    } finally {
      await context.close();
    }
  });
});

