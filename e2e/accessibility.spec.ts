import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';

/** Every console screen passes axe's WCAG 2.1 A/AA rules, and the main flows work by keyboard. */
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test.describe('accessibility', () => {
  test('org pages have no axe violations', async ({ page, seedOrg, loginAs }) => {
    const { org, owner } = await seedOrg();
    await loginAs(owner);
    for (const path of ['', '/members', '/invitations', '/access', '/clients', '/imports', '/audit', '/settings']) {
      await page.goto(`/orgs/${org.slug}${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
      expect(violations.map((v) => `${path || '/'}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });

  test('the member menu and its dialogs work by keyboard', async ({ page, seedOrg, loginAs, db }) => {
    const { org, owner, employee } = await seedOrg();
    await loginAs(owner);
    await page.goto(`/orgs/${org.slug}/members`);
    await page.getByRole('button', { name: `Actions for ${employee.name}` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menu')).toBeVisible();
    await page.keyboard.press('ArrowDown');
    // Walk down to "Remove from organization…" and open the dialog with Enter.
    const items = await page.getByRole('menuitem').allTextContents();
    const target = items.indexOf('Remove from organization…');
    const focusedIndex = async () => (await page.getByRole('menuitem').evaluateAll((els) => els.findIndex((e) => e === document.activeElement)));
    while ((await focusedIndex()) < target) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Remove ${employee.name}?` });
    await expect(dialog).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).withTags(wcag).include('[role="dialog"]').analyze();
    expect(violations.map((v) => v.id)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect(await db.membership.count({ where: { orgId: org.id, userId: employee.id } })).toBe(1);
  });

  test('the platform Organizations pages have no axe violations, and an operator links an org to its Auth0 organization', async ({
    page,
    seedOrg,
    seedUser,
    loginAs,
    db,
  }) => {
    const { org } = await seedOrg();
    const operator = await seedUser({ platformRole: 'OPERATOR' });
    await loginAs(operator);
    await page.goto(`/platform/orgs?q=${encodeURIComponent(org.slug)}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Organizations' })).toBeVisible();
    const list = await new AxeBuilder({ page }).withTags(wcag).analyze();
    expect(list.violations.map((v) => `list: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    const row = page.getByRole('row').filter({ hasText: org.slug });
    await expect(row).toContainText('Not linked');
    await row.getByRole('link', { name: org.name }).click();
    await expect(page.getByRole('heading', { level: 1, name: org.name })).toBeVisible();

    const section = page.getByRole('region', { name: 'Auth0 organization' });
    const field = section.getByLabel('Auth0 organization id');
    await field.fill('acme_eu');
    await section.getByRole('button', { name: 'Save link' }).click();
    await expect(section.getByRole('alert')).toContainText('org_ followed by letters and digits');
    const auth0OrgId = `org_${randomBytes(8).toString('hex')}`;
    await field.fill(auth0OrgId);
    await section.getByRole('button', { name: 'Save link' }).click();
    await expect(section.getByText(`Linked to ${auth0OrgId}.`)).toBeVisible();
    expect((await db.org.findUniqueOrThrow({ where: { id: org.id } })).auth0OrgId).toBe(auth0OrgId);
    const detail = await new AxeBuilder({ page }).withTags(wcag).analyze();
    expect(detail.violations.map((v) => `detail: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  test('the invitation page has no axe violations', async ({ page }) => {
    await page.goto(`/invite/${randomBytes(32).toString('base64url')}`);
    await expect(page.getByRole('heading', { name: "This invitation can't be used" })).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
    expect(violations.map((v) => v.id)).toEqual([]);
  });
});
