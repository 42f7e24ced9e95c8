import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Issue #16: focus after dialogs, long names, phone layout, one active nav item, dark mode, progress, members, leaving. */

// The machine these run on is shared and busy; the steps are many page loads each.
test.describe.configure({ timeout: 180_000 });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

async function focused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

async function noSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    clientWidth: document.scrollingElement!.clientWidth,
  }));
  expect(scrollWidth, `${label} scrolls sideways (${scrollWidth} > ${clientWidth})`).toBeLessThanOrEqual(clientWidth);
}

/** Exactly one link in the area's navigation says it is the current page. */
async function oneActiveItem(page: Page, navName: string, label: string): Promise<void> {
  await expect(page.locator(`nav[aria-label="${navName}"]:visible a[aria-current="page"]`), label).toHaveCount(1);
}

test.describe('dialogs give focus back to what opened them', () => {
  test('a dialog opened from a row menu, by keyboard: Escape and Cancel both return to the menu button', async ({ page, seedOrg, loginAs }) => {
    const { org, owner, employee } = await seedOrg();
    await loginAs(owner);
    await page.goto(`/orgs/${org.slug}/members`);
    const trigger = page.getByRole('button', { name: `Actions for ${employee.name}` });
    for (const [item, close] of [
      ['Manage roles…', 'Escape'],
      ['Remove from organization…', 'Cancel'],
      ['Transfer ownership…', 'Escape'],
    ] as const) {
      await trigger.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('menu')).toBeVisible();
      await page.getByRole('menuitem', { name: item }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      if (close === 'Escape') await page.keyboard.press('Escape');
      else await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
      await expect.poll(() => focused(trigger), `focus after ${item}`).toBe(true);
    }
  });

  test('the account menu’s confirm, a button’s confirm and a create dialog return focus too', async ({ page, seedOrg, seedUser, loginAs }) => {
    const { org, admin } = await seedOrg();
    await loginAs(admin);
    await page.goto(`/orgs/${org.slug}`);
    const account = page.getByRole('button', { name: /^Account menu for/ });
    await account.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Sign out everywhere…' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Sign out everywhere?' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(account)).toBe(true);

    const leave = page.getByRole('button', { name: 'Leave organization' });
    await leave.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: `Leave ${org.name}?` })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(leave)).toBe(true);

    await page.context().clearCookies();
    await loginAs(await seedUser({ platformRole: 'OPERATOR' }));
    await page.goto('/platform/roles');
    const create = page.getByRole('button', { name: 'New role' });
    await create.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'New role' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(create)).toBe(true);
  });
});

