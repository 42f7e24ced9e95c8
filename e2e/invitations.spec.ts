import { randomBytes } from 'node:crypto';
import { expect, hydrated, loginAs, test, waitForMail, waitsForHydration } from './fixtures';

/**
 * The org owner's daily work, end to end: mail goes through a real SMTP server (scripts/e2e-server.ts captures it),
 * the invitee signs in through the local OpenID provider in a separate browser context, and every step is audited.
 */
test.describe('org self-service: invitations, tiers and ownership', () => {
  test('owner invites an admin, the admin accepts from the mail and invites an employee, ownership moves, all audited', async ({
    page,
    browser,
    seedOrg,
    seedUser,
    db,
    loginAs: signIn,
  }) => {
    test.setTimeout(120_000);
    const baseURL = process.env.E2E_BASE_URL!;
    const { org, owner } = await seedOrg();
    const id = randomBytes(4).toString('hex');
    const adminEmail = `new-admin-${id}@mail.test`;
    const employeeEmail = `new-employee-${id}@mail.test`;

    // 1. The owner invites an admin.
    await signIn(owner);
    let since = Date.now();
    await page.goto(`/orgs/${org.slug}/invitations`);
    await page.getByLabel('Email addresses').fill(adminEmail);
    await page.getByRole('radio', { name: 'Admin' }).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expect(page.getByRole('status', { name: 'Invitation results' })).toContainText(`${adminEmail}: invited, email sent`);
    await expect(page.getByRole('row').filter({ hasText: adminEmail })).toContainText('pending');
    const adminMail = await waitForMail(adminEmail, { since });
    expect(adminMail.subject).toContain(org.name);
    const adminLink = adminMail.links.find((l) => l.includes('/invite/'));
    expect(adminLink).toBeTruthy();

    // 2. The admin opens the link in another browser, signs in through the OpenID redirect flow, and accepts.
    const adminContext = await browser.newContext({ baseURL });
    const adminPage = waitsForHydration(await adminContext.newPage());
    await adminPage.goto(adminLink!);
    await expect(adminPage.getByRole('heading', { name: `Join ${org.name}` })).toBeVisible();
    // Opening the link accepts nothing (mail scanners open links).
    expect((await db.invitation.findFirstOrThrow({ where: { orgId: org.id, email: adminEmail } })).acceptedAt).toBeNull();
    await adminPage.getByRole('link', { name: 'Sign in to accept' }).click();
    await adminPage.getByLabel('Email', { exact: true }).fill(adminEmail);
    await adminPage.getByLabel('Name').fill(`Invited Admin ${id}`);
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await expect(adminPage.getByRole('button', { name: 'Accept invitation' })).toBeVisible();
    await hydrated(adminPage);
    await adminPage.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(adminPage).toHaveURL(new RegExp(`/orgs/${org.slug}$`));
    await expect(adminPage.getByText('You are admin of this organization.')).toBeVisible();
    // The link works once.
    await adminPage.goto(adminLink!);
    await expect(adminPage.getByRole('heading', { name: "This invitation can't be used" })).toBeVisible();
    await expect(adminPage.getByText(org.name)).toHaveCount(0);

    // 3. The admin invites an employee; owner is not on offer for an admin.
    let inviteActionId: string | undefined;
    adminPage.on('request', (r) => {
      if (r.method() === 'POST' && r.headers()['next-action'] && r.url().includes('/invitations')) inviteActionId = r.headers()['next-action'];
    });
    await adminPage.goto(`/orgs/${org.slug}/invitations`);
    await expect(adminPage.getByRole('radio', { name: 'Owner' })).toHaveCount(0);
    since = Date.now();
    await adminPage.getByLabel('Email addresses').fill(employeeEmail);
    await adminPage.getByRole('radio', { name: 'Employee' }).check();
    await adminPage.getByRole('button', { name: 'Send invitation' }).click();
    await expect(adminPage.getByRole('status', { name: 'Invitation results' })).toContainText(`${employeeEmail}: invited, email sent`);
    const employeeLink = (await waitForMail(employeeEmail, { since })).links.find((l) => l.includes('/invite/'));
    expect(inviteActionId).toBeTruthy();

    // 4. The employee accepts, sees no way to invite, and the server refuses a direct call.
    const employee = await seedUser({ email: employeeEmail, emailVerified: true });
    const employeeContext = await browser.newContext({ baseURL });
    await loginAs(employeeContext, employee);
    const employeePage = waitsForHydration(await employeeContext.newPage());
    await employeePage.goto(employeeLink!);
    await employeePage.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(employeePage.getByText('You are employee of this organization.')).toBeVisible();
    await expect(employeePage.getByRole('link', { name: 'Invitations' })).toHaveCount(0);
    await expect(employeePage.getByRole('button', { name: /Send invitation/ })).toHaveCount(0);
    const direct = await employeePage.request.post(`/orgs/${org.slug}/invitations`, {
      headers: { 'next-action': inviteActionId!, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', origin: new URL(baseURL!).origin },
      data: JSON.stringify([{ orgSlug: org.slug, emails: [`sneaky-${id}@mail.test`], tier: 'ADMIN', roleIds: [] }]),
    });
    expect(await direct.text()).toContain('"code":"FORBIDDEN"');
    expect(await db.invitation.count({ where: { orgId: org.id, email: `sneaky-${id}@mail.test` } })).toBe(0);

    // 5. The owner transfers ownership to the new admin.
    await page.goto(`/orgs/${org.slug}/members`);
    await page.getByRole('button', { name: `Actions for Invited Admin ${id}` }).click();
    await page.getByRole('menuitem', { name: 'Transfer ownership…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Transfer ownership' }).click();
    await expect(page.getByRole('row').filter({ hasText: adminEmail })).toContainText('Owner');
    await expect(page.getByRole('row').filter({ hasText: owner.email })).toContainText('Admin');

    // 6. Every step is in the org's audit log.
    await page.goto(`/orgs/${org.slug}/audit`);
    for (const action of ['invitation.created', 'invitation.accepted', 'member.added', 'ownership.transferred']) {
      await expect(page.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
    }
    const actions = (await db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { id: 'asc' }, select: { action: true } })).map((e) => e.action);
    expect(actions).toEqual([
      'invitation.created',
      'invitation.accepted',
      'member.added',
      'invitation.created',
      'invitation.accepted',
      'member.added',
      'ownership.transferred',
    ]);
    await Promise.all([adminContext.close(), employeeContext.close()]);
  });

  test('bad input gets a clear error, keeps what was typed, and invites nobody', async ({ page, seedOrg, loginAs: signIn, db }) => {
    const { org, owner } = await seedOrg();
    await signIn(owner);
    await page.goto(`/orgs/${org.slug}/invitations`);
    const box = page.getByLabel('Email addresses');
    await box.fill('fine@mail.test, not-an-email');
    await page.getByRole('button', { name: 'Send 2 invitations' }).click();
    await expect(page.getByRole('alert').first()).toContainText('not-an-email');
    await expect(box).toHaveValue('fine@mail.test, not-an-email');
    expect(await db.invitation.count({ where: { orgId: org.id } })).toBe(0);
    // More than 100 addresses cannot be sent at once.
    await box.fill(Array.from({ length: 101 }, (_, i) => `p${i}@mail.test`).join('\n'));
    await expect(page.getByText('send at most 100 at once')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send 101 invitations' })).toBeDisabled();
  });

  test('an admin is offered nothing against the owner and never owner, but manages employees', async ({
    page,
    seedOrg,
    loginAs: signIn,
    db,
  }) => {
    const { org, owner, admin, employee } = await seedOrg();
    await signIn(admin);
    await page.goto(`/orgs/${org.slug}/members`);
    await expect(page.getByRole('button', { name: `Actions for ${owner.name}` })).toHaveCount(0);
    await page.getByRole('button', { name: `Actions for ${employee.name}` }).click();
    await expect(page.getByRole('menuitem', { name: 'Make owner' })).toHaveCount(0);
    await page.getByRole('menuitem', { name: 'Make admin' }).click();
    await expect(page.getByRole('row').filter({ hasText: employee.email })).toContainText('Admin');
    expect((await db.membership.findFirstOrThrow({ where: { orgId: org.id, userId: owner.id } })).tier).toBe('OWNER');
  });
});
