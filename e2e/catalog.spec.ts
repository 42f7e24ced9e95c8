import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';

/**
 * The role catalog in the platform area: an operator builds API → permission → role → application, meets an inline
 * conflict, and is told what uses a role before deleting it; staff see the same pages read-only.
 */
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test.describe('the role catalog', () => {
  test('an operator creates an API with a permission, a role granting it and an application mapped to it; conflicts show inline; deleting asks first', async ({
    page,
    seedUser,
    loginAs,
    db,
  }) => {
    test.setTimeout(120_000);
    const id = randomBytes(4).toString('hex');
    const apiName = `Orders API ${id}`;
    const roleName = `Orders reader ${id}`;
    const roleKey = `orders:reader-${id}`;
    const appName = `Orders portal ${id}`;
    const operator = await seedUser({ platformRole: 'OPERATOR' });
    await loginAs(operator);

    // 1. An API, then a permission on it.
    await page.goto('/platform/apis');
    await page.getByRole('button', { name: 'New API' }).click();
    const apiDialog = page.getByRole('dialog', { name: 'New API' });
    await apiDialog.getByLabel('Name').fill(apiName);
    await apiDialog.getByLabel('Identifier').fill(`https://orders-${id}.example.test`);
    await apiDialog.getByRole('button', { name: 'Create API' }).click();
    await expect(page.getByRole('heading', { level: 1, name: apiName })).toBeVisible();
    await page.getByLabel('Permission', { exact: true }).fill('read:orders');
    await page.getByLabel('Permission description').fill('Read orders');
    await page.getByRole('button', { name: 'Add permission' }).click();
    const permissions = page.getByRole('table', { name: `Permissions of ${apiName}` });
    await expect(permissions.getByRole('row').filter({ hasText: 'read:orders' })).toContainText('Read orders');
    // The same permission twice is refused next to the field, and what was typed stays.
    await page.getByLabel('Permission', { exact: true }).fill('read:orders');
    await page.getByRole('button', { name: 'Add permission' }).click();
    await expect(page.getByRole('form', { name: 'Add a permission' }).getByRole('alert')).toHaveText('This API already has that permission.');
    await expect(page.getByLabel('Permission', { exact: true })).toHaveValue('read:orders');
    await expect(page.getByLabel('Permission', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    // 2. A role granting that permission (chosen in its API's group).
    await page.goto('/platform/roles');
    await page.getByRole('button', { name: 'New role' }).click();
    const roleDialog = page.getByRole('dialog', { name: 'New role' });
    await roleDialog.getByLabel('Key').fill(roleKey);
    await roleDialog.getByLabel('Name').fill(roleName);
    await roleDialog.getByRole('button', { name: 'Create role' }).click();
    await expect(page.getByRole('heading', { level: 1, name: roleName })).toBeVisible();
    const roleUrl = page.url();
    const roleId = roleUrl.split('/').pop()!;
    await page.getByRole('group', { name: apiName }).getByRole('checkbox', { name: 'read:orders' }).check();
    await page.getByRole('button', { name: 'Save permissions' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Saved the permissions of ${roleName}` })).toBeVisible();
    await expect.poll(() => db.rolePermission.count({ where: { roleId } })).toBe(1);

    // 3. An application that needs any mapped role; until one is mapped, nobody gets in, and the page says so.
    await page.goto('/platform/applications');
    await page.getByRole('button', { name: 'New application' }).click();
    const appDialog = page.getByRole('dialog', { name: 'New application' });
    await appDialog.getByLabel('Name').fill(appName);
    await appDialog.getByLabel('Type').selectOption('REGULAR_WEB');
    await appDialog.getByLabel('Auth0 client id').fill(`orders${id}portal`);
    await appDialog.getByRole('radio', { name: 'Any mapped role' }).check();
    await appDialog.getByRole('button', { name: 'Create application' }).click();
    await expect(page.getByRole('heading', { level: 1, name: appName })).toBeVisible();
    await expect(page.getByText('nobody can use it')).toBeVisible();
    const appUrl = page.url();

    // 4. Map the application to the role, from the role's page.
    await page.goto(roleUrl);
    await page.getByRole('checkbox', { name: appName }).check();
    await page.getByRole('button', { name: 'Save applications' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Saved the applications of ${roleName}` })).toBeVisible();
    await page.goto(appUrl);
    // An operator sees the mapping as boxes on the application's page too (they can map from here as well).
    await expect(page.getByRole('group', { name: `Roles mapped to ${appName}` }).getByRole('checkbox', { name: new RegExp(roleName) })).toBeChecked();
    await expect(page.getByText('nobody can use it')).toHaveCount(0);

    // 5. The same key again (in capitals: keys are stored in lower case) is refused inline; the form keeps the input.
    await page.goto('/platform/roles');
    await page.getByRole('button', { name: 'New role' }).click();
    const again = page.getByRole('dialog', { name: 'New role' });
    await again.getByLabel('Key').fill(roleKey.toUpperCase());
    await again.getByLabel('Name').fill(`Second ${roleName}`);
    await again.getByRole('button', { name: 'Create role' }).click();
    await expect(again.getByRole('alert')).toHaveText('Another role already uses this key.');
    await expect(again.getByLabel('Key')).toHaveAttribute('aria-invalid', 'true');
    await expect(again.getByLabel('Key')).toHaveValue(roleKey.toUpperCase());
    await expect(again.getByLabel('Name')).toHaveValue(`Second ${roleName}`);
    await page.keyboard.press('Escape');
    expect(await db.role.count({ where: { name: `Second ${roleName}` } })).toBe(0);

    // 6. Deleting the role first says what uses it, and only then deletes it (audited).
    await page.goto(roleUrl);
    await page.getByRole('button', { name: 'Delete role', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${roleName}?` });
    await expect(confirm).toContainText('1 application is mapped to it.');
    expect(await db.role.count({ where: { id: roleId } })).toBe(1);
    await confirm.getByRole('button', { name: 'Delete role anyway' }).click();
    await expect(page).toHaveURL(/\/platform\/roles$/);
    expect(await db.role.count({ where: { id: roleId } })).toBe(0);
    await expect
      .poll(() => db.auditEvent.count({ where: { targetId: roleId, action: 'role.deleted', actorId: operator.id } }))
      .toBe(1);
    // The application stays, with no role mapped.
    await page.goto(appUrl);
    await expect(page.getByText('nobody can use it')).toBeVisible();
  });

  test('platform staff see the catalog pages without edit controls', async ({ page, seedUser, loginAs, db }) => {
    const id = randomBytes(4).toString('hex');
    const api = await db.api.create({
      data: {
        name: `Staff view API ${id}`,
        identifier: `urn:e2e:staff-${id}`,
        permissions: { create: [{ value: 'read:things', description: 'Read things' }] },
      },
      include: { permissions: true },
    });
    const app = await db.application.create({
      data: { name: `Staff view app ${id}`, type: 'SPA', clientId: `staffview${id}`, accessPolicy: 'ANY_ROLE' },
    });
    const role = await db.role.create({
      data: {
        key: `staff-view-${id}`,
        name: `Staff view role ${id}`,
        permissions: { create: [{ permissionId: api.permissions[0]!.id }] },
        applications: { create: [{ applicationId: app.id }] },
      },
    });
    const staff = await seedUser({ platformRole: 'STAFF' });
    await loginAs(staff);

    await page.goto(`/platform/apis?q=${id}`);
    await expect(page.getByRole('table', { name: 'APIs' }).getByRole('link', { name: api.name })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New API' })).toHaveCount(0);
    await page.goto(`/platform/apis/${api.id}`);
    await expect(page.getByRole('heading', { level: 1, name: api.name })).toBeVisible();
    await expect(page.getByRole('table', { name: `Permissions of ${api.name}` })).toContainText('read:things');
    for (const name of ['Save API', 'Add permission', 'Delete API', 'Delete permission read:things']) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }
    await expect(page.getByRole('textbox')).toHaveCount(0);

    await page.goto(`/platform/roles?q=${id}`);
    await expect(page.getByRole('table', { name: 'Roles' }).getByRole('link', { name: role.name })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New role' })).toHaveCount(0);
    await page.goto(`/platform/roles/${role.id}`);
    await expect(page.getByRole('heading', { level: 1, name: role.name })).toBeVisible();
    await expect(page.getByText('read:things')).toBeVisible();
    await expect(page.getByRole('link', { name: app.name })).toBeVisible();
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    for (const name of ['Save role', 'Save permissions', 'Save applications', 'Delete role']) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }

    await page.goto(`/platform/applications?type=SPA&q=${id}`);
    await expect(page.getByRole('table', { name: 'Applications' }).getByRole('link', { name: app.name })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New application' })).toHaveCount(0);
    await page.goto(`/platform/applications/${app.id}`);
    await expect(page.getByRole('heading', { level: 1, name: app.name })).toBeVisible();
    await expect(page.getByText('Any mapped role')).toBeVisible();
    await expect(page.getByRole('list', { name: `Roles mapped to ${app.name}` }).getByRole('link', { name: role.name })).toBeVisible();
    for (const name of ['Save application', 'Delete application']) {
      await expect(page.getByRole('button', { name })).toHaveCount(0);
    }
    await expect(page.getByRole('radio')).toHaveCount(0);
  });

  test('the catalog pages and their dialogs have no axe violations for an operator', async ({ page, seedUser, loginAs, db }) => {
    test.setTimeout(120_000);
    const id = randomBytes(4).toString('hex');
    const api = await db.api.create({
      data: { name: `Axe API ${id}`, identifier: `https://axe-${id}.example.test`, permissions: { create: [{ value: 'read:axe' }] } },
      include: { permissions: true },
    });
    const app = await db.application.create({ data: { name: `Axe app ${id}`, type: 'M2M', clientId: `axeclient${id}`, accessPolicy: 'ALL_ROLES' } });
    const role = await db.role.create({
      data: {
        key: `axe-${id}`,
        name: `Axe role ${id}`,
        permissions: { create: [{ permissionId: api.permissions[0]!.id }] },
        applications: { create: [{ applicationId: app.id }] },
      },
    });
    await loginAs(await seedUser({ platformRole: 'OPERATOR' }));
    const check = async (label: string, include?: string) => {
      const builder = new AxeBuilder({ page }).withTags(wcag);
      const { violations } = await (include ? builder.include(include) : builder).analyze();
      expect(violations.map((v) => `${label}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    };
    for (const path of [
      '/platform/apis',
      `/platform/apis/${api.id}`,
      '/platform/roles',
      `/platform/roles/${role.id}`,
      '/platform/applications',
      `/platform/applications/${app.id}`,
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await check(path);
    }
    // The usage confirm, opened by keyboard, and the create dialog.
    await page.goto(`/platform/roles/${role.id}`);
    await page.getByRole('button', { name: 'Delete role', exact: true }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: `Delete ${role.name}?` });
    await expect(confirm).toContainText('1 application is mapped to it.');
    await check('delete role dialog', '[role="dialog"]');
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    expect(await db.role.count({ where: { id: role.id } })).toBe(1);
    await page.goto('/platform/applications');
    await page.getByRole('button', { name: 'New application' }).click();
    await expect(page.getByRole('dialog', { name: 'New application' })).toBeVisible();
    await check('new application dialog', '[role="dialog"]');
  });
});