test.describe('long names at 1440 px', () => {
  test('no page scrolls sideways, and a cut name shows in full in a tooltip', async ({ page, seedOrg, seedUser, addMember, loginAs, db }) => {
    test.setTimeout(300_000);
    const { org, owner } = await seedOrg();
    // Names at their limits (org name 100, role name 100), with no space to break at, and a long email.
    const s = randomBytes(3).toString('hex');
    const longOrgName = `Org${s}`.padEnd(100, 'W');
    await db.org.update({ where: { id: org.id }, data: { name: longOrgName } });
    const longName = `Member${s}`.padEnd(100, 'M');
    const long = await seedUser({ email: `${'a'.repeat(60)}.${s}@${'sub'.repeat(15)}.example.test`, name: longName });
    await addMember(org.id, long, 'EMPLOYEE');
    const role = await db.role.create({ data: { key: `long-${s}`, name: `Role${s}`.padEnd(100, 'R') } });
    await db.roleAssignment.create({ data: { roleId: role.id, userId: long.id, orgId: org.id } });
    await db.invitation.create({
      data: { orgId: org.id, email: `${'i'.repeat(64)}@${s}.example.test`, tier: 'EMPLOYEE', tokenHash: randomBytes(32).toString('hex'), expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await page.setViewportSize(DESKTOP);
    await loginAs(owner);
    for (const p of ['', '/members', '/invitations', '/access', '/clients', '/audit', '/settings']) {
      await page.goto(`/orgs/${org.slug}${p}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await noSidewaysScroll(page, `/orgs/…${p}`);
      await oneActiveItem(page, `${longOrgName} sections`, p);
    }
    await page.goto(`/orgs/${org.slug}/members?q=${encodeURIComponent(long.email)}`);
    const cut = page.getByRole('table', { name: 'Members' }).getByText(longName, { exact: true });
    await cut.focus();
    await expect(page.getByRole('tooltip')).toContainText(longName);

    await page.context().clearCookies();
    await loginAs(await seedUser({ platformRole: 'STAFF' }));
    for (const p of ['/platform', `/platform/orgs?q=${encodeURIComponent(org.slug)}`, `/platform/orgs/${org.id}`, '/platform/roles', `/platform/roles/${role.id}`, '/platform/matrix']) {
      await page.goto(p);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await noSidewaysScroll(page, p);
      await oneActiveItem(page, 'Platform sections', p);
    }
  });

  test('a field shows its limit as a counter and keeps text over it, which the server then refuses', async ({ page, seedOrg, loginAs }) => {
    const { org, owner } = await seedOrg();
    await loginAs(owner);
    await page.goto(`/orgs/${org.slug}/settings`);
    const name = page.getByLabel('Name', { exact: true });
    const tooLong = 'N'.repeat(105);
    await name.fill(tooLong);
    await expect(name).toHaveValue(tooLong);
    await expect(page.getByText('105/100 — 5 too many')).toBeVisible();
    await expect(name).toHaveAttribute('aria-invalid', 'true');
  });
});

test.describe('phone, 390 px', () => {
  test.use({ viewport: PHONE });

  test('the sidebar is a menu opened by keyboard, one item is current, no page scrolls sideways, row actions are reachable', async ({ page, seedOrg, seedUser, loginAs }) => {
    test.setTimeout(300_000);
    const { org, owner, employee } = await seedOrg();
    await loginAs(owner);
    for (const p of ['', '/members', '/invitations', '/access', '/clients', '/audit', '/settings']) {
      await page.goto(`/orgs/${org.slug}${p}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await noSidewaysScroll(page, `phone /orgs/…${p}`);
    }
    await page.goto(`/orgs/${org.slug}/members`);
    // The navigation is behind the menu button.
    await expect(page.getByRole('navigation', { name: `${org.name} sections` })).toBeHidden();
    const menu = page.getByRole('button', { name: /^Menu/ });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    const nav = page.getByRole('navigation', { name: `${org.name} sections` });
    await expect(nav).toBeVisible();
    await oneActiveItem(page, `${org.name} sections`, 'phone members');
    await expect(nav.getByRole('link', { name: 'Members' })).toHaveAttribute('aria-current', 'page');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect.poll(() => focused(menu)).toBe(true);
    // Follow a link from the menu by keyboard: the menu closes on the new page.
    await page.keyboard.press('Enter');
    await nav.getByRole('link', { name: 'Invitations' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Invitations' })).toBeVisible();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');

    // The members table scrolls inside its box, and the row menu is there to use.
    await page.goto(`/orgs/${org.slug}/members`);
    const region = page.getByRole('region', { name: 'Members' });
    const { inner, outer } = await region.evaluate((el) => ({ inner: el.scrollWidth, outer: el.clientWidth }));
    expect(inner).toBeGreaterThan(outer);
    await page.getByRole('button', { name: `Actions for ${employee.name}` }).click();
    await expect(page.getByRole('menuitem', { name: 'Manage roles…' })).toBeVisible();
    await page.keyboard.press('Escape');

    await page.context().clearCookies();
    await loginAs(await seedUser({ platformRole: 'OPERATOR' }));
    for (const p of ['/platform', '/platform/orgs', '/platform/matrix', '/platform/roles', '/platform/apis', '/platform/applications', '/platform/clients', '/platform/rules', '/platform/api-keys', '/platform/install']) {
      await page.goto(p);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await noSidewaysScroll(page, `phone ${p}`);
    }
  });
});

test.describe('feel', () => {
  test('a bar shows while a navigation is on its way', async ({ page, seedOrg, loginAs }) => {
    const { org, owner } = await seedOrg();
    await loginAs(owner);
    await page.setViewportSize(DESKTOP);
    await page.goto(`/orgs/${org.slug}`);
    // Hold the next page's server response back for a moment, so the wait is long enough to see.
    await page.route(`**/orgs/${org.slug}/audit**`, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    const progress = page.getByTestId('navigation-progress');
    await expect(progress).toHaveCount(0);
    await page.getByRole('navigation', { name: `${org.name} sections` }).getByRole('link', { name: 'Audit log' }).click();
    // The bar from the click, then the skeleton's (loading.tsx) until the page's content arrives.
    await expect(progress.first()).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(progress).toHaveCount(0);
  });

  test('dark mode follows the system, and a chosen scheme is kept in a cookie and rendered by the server', async ({ page, seedOrg, loginAs }) => {
    const { org, owner } = await seedOrg();
    await loginAs(owner);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`/orgs/${org.slug}`);
    const systemDark = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    const systemLight = await background();
    expect(systemDark).not.toBe(systemLight);

    await page.getByRole('button', { name: /^Colour scheme/ }).click();
    await page.getByRole('menuitemradio', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveClass(/\bdark\b/);
    expect(await background()).toBe(systemDark);
    // The next page comes from the server already dark: no script has to fix it after the first paint.
    const html = await (await page.request.get(`/orgs/${org.slug}/members`)).text();
    expect(html).toMatch(/<html[^>]*class="dark"/);
    await page.goto(`/orgs/${org.slug}/members`);
    expect(await background()).toBe(systemDark);
    await expect(page.getByRole('button', { name: 'Colour scheme: Dark' })).toBeVisible();

    await page.getByRole('button', { name: /^Colour scheme/ }).click();
    await page.getByRole('menuitemradio', { name: 'Same as system' }).click();
    await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
    expect(await background()).toBe(systemLight);
  });

  test('a favicon is served', async ({ request }) => {
    const response = await request.get('/icon.svg');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('image/svg+xml');
  });
});

test.describe('members page', () => {
  test('counts members, sorts by tier and last sign-in, filters by tier and role, and links to inviting', async ({ page, seedOrg, seedUser, addMember, loginAs, db }) => {
    const { org, owner, admin, employee } = await seedOrg();
    const extra = await seedUser();
    await addMember(org.id, extra, 'EMPLOYEE');
    await db.user.update({ where: { id: extra.id }, data: { lastLoginAt: new Date() } });
    const role = await db.role.create({ data: { key: `mf-${randomBytes(3).toString('hex')}`, name: `Filter ${randomBytes(3).toString('hex')}` } });
    await db.roleAssignment.create({ data: { roleId: role.id, userId: employee.id, orgId: org.id } });
    await loginAs(owner);
    await page.goto(`/orgs/${org.slug}/members`);
    await expect(page.getByText(/^4 members/)).toBeVisible();
    const table = page.getByRole('table', { name: 'Members' });
    const names = () => table.locator('tbody tr td:first-child').allTextContents();

    await table.getByRole('link', { name: 'Tier' }).click();
    await expect(page).toHaveURL(/sort=tier/);
    await expect(table.getByRole('columnheader', { name: 'Tier' })).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(async () => (await names()).slice(0, 2)).toEqual([owner.name, admin.name]);

    await table.getByRole('link', { name: 'Last sign-in' }).click();
    await expect(page).toHaveURL(/sort=-last-sign-in/);
    await expect.poll(async () => (await names())[0]).toBe(extra.name);

    await page.getByLabel('Tier', { exact: true }).selectOption('EMPLOYEE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByText(/^4 members, 2 matching/)).toBeVisible();
    await expect.poll(async () => (await names()).sort()).toEqual([employee.name, extra.name].sort());

    await page.getByLabel('Role', { exact: true }).selectOption(role.id);
    await page.getByRole('button', { name: 'Apply' }).click();
    // Apply navigates; the count line changes once the filtered page has rendered.
    await expect(page.getByText(/^4 members, 1 matching/)).toBeVisible();
    await expect.poll(names).toEqual([employee.name]);

    await page.getByRole('link', { name: 'Invite' }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${org.slug}/invitations#invite$`));
    await expect(page.getByRole('heading', { name: 'Invite people' })).toBeVisible();
  });

  test('after leaving an org, the page they land on says so', async ({ page, seedOrg, addMember, loginAs }) => {
    const a = await seedOrg();
    const b = await seedOrg();
    await addMember(b.org.id, a.admin, 'EMPLOYEE');
    await loginAs(a.admin);
    await page.goto(`/orgs/${a.org.slug}`);
    await page.getByRole('button', { name: 'Leave organization' }).click();
    await page.getByRole('dialog', { name: `Leave ${a.org.name}?` }).getByRole('button', { name: 'Leave' }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/${b.org.slug}$`));
    await expect(page.getByRole('status').filter({ hasText: `You left ${a.org.name}.` })).toBeVisible();
    // Once: the next page does not say it again.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText(`You left ${a.org.name}.`)).toHaveCount(0);
  });
});

test.describe('screenshots (test-results/screenshots, looked at, not committed)', () => {
  test('main pages for an owner, an employee and platform staff, at 1440 and 390', async ({ page, seedOrg, seedUser, loginAs }) => {
    test.setTimeout(600_000);
    const dir = path.resolve(__dirname, '..', 'test-results', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const { org, owner, employee } = await seedOrg();
    const staff = await seedUser({ platformRole: 'STAFF' });
    const shots: [string, typeof owner, string[]][] = [
      ['owner', owner, [`/orgs/${org.slug}`, `/orgs/${org.slug}/members`, `/orgs/${org.slug}/invitations`, `/orgs/${org.slug}/access`, `/orgs/${org.slug}/settings`]],
      ['employee', employee, [`/orgs/${org.slug}`]],
      ['staff', staff, ['/platform', '/platform/orgs', '/platform/matrix', '/platform/roles', '/platform/rules']],
    ];
    for (const [who, user, paths] of shots) {
      await page.context().clearCookies();
      await loginAs(user);
      for (const [size, viewport] of [
        ['1440', DESKTOP],
        ['390', PHONE],
      ] as const) {
        await page.setViewportSize(viewport);
        for (const scheme of ['light', 'dark'] as const) {
          if (scheme === 'dark' && size === '390' && who !== 'owner') continue;
          await page.emulateMedia({ colorScheme: scheme });
          for (const p of paths) {
            await page.goto(p);
            await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
            const name = `${who}-${size}-${scheme}-${p.replace(org.slug, 'org').replace(/^\//, '').replace(/[^a-z0-9]+/gi, '_') || 'home'}.png`;
            await page.screenshot({ path: path.join(dir, name), fullPage: true });
          }
        }
      }
    }
  });
});
