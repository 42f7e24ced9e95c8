import AxeBuilder from '@axe-core/playwright';
import { randomSuffix } from '@/prisma/factories';
import { checkWithNewKey, expect, loginAs as loginContextAs, newCheckKey, test } from './fixtures';

/** The platform console's journeys: from the dashboard's charts to an org, and suspending an org end to end. */

test.describe('platform console', () => {
  test('staff goes from the dashboard’s sign-ins chart to an org, then to an admin of it and why they reach an app', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    const { org, admin, employee } = await seedOrg();
    const s = randomSuffix();
    const role = await db.role.create({ data: { key: `journey-${s}`, name: `Journey ${s}` } });
    const app = await db.application.create({
      data: { name: `Journey app ${s}`, type: 'SPA', clientId: `journey${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: role.id }] } },
    });
    await db.roleAssignment.create({ data: { roleId: role.id, userId: admin.id, orgId: org.id } });
    // Enough sign-ins today to make this org one of the five busiest of the week.
    await db.loginEvent.createMany({ data: Array.from({ length: 2000 }, () => ({ userId: employee.id, orgId: org.id, clientId: `e2e-${randomSuffix()}` })) });
    const staff = await seedUser({ platformRole: 'STAFF' });
    await loginAs(staff);
    await page.goto('/platform');
    await expect(page.getByRole('heading', { level: 1, name: 'Platform' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Time range' }).getByRole('link', { name: '7 days' }).click();
    await expect(page).toHaveURL(/days=7/);
    const chart = page.getByRole('region', { name: 'Sign-ins per day', exact: true });
    await chart.getByRole('link', { name: 'By organization' }).click();
    await expect(page).toHaveURL(/stack=org/);
    // The table alternative lists the same figures.
    await chart.getByText('Show the figures as a table').click();
    await expect(chart.getByRole('columnheader', { name: org.name, exact: true })).toBeVisible();
    await chart.getByRole('link', { name: org.name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: org.name })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Organizations');
    await expect(page.getByRole('region', { name: 'Sign-ins per day', exact: true })).toContainText('sign-ins in the last 90 days');
    // Staff read; they do not suspend.
    await expect(page.getByRole('button', { name: 'Suspend organization' })).toHaveCount(0);
    // The look is audited.
    await expect
      .poll(() => db.auditEvent.count({ where: { actorId: staff.id, action: 'platform.viewed', targetType: 'org', targetId: org.id } }))
      .toBe(1);

    // From the org to one of its admins, and why that admin reaches the app in this org.
    await page.getByRole('table', { name: 'Owners and admins' }).getByRole('link', { name: new RegExp(admin.email) }).click();
    await expect(page.getByRole('heading', { level: 1, name: admin.name! })).toBeVisible();
    const reach = page.getByRole('table', { name: `What ${org.name} lets this user reach` });
    await expect(reach.getByRole('row', { name: new RegExp(app.name) })).toContainText(`Allowed by the role ${role.name}`);
  });

  test('a row link of a long list opens its page in the same document, and in a new tab with Ctrl or Cmd', async ({ page, context, seedOrg, seedUser, loginAs }) => {
    // The long lists' links are plain anchors (components/ui/plain-link.tsx) that the document navigates on the client.
    const { org } = await seedOrg();
    await loginAs(await seedUser({ platformRole: 'STAFF' }));
    await page.goto(`/platform/orgs?q=${encodeURIComponent(org.slug)}`);
    const link = page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: org.name, exact: true });
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click({ modifiers: ['ControlOrMeta'] })]);
    await expect(tab).toHaveURL(new RegExp(`/platform/orgs/${org.id}$`));
    await tab.close();
    await expect(page).toHaveURL(/\/platform\/orgs\?q=/);
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    await link.click();
    await expect(page.getByRole('heading', { level: 1, name: org.name })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/platform/orgs/${org.id}$`));
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.goBack();
    await expect(page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name: org.name, exact: true })).toBeVisible();
  });

  test('a superadmin suspends an org; a member is denied by /api/v1/check within a second and lands on the suspended page', async ({
    page,
    browser,
    seedOrg,
    seedUser,
    loginAs,
    db,
  }) => {
    const { org, employee } = await seedOrg();
    const key = await newCheckKey(db, 'e2e suspension');
    const check = async () => (await checkWithNewKey(key, { subject: { type: 'user', sub: employee.sub }, organization: org.slug })).answer?.reason.code;
    await expect.poll(check, { timeout: 5000 }).toBe('member');

    const superadmin = await seedUser({ platformRole: 'SUPERADMIN' });
    await loginAs(superadmin);
    await page.goto(`/platform/orgs/${org.id}`);
    const zone = page.getByRole('region', { name: 'Suspend this organization' });
    const button = zone.getByRole('button', { name: 'Suspend organization' });
    await zone.getByLabel('Reason').fill('Unpaid invoices');
    await expect(button).toBeDisabled();
    await zone.getByLabel(`Type ${org.slug} to confirm`).fill(org.slug);
    await button.click();
    await expect(page.getByText(/Suspended since/)).toBeVisible();
    const suspendedAt = (await db.org.findUniqueOrThrow({ where: { id: org.id } })).suspendedAt!;
    let denied: number | null = null;
    while (Date.now() - suspendedAt.getTime() < 10_000) {
      if ((await check()) === 'org_suspended') {
        denied = Date.now() - suspendedAt.getTime();
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    // The decision API obeys within a second (asserted with two instances in lib/data/platform-org-detail.int.test.ts,
    // 107 ms there); through the browser on a loaded CI machine this only asserts that it happens, promptly.
    expect(denied, 'denied with org_suspended').not.toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({ where: { orgId: org.id, action: 'org.suspended' } });
    expect([event.actorId, (event.after as { reason: string }).reason]).toEqual([superadmin.id, 'Unpaid invoices']);

    const memberContext = await browser.newContext();
    await loginContextAs(memberContext, employee);
    const memberPage = await memberContext.newPage();
    await memberPage.goto(`${process.env.E2E_BASE_URL}/orgs/${org.slug}`);
    await expect(memberPage).toHaveURL(/\/suspended/);
    await expect(memberPage.getByRole('heading', { name: 'This organization is suspended' })).toBeVisible();
    await memberContext.close();

    // Reinstated the same way.
    const reinstate = page.getByRole('region', { name: 'Reinstate this organization' });
    await reinstate.getByLabel('Reason').fill('Paid');
    await reinstate.getByLabel(`Type ${org.slug} to confirm`).fill(org.slug);
    await reinstate.getByRole('button', { name: 'Reinstate organization' }).click();
    await expect(page.getByRole('region', { name: 'Suspend this organization' })).toBeVisible();
    await expect.poll(check, { timeout: 3000 }).toBe('member');
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => v.id)).toEqual([]);
  });
});
