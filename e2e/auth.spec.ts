import { randomBytes } from 'node:crypto';
import { expect, hydrated, test } from './fixtures';

test.describe('signing in through the OpenID redirect flow of the local provider', () => {
  test('the demo owner signs in, sees the demo org, switches org and signs out', async ({ page, db }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in' }).click();
    // Now on the identity provider's own sign-in page (another origin).
    await expect(page).toHaveURL(new RegExp(`^http://localhost:${process.env.E2E_IDP_PORT}/`));
    await page.getByRole('button', { name: 'Sign in as Olivia Owner' }).click();
    await expect(page).toHaveURL(/\/orgs\/acme$/);
    await expect(page.getByRole('heading', { name: 'Acme Corp', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: /Account menu for Olivia Owner/ })).toBeVisible();
    await hydrated(page);

    const owner = await db.user.findUniqueOrThrow({ where: { sub: 'auth0|demo-owner' } });
    expect(owner.lastLoginAt).not.toBeNull();
    expect(await db.loginEvent.count({ where: { userId: owner.id } })).toBeGreaterThan(0);

    // Let link prefetches finish first: a prefetch answered after sign-out would set the rolling session cookie again.
    await page.waitForLoadState('networkidle');
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`localhost:${process.env.E2E_PORT}/?($|\\?)|signed-out`), { timeout: 20_000 });
    expect((await page.request.get('/orgs/acme', { maxRedirects: 0 })).status()).toBe(307);
  });

  test('a member of two orgs switches between them without signing in again', async ({ page }) => {
    await page.goto('/auth/login');
    await page.getByRole('button', { name: 'Sign in as Morgan Multi' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await hydrated(page);
    await page.getByRole('button', { name: /Switch organization/ }).click();
    await page.getByRole('menuitem', { name: /Globex/ }).click();
    await expect(page).toHaveURL(/\/orgs\/globex$/);
    await expect(page.getByRole('heading', { name: 'Globex', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: /Switch organization/ }).click();
    await page.getByRole('menuitem', { name: /Acme Corp/ }).click();
    await expect(page.getByRole('heading', { name: 'Acme Corp', level: 1 })).toBeVisible();
  });

  test('a new account goes through onboarding and owns its new org', async ({ page, db }) => {
    const id = randomBytes(4).toString('hex');
    const email = `newcomer-${id}@example.test`;
    await page.goto('/auth/login');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Name').fill(`Newcomer ${id}`);
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect(page).toHaveURL(/\/onboarding$/);
    await hydrated(page);
    await expect(page.getByRole('heading', { name: `Welcome, Newcomer ${id}` })).toBeVisible();
    // Bad input gets a clear inline error and keeps what was typed.
    await page.getByLabel('Organization name').fill(`Newco ${id}`);
    await page.getByLabel('Address').fill('Bad Slug!');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /lowercase letters/ })).toBeVisible();
    await expect(page.getByLabel('Organization name')).toHaveValue(`Newco ${id}`);
    // A taken address is refused too.
    await page.getByLabel('Address').fill('acme');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /taken/ })).toBeVisible();

    await page.getByLabel('Address').fill(`newco-${id}`);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/newco-${id}$`));
    await expect(page.getByRole('heading', { name: `Newco ${id}`, level: 1 })).toBeVisible();
    await expect(page.getByText('You are owner of this organization.')).toBeVisible();

    const user = await db.user.findFirstOrThrow({ where: { email } });
    const membership = await db.membership.findFirstOrThrow({ where: { userId: user.id }, include: { org: true } });
    expect(membership.tier).toBe('OWNER');
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await expect(page.getByRole('cell', { name: 'org.created' })).toBeVisible();
  });
});
