import { randomBytes } from 'node:crypto';
import { expect, test } from './fixtures';

/** The access matrix: reasons on every cell, grant and revoke from a cell, virtualized rows, CSV export. */
test.describe('the access matrix', () => {
  async function appRequiringRole(db: import('@/lib/db').Db) {
    const s = randomBytes(4).toString('hex');
    const role = await db.role.create({ data: { key: `support-${s}`, name: `Support ${s}`, description: 'Support desk' } });
    const app = await db.application.create({
      data: { name: `Helpdesk ${s}`, type: 'SPA', clientId: `helpdesk${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: role.id }] } },
    });
    return { role, app };
  }

  test('an app that requires a role is denied with the reason; the owner grants and revokes it from the cell', async ({ page, seedOrg, loginAs, db }) => {
    const { org, owner, employee } = await seedOrg();
    const { role, app } = await appRequiringRole(db);
    await loginAs(owner);
    await page.goto(`/orgs/${org.slug}/access?q=${encodeURIComponent(employee.email)}`);
    const cell = page.getByRole('button', { name: new RegExp(`^${employee.name}, ${app.name}: denied\\. .*needs one of the roles ${role.name}`) });
    await expect(cell).toBeVisible();
    // The reason is also shown on keyboard focus.
    // The virtualizer may remount the row once it has measured it (slow machines), which drops focus; focus again then.
    await expect(async () => {
      await cell.focus();
      await expect(page.getByRole('tooltip')).toContainText(`needs one of the roles ${role.name}`, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });

    await cell.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('radio', { name: new RegExp(role.name) })).toBeChecked();
    await expect(dialog).toContainText(`Applications: ${app.name}`);
    await dialog.getByRole('button', { name: `Grant ${role.name}` }).click();
    const allowed = page.getByRole('button', { name: new RegExp(`^${employee.name}, ${app.name}: allowed\\. Allowed by the role ${role.name}`) });
    await expect(allowed).toBeVisible();
    expect(await db.roleAssignment.count({ where: { userId: employee.id, orgId: org.id, roleId: role.id } })).toBe(1);

    await allowed.click();
    await page.getByRole('dialog').getByRole('button', { name: `Revoke ${role.name}` }).click();
    await expect(page.getByRole('button', { name: new RegExp(`^${employee.name}, ${app.name}: denied`) })).toBeVisible();
    expect(await db.roleAssignment.count({ where: { userId: employee.id, orgId: org.id, roleId: role.id } })).toBe(0);
    const audited = await db.auditEvent.findMany({ where: { orgId: org.id, action: 'member.roles_changed' } });
    expect(audited).toHaveLength(2);
  });

  test('an admin sees the matrix, an employee does not, and the rows route refuses them on the server', async ({ page, seedOrg, loginAs }) => {
    const { org, employee } = await seedOrg();
    await loginAs(employee);
    expect((await page.request.get(`/orgs/${org.slug}/access`)).status()).toBe(403);
    const res = await page.request.get(`/orgs/${org.slug}/access/rows`);
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
    expect((await page.request.get(`/orgs/${org.slug}/access/export`)).status()).toBe(403);
  });

  test('keeps the DOM bounded while scrolling through hundreds of members, and exports the filter as CSV', async ({ page, seedOrg, loginAs, db }) => {
    test.setTimeout(120_000);
    const { org, owner } = await seedOrg();
    const tag = randomBytes(4).toString('hex');
    const users = await db.user.createManyAndReturn({
      data: Array.from({ length: 450 }, (_, i) => ({
        sub: `auth0|bulk-${tag}-${i}`,
        email: `bulk-${tag}-${String(i).padStart(3, '0')}@example.test`,
        name: `Bulk ${tag} ${String(i).padStart(3, '0')}`,
        emailVerified: true,
      })),
      select: { id: true },
    });
    await db.membership.createMany({ data: users.map((u) => ({ orgId: org.id, userId: u.id, tier: 'EMPLOYEE' as const })) });
    await loginAs(owner);
    await page.goto(`/orgs/${org.slug}/access?q=${tag}`);
    const grid = page.getByRole('grid');
    await expect(grid).toBeVisible();
    const rowsInDom = () => page.locator('[data-matrix-row]').count();
    expect(await rowsInDom()).toBeLessThan(40);
    // Scroll down page after page until every row has been loaded; the rows in the DOM stay bounded throughout.
    const status = page.getByText(/rows loaded/);
    for (let i = 0; i < 40 && !(await status.textContent())?.startsWith('450 rows loaded.'); i++) {
      await grid.evaluate((el) => el.scrollBy(0, 1500));
      await page.waitForTimeout(200);
      expect(await rowsInDom()).toBeLessThan(40);
    }
    await expect(status).toHaveText(/^450 rows loaded\./);
    await grid.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(page.getByRole('rowheader', { name: new RegExp(`Bulk ${tag} 449`) })).toBeVisible();
    expect(await rowsInDom()).toBeLessThan(40);

    const csv = await page.request.get(`/orgs/${org.slug}/access/export?q=${tag}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(451);
    expect(lines[0]).toMatch(/^name,email_or_client_id,tier,last_sign_in,/);
    expect(lines[1]).toContain(`Bulk ${tag} 000`);
  });

  test('an M2M client with a role in org A is allowed there and denied in org B (platform matrix)', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    const [a, b] = await Promise.all([seedOrg(), seedOrg()]);
    const s = randomBytes(4).toString('hex');
    const api = await db.api.create({ data: { identifier: `https://reports-${s}.test`, name: `Reports ${s}`, permissions: { create: [{ value: 'read:reports' }] } } });
    const permission = await db.permission.findFirstOrThrow({ where: { apiId: api.id } });
    const role = await db.role.create({ data: { key: `reporter-${s}`, name: `Reporter ${s}`, permissions: { create: [{ permissionId: permission.id }] } } });
    const client = await db.application.create({ data: { name: `Nightly ${s}`, type: 'M2M', clientId: `nightly${s}` } });
    await db.roleAssignment.create({ data: { roleId: role.id, clientAppId: client.id, orgId: a.org.id } });
    const operator = await seedUser({ platformRole: 'OPERATOR' });
    await loginAs(operator);
    for (const [org, verdict] of [
      [a.org, 'allowed'],
      [b.org, 'denied'],
    ] as const) {
      await page.goto(`/platform/matrix?subjects=clients&org=${org.slug}&q=${s}`);
      await expect(page.getByRole('button', { name: new RegExp(`^Nightly ${s}, ${api.identifier.replace(/[.]/g, '\\.')}: ${verdict}`) })).toBeVisible();
    }
  });
});
