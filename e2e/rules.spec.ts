import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { randomSuffix } from '@/prisma/factories';
import { expect, hydrated, loginAs as loginContextAs, test, waitsForHydration } from './fixtures';

/**
 * Default-role rules and M2M role assignments, end to end. The sign-ins go through the real OpenID redirect flow of
 * the local provider, as brand-new accounts, so `recordSignIn` creates the user and applies the demo seed's rules.
 * Rules are global: the rule made here has an email domain of its own, so it never matches another spec's users.
 */

const id = () => randomBytes(4).toString('hex');

/** Signs in through the local provider's "another account" form; the account is new, so this is a first sign-in. */
async function signInAsNewAccount(page: Page, account: { email: string; name: string; connection?: string }) {
  await page.goto('/auth/login');
  await expect(page).toHaveURL(new RegExp(`^http://localhost:${process.env.E2E_IDP_PORT}/`));
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Name').fill(account.name);
  if (account.connection) await page.getByLabel('Connection').selectOption(account.connection);
  await page.getByLabel('Email verified').check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test.describe('default-role rules on first sign-in (demo seed)', () => {
  test('the seed has the two rules: corp-azure-ad users are INTERNAL in Acme (stop), everyone else CUSTOMER', async ({ db }) => {
    const rules = await db.defaultRoleRule.findMany({
      where: { enabled: true },
      orderBy: { position: 'asc' },
      include: { org: true, roles: { include: { role: true } } },
    });
    const internal = rules.find((r) => r.connection === 'corp-azure-ad');
    const everyone = rules.find((r) => r.connection === null && r.emailDomain === null && !r.requireVerifiedEmail);
    expect(internal).toMatchObject({ stop: true, tier: 'EMPLOYEE', org: { slug: 'acme' } });
    expect(internal!.roles.map((x) => [x.role.name, x.global])).toEqual([['INTERNAL', false]]);
    expect(everyone!.roles.map((x) => [x.role.name, x.global])).toEqual([['CUSTOMER', true]]);
    expect(internal!.position).toBeLessThan(everyone!.position);
  });

  test('a new corp-azure-ad account gets INTERNAL in Acme, and not CUSTOMER', async ({ page, db }) => {
    const n = id();
    const email = `corp-${n}@corp.test`;
    await signInAsNewAccount(page, { email, name: `Corp ${n}`, connection: 'corp-azure-ad' });

    // The rule made them an employee of Acme, so they land there, and the console shows the role.
    await expect(page).toHaveURL(/\/orgs\/acme$/);
    await hydrated(page);
    await expect(page.getByText('You are employee of this organization.')).toBeVisible();
    const myRoles = page.getByRole('region', { name: 'Your roles here' });
    await expect(myRoles.getByText(/^INTERNAL/)).toBeVisible();
    await expect(myRoles.getByText(/^CUSTOMER/)).toHaveCount(0);

    const user = await db.user.findFirstOrThrow({
      where: { email },
      include: { memberships: { include: { org: true } }, assignments: { include: { role: true, org: true } } },
    });
    expect(user.connection).toBe('corp-azure-ad');
    expect(user.memberships.map((m) => [m.org.slug, m.tier])).toEqual([['acme', 'EMPLOYEE']]);
    expect(user.assignments.map((a) => [a.role.key, a.org?.slug ?? null, a.expiresAt])).toEqual([['internal', 'acme', null]]);
    const added = await db.auditEvent.findFirstOrThrow({ where: { action: 'member.added', targetId: user.id } });
    expect(added.after).toMatchObject({ via: 'rule', tier: 'EMPLOYEE' });
  });

  test('a new account on the default connection gets CUSTOMER everywhere, then onboards', async ({ page, db }) => {
    const n = id();
    const email = `customer-${n}@example.test`;
    await signInAsNewAccount(page, { email, name: `Customer ${n}` });

    // No rule gave them an org, so they onboard; the global role goes with them into the org they create.
    await expect(page).toHaveURL(/\/onboarding$/);
    await hydrated(page);
    const user = await db.user.findFirstOrThrow({ where: { email }, include: { assignments: { include: { role: true } } } });
    expect(user.connection).toBe('Username-Password-Authentication');
    expect(user.assignments.map((a) => [a.role.key, a.orgId])).toEqual([['customer', null]]);
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);

    await page.getByLabel('Organization name').fill(`Customer Co ${n}`);
    await page.getByLabel('Address').fill(`customer-co-${n}`);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/customer-co-${n}$`));
    const myRoles = page.getByRole('region', { name: 'Your roles here' });
    await expect(myRoles.getByText(/^CUSTOMER/)).toBeVisible();
    await expect(myRoles.getByText(/^INTERNAL/)).toHaveCount(0);
  });
});

test.describe('M2M client roles per org', () => {
  test('an operator gives a client a role in one org; the client page shows it under that org, and only that org sees it', async ({
    page,
    db,
    seedOrg,
    seedUser,
    loginAs,
    browser,
    baseURL,
  }) => {
    const s = randomSuffix();
    const [a, b, operator] = await Promise.all([seedOrg(), seedOrg(), seedUser({ platformRole: 'OPERATOR' })]);
    const client = await db.application.create({
      data: { name: `E2E Service ${s}`, type: 'M2M', clientId: `e2e-svc-${s}`, accessPolicy: 'ANY_ROLE', description: 'Made by e2e/rules.spec.ts' },
    });
    await loginAs(operator);

    await page.goto('/platform/clients');
    await page.getByLabel('Search M2M clients by name or client id').fill(client.clientId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByRole('table', { name: 'M2M clients' }).getByRole('row')).toHaveCount(2);
    await page.getByRole('link', { name: client.name }).click();
    await expect(page.getByRole('heading', { name: client.name, level: 1 })).toBeVisible();
    await hydrated(page);

    const form = page.getByRole('form', { name: 'Add a role' });
    // Submitting without choices gets inline errors and writes nothing.
    await form.getByRole('button', { name: 'Add role' }).click();
    await expect(form.getByText('Choose a role.')).toBeVisible();
    await expect(form.getByText(/Choose an organization/)).toBeVisible();

    await form.getByLabel('Role', { exact: true }).selectOption({ label: 'Report reader (report-reader)' });
    await form.getByLabel('Find an organization').fill(a.org.slug);
    const orgA = form.getByRole('radio', { name: `${a.org.name} (${a.org.slug})` });
    await expect(orgA).toBeVisible();
    // The search runs on the server: only the matching org is offered.
    await expect(form.getByRole('group', { name: 'Organization' }).getByRole('radio')).toHaveCount(1);
    await orgA.check();
    const until = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await form.getByLabel('Expires (optional)').fill(until);
    await form.getByRole('button', { name: 'Add role' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Gave Report reader to ${client.name} in ${a.org.name}` })).toBeVisible();

    // Org by org: the role is under org A, with its expiry; no section for B; nothing global.
    const inA = page.getByRole('table', { name: `Roles in ${a.org.name}` });
    await expect(inA.getByRole('row').filter({ hasText: 'Report reader' })).toContainText(`${until} 23:59 UTC`);
    await expect(page.getByRole('heading', { name: new RegExp(b.org.slug) })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Global roles' })).toContainText('No global roles.');
    const rows = await db.roleAssignment.findMany({ where: { clientAppId: client.id }, include: { org: true, role: true } });
    expect(rows.map((r) => [r.role.key, r.org?.slug])).toEqual([['report-reader', a.org.slug]]);
    expect(rows[0]!.expiresAt?.toISOString()).toBe(`${until}T23:59:59.999Z`);
    expect(await db.auditEvent.count({ where: { action: 'assignment.created', targetId: rows[0]!.id, orgId: a.org.id, actorId: operator.id } })).toBe(1);

    // The org pages: A's owner sees the client acting in A; B's owner does not.
    for (const [org, visible] of [
      [a, true],
      [b, false],
    ] as const) {
      const context = await browser.newContext({ baseURL });
      await loginContextAs(context, org.owner);
      const ownerPage = waitsForHydration(await context.newPage());
      await ownerPage.goto(`/orgs/${org.org.slug}/clients`);
      await expect(ownerPage.getByRole('heading', { name: 'M2M clients', level: 1 })).toBeVisible();
      const table = ownerPage.getByRole('table', { name: `M2M clients with roles in ${org.org.name}` });
      if (visible) await expect(table.getByRole('row').filter({ hasText: client.name })).toContainText('Report reader');
      else await expect(ownerPage.getByText(client.name)).toHaveCount(0);
      // Read-only for the org: no revoke or add controls.
      await expect(ownerPage.getByRole('button', { name: /Revoke|Add role/ })).toHaveCount(0);
      await context.close();
    }

    // Revoke it again from the client page.
    await page.getByRole('button', { name: `Revoke Report reader in ${a.org.name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke role' }).click();
    // (While the modal is open the page behind it is hidden from the accessibility tree, so wait for it to close.)
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: `Revoked Report reader in ${a.org.name}` })).toBeVisible();
    await expect(page.getByRole('table', { name: `Roles in ${a.org.name}` })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Global roles' })).toBeVisible();
    expect(await db.roleAssignment.count({ where: { clientAppId: client.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: 'assignment.deleted', targetId: rows[0]!.id } })).toBe(1);
  });
});

test.describe('editing rules', () => {
  test('an operator creates a rule, dry-runs it, backfills existing users, reorders, disables and deletes it', async ({
    page,
    db,
    seedOrg,
    seedUser,
    loginAs,
  }) => {
    const s = randomSuffix();
    const domain = `rule-${s}.test`;
    const name = `E2E rule ${s}`;
    const [{ org }, operator] = await Promise.all([seedOrg(), seedUser({ platformRole: 'OPERATOR' })]);
    await loginAs(operator);
    await page.goto('/platform/rules');
    await expect(page.getByRole('heading', { name: 'Default-role rules', level: 1 })).toBeVisible();

    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Email domain').fill(`@${domain.toUpperCase()}`);
    await form.getByLabel('Add them to an organization').check();
    await form.getByLabel('Find an organization').fill(org.slug);
    await form.getByRole('radio', { name: `${org.name} (${org.slug})` }).check();
    // A role in the rule's org without a tier is refused inline.
    await form.getByLabel('Role to add').selectOption({ label: 'Report reader (report-reader)' });
    await form.getByRole('button', { name: 'Add role' }).click();
    await expect(form.getByLabel('Where Report reader applies')).toHaveValue('org');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await expect(form.getByText('Choose the tier they join the organization with.')).toBeVisible();
    expect(await db.defaultRoleRule.count({ where: { name } })).toBe(0);
    await form.getByLabel('Tier').selectOption('EMPLOYEE');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Created “${name}”` })).toBeVisible();
    const rule = await db.defaultRoleRule.findFirstOrThrow({ where: { name } });
    // New rules start disabled (ADR 0013): nothing changes at sign-in until someone enables it.
    expect(rule).toMatchObject({ emailDomain: domain, orgId: org.id, tier: 'EMPLOYEE', enabled: false, stop: false });
    const table = page.getByRole('table', { name: /Default-role rules/ });
    await expect(table.getByRole('row').filter({ hasText: name })).toContainText(`email @${domain}`);

    // Existing users with that domain: the dry run counts and lists them.
    const existing = await Promise.all([seedUser({ email: `ada@${domain}` }), seedUser({ email: `bob@${domain}` })]);
    await page.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await hydrated(page);
    await expect(page.getByText('2 existing users meet this rule’s conditions.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Existing users this rule matches' }).getByRole('row')).toHaveCount(3);

    // Backfill: the dialog says how many users it touches; the toast reports what it did.
    await page.getByRole('button', { name: 'Backfill…' }).click();
    const dialog = page.getByRole('dialog', { name: `Apply “${name}” to existing users?` });
    await expect(dialog).toContainText('This touches 2 existing users');
    await dialog.getByRole('button', { name: 'Apply to 2 users' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Backfill finished' })).toContainText('2 users matched: 2 memberships added, 2 roles given.');
    for (const u of existing) {
      expect(await db.membership.findFirst({ where: { userId: u.id, orgId: org.id }, select: { tier: true } })).toEqual({ tier: 'EMPLOYEE' });
      expect(await db.roleAssignment.count({ where: { userId: u.id, orgId: org.id, role: { key: 'report-reader' } } })).toBe(1);
    }
    const summary = await db.auditEvent.findFirstOrThrow({ where: { action: 'rule.backfilled', targetId: rule.id } });
    expect(summary.after).toMatchObject({ matched: 2, membershipsAdded: 2, assignmentsCreated: 2 });

    // Reorder and disable from the list.
    await page.goto('/platform/rules');
    const before = (await db.defaultRoleRule.findUniqueOrThrow({ where: { id: rule.id } })).position;
    await page.getByRole('button', { name: `Move ${name} up` }).click();
    // It takes the place of the rule above it (positions need not be consecutive: other specs add rules meanwhile).
    await expect.poll(async () => (await db.defaultRoleRule.findUniqueOrThrow({ where: { id: rule.id } })).position).toBeLessThan(before);
    const toggle = page.getByRole('switch', { name: `${name} enabled` });
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    // Enabling a rule that matches existing users offers the backfill (it does not run it).
    await toggle.click();
    await expect.poll(async () => (await db.defaultRoleRule.findUniqueOrThrow({ where: { id: rule.id } })).enabled).toBe(true);
    const offer = page.getByTestId('backfill-offer');
    await expect(offer).toContainText('2 existing users match it already');
    await expect(offer.getByRole('button', { name: 'Backfill…' })).toBeVisible();
    await offer.getByRole('button', { name: 'Not now' }).click();
    await expect(offer).toHaveCount(0);
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await toggle.click();
    await expect.poll(async () => (await db.defaultRoleRule.findUniqueOrThrow({ where: { id: rule.id } })).enabled).toBe(false);
    await page.reload();
    await expect(page.getByRole('switch', { name: `${name} enabled` })).toHaveAttribute('aria-checked', 'false');

    // Delete: the order closes up again.
    await page.getByRole('link', { name }).click();
    await page.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete rule' }).click();
    await expect(page).toHaveURL(/\/platform\/rules$/);
    expect(await db.defaultRoleRule.count({ where: { id: rule.id } })).toBe(0);
    const positions = (await db.defaultRoleRule.findMany({ select: { position: true }, orderBy: { position: 'asc' } })).map((r) => r.position);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
  });
});

