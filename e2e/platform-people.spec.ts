import { randomSuffix } from '@/prisma/factories';
import { checkWithNewKey, expect, loginAs as loginContextAs, newCheckKey, test } from './fixtures';

/**
 * The platform's people screens, as staff and superadmins use them: finding a user and seeing why they reach an
 * application, promoting someone to operator, and blocking a user, which the decision API obeys within a second.
 */

test.describe('platform users and staff', () => {
  test('staff find a member, open their details and see why they reach an application; the look is recorded', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    const { org, employee } = await seedOrg();
    const s = randomSuffix();
    const role = await db.role.create({ data: { key: `portal-${s}`, name: `Portal ${s}` } });
    const app = await db.application.create({
      data: { name: `Portal ${s}`, type: 'REGULAR_WEB', clientId: `portal-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: role.id }] } },
    });
    await db.roleAssignment.create({ data: { roleId: role.id, userId: employee.id, orgId: org.id } });
    const staff = await seedUser({ platformRole: 'STAFF' });
    await loginAs(staff);

    await page.goto('/platform');
    await page.getByRole('navigation', { name: 'Platform sections' }).getByRole('link', { name: 'Users' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await page.getByLabel('Search users by email, name or Auth0 subject').fill(employee.email.slice(0, 12).toUpperCase());
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('table', { name: 'Users' }).getByRole('link', { name: employee.email }).click();

    await expect(page.getByRole('heading', { level: 1, name: employee.name! })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Users' })).toBeVisible();
    const orgSection = page.getByRole('region', { name: `${org.name} (${org.slug})`, exact: true });
    const row = orgSection.getByRole('row').filter({ hasText: app.name });
    await expect(row.getByText('Allowed', { exact: true })).toBeVisible();
    // The reason names the role by its name (issue #16), not its key.
    await expect(row).toContainText(`Allowed by the role ${role.name}.`);
    await expect(row).not.toContainText(role.key);
    // The org is named with a link to its detail page.
    await expect(orgSection.getByRole('link', { name: org.name })).toHaveAttribute('href', `/platform/orgs/${org.id}`);
    // Staff read only: no block button.
    await expect(page.getByRole('button', { name: 'Block user' })).toHaveCount(0);
    // The look is recorded about this user.
    await expect
      .poll(() => db.auditEvent.count({ where: { actorId: staff.id, action: 'platform.viewed', targetType: 'user', targetId: employee.id } }))
      .toBe(1);
  });

  test('a superadmin makes someone an operator, who then sees the operator screens', async ({ page, browser, seedUser, loginAs, db }) => {
    const superadmin = await seedUser({ platformRole: 'SUPERADMIN' });
    const person = await seedUser();
    await loginAs(superadmin);
    await page.goto('/platform/staff');
    await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Add platform staff' });
    await form.getByLabel('Email').fill(person.email);
    await form.getByLabel('Platform role').selectOption('OPERATOR');
    await form.getByRole('button', { name: 'Give role' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${person.email} is now operator` })).toBeVisible();
    expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).platformRole).toBe('OPERATOR');
    expect(await db.auditEvent.count({ where: { actorId: superadmin.id, action: 'user.platform_role_changed', targetId: person.id } })).toBe(1);

    const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
    await loginContextAs(context, person);
    const operatorPage = await context.newPage();
    await operatorPage.goto('/platform/api-keys');
    await expect(operatorPage.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
    const nav = operatorPage.getByRole('navigation', { name: 'Platform sections' });
    await expect(nav.getByRole('link', { name: 'API keys' })).toBeVisible();
    // Operators do not manage staff: the staff page is read-only for them.
    await operatorPage.goto('/platform/staff');
    await expect(operatorPage.getByText('Only superadmins change platform roles.')).toBeVisible();
    await context.close();
  });

  test('a superadmin blocks a user, and /api/v1/check denies them (user_blocked) within a second', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    const { org, employee } = await seedOrg();
    const s = randomSuffix();
    const app = await db.application.create({ data: { name: `Open ${s}`, type: 'SPA', clientId: `open-${s}`, accessPolicy: 'OPEN' } });
    const key = await newCheckKey(db, 'e2e block');
    const check = async () => {
      const { status, answer } = await checkWithNewKey(key, {
        subject: { type: 'user', sub: employee.sub },
        organization: org.slug,
        target: { type: 'application', clientId: app.clientId },
      });
      expect(status).toBe(200);
      return answer!;
    };
    // The new key and app reach the decision API through its change feed: until then it answers 401 (waited out by
    // checkWithNewKey) and then denies the unknown app for a moment.
    await expect.poll(async () => (await check()).allow, { timeout: 10_000 }).toBe(true);

    const superadmin = await seedUser({ platformRole: 'SUPERADMIN' });
    await loginAs(superadmin);
    await page.goto(`/platform/users/${employee.id}`);
    await page.getByRole('button', { name: 'Block user' }).click();
    const dialog = page.getByRole('dialog', { name: `Block ${employee.email}?` });
    await dialog.getByRole('button', { name: 'Block user' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Blocked ${employee.email}` })).toBeVisible();
    const blockedAt = Date.now();
    let answer = await check();
    while (answer.reason.code !== 'user_blocked' && Date.now() - blockedAt < 3_000) answer = await check();
    const ms = Date.now() - blockedAt;
    expect(answer).toMatchObject({ allow: false, reason: { code: 'user_blocked' } });
    expect(ms, `user_blocked after ${ms} ms`).toBeLessThan(1_000);
    await expect(page.getByRole('button', { name: 'Unblock user' })).toBeVisible();
    expect(await db.auditEvent.count({ where: { actorId: superadmin.id, action: 'user.blocked', targetId: employee.id } })).toBe(1);
  });

  test('the global audit log reads as sentences with links, filters by org, and opens an event with its diff', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    const { org, owner, employee } = await seedOrg();
    await db.auditEvent.create({
      data: { actorType: 'user', actorId: owner.id, orgId: org.id, action: 'member.tier_changed', targetType: 'user', targetId: employee.id, before: { tier: 'EMPLOYEE' }, after: { tier: 'ADMIN' } },
    });
    await loginAs(await seedUser({ platformRole: 'STAFF' }));
    await page.goto(`/platform/audit?org=${org.slug}`);
    const table = page.getByRole('table', { name: 'Audit events' });
    const row = table.getByRole('row').filter({ hasText: `${owner.name} made ${employee.name} an admin` });
    await expect(row).toBeVisible();
    await expect(row.getByRole('link', { name: employee.name! })).toHaveAttribute('href', `/platform/users/${employee.id}`);
    await expect(row.getByRole('link', { name: org.name })).toHaveAttribute('href', `/platform/orgs/${org.id}`);
    await row.getByText('Changes').click();
    await expect(row.getByRole('table')).toContainText('EMPLOYEE');
    await row.getByRole('link', { name: /^Event / }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Event / })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Fields that changed' })).toContainText('ADMIN');
    const csv = await page.request.get(`/platform/audit/export?org=${org.slug}&format=csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain(`${owner.name} made ${employee.name} an admin`);
  });
});