test.describe('accessibility of the client and rule pages', () => {
  test('have no axe violations, for an operator (with the editing controls) and for staff (without)', async ({ page, db, seedUser, loginAs, browser, baseURL }) => {
    // Eight pages through axe in two sessions: seconds each on a quiet machine, far more on a busy two-core one.
    test.setTimeout(180_000);
    const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    const [operator, staff] = await Promise.all([seedUser({ platformRole: 'OPERATOR' }), seedUser({ platformRole: 'STAFF' })]);
    const client = await db.application.findUniqueOrThrow({ where: { clientId: 'demoReportingService' } });
    const rule = await db.defaultRoleRule.findFirstOrThrow({ where: { connection: 'corp-azure-ad' } });
    const paths = ['/platform/clients', `/platform/clients/${client.id}`, '/platform/rules', `/platform/rules/${rule.id}`];

    await loginAs(operator);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
      expect(violations.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
    await expect(page.getByRole('button', { name: 'Backfill…' })).toBeVisible();

    const context = await browser.newContext({ baseURL });
    await loginContextAs(context, staff);
    const staffPage = waitsForHydration(await context.newPage());
    for (const path of paths) {
      await staffPage.goto(path);
      await expect(staffPage.getByRole('heading', { level: 1 })).toBeVisible();
      // Staff read; only catalog:write sees editing controls (the server refuses their actions anyway).
      await expect(staffPage.getByRole('button', { name: /Add role|Revoke|Backfill|Create rule|Save changes|Delete rule|Move .* (up|down)/ })).toHaveCount(0);
      await expect(staffPage.getByRole('switch')).toHaveCount(0);
      const { violations } = await new AxeBuilder({ page: staffPage }).withTags(wcag).analyze();
      expect(violations.map((v) => `${path}: ${v.id}`)).toEqual([]);
    }
    await context.close();
  });
});
