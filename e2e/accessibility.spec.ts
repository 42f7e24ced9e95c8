import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { can } from '@/lib/authz/policy';
import { ORG_PAGE_POLICY, PLATFORM_PAGE_POLICY, type OrgPage, type PlatformPage } from '@/lib/authz/surface';
import { expect, test } from './fixtures';

/** Every console screen passes axe's WCAG 2.1 A/AA rules, and the main flows work by keyboard. */
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test.describe('accessibility', () => {
  test('org pages have no axe violations', async ({ page, seedOrg, loginAs }) => {
    // axe over the matrix page takes a while on a busy machine.
    test.setTimeout(180_000);
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

  test('the platform dashboard, organizations list and org detail have no axe violations, empty or full', async ({ page, seedOrg, seedUser, loginAs }) => {
    // Five pages with their charts' tables open, each read by axe: over a minute on a busy two-core machine.
    test.setTimeout(240_000);
    const { org } = await seedOrg();
    const superadmin = await seedUser({ platformRole: 'SUPERADMIN' });
    await loginAs(superadmin);
    for (const path of ['/platform', '/platform?days=7&stack=org', '/platform?days=90', '/platform/orgs?sort=-members&size=small', `/platform/orgs/${org.id}`]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // The charts' table alternatives open too, so axe reads them.
      for (const summary of await page.getByText('Show the figures as a table').all()) await summary.click();
      const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
      expect(violations.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });

  test('the invitation page has no axe violations', async ({ page }) => {
    await page.goto(`/invite/${randomBytes(32).toString('base64url')}`);
    await expect(page.getByRole('heading', { name: "This invitation can't be used" })).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
    expect(violations.map((v) => v.id)).toEqual([]);
  });

  test('the platform users, user detail, staff, audit log and audit event pages have no axe violations', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    test.slow();
    const { org, owner, employee } = await seedOrg();
    const event = await db.auditEvent.create({
      data: { actorType: 'user', actorId: owner.id, orgId: org.id, action: 'member.tier_changed', targetType: 'user', targetId: employee.id, before: { tier: 'EMPLOYEE' }, after: { tier: 'ADMIN' } },
    });
    await loginAs(await seedUser({ platformRole: 'SUPERADMIN' }));
    const pages = ['/platform/users', `/platform/users/${employee.id}`, '/platform/staff', `/platform/audit?org=${org.slug}`, `/platform/audit/${event.id}`];
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).withTags(wcag).analyze();
      expect(violations.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The whole console under axe (issue #16): every org page for each tier that may see it, every platform page for
// each platform role, open dialogs, in the light and the dark scheme. Serious and critical violations fail the test;
// every check and every violation found is written to test-results/axe/<test>.json for the figures.

type Scheme = 'light' | 'dark';
interface AxeRecord {
  label: string;
  scheme: Scheme;
  violations: { id: string; impact: string | null | undefined; targets: string[] }[];
}

async function axeRecord(page: Page, label: string, scheme: Scheme, include?: string): Promise<AxeRecord> {
  const builder = new AxeBuilder({ page }).withTags(wcag);
  const { violations } = await (include ? builder.include(include) : builder).analyze();
  return {
    label,
    scheme,
    violations: violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })),
  };
}

function serious(records: AxeRecord[]): string[] {
  return records.flatMap((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${r.scheme} ${r.label}: ${v.id} (${v.impact}) ${v.targets.join(', ')}`),
  );
}

function saveFigures(name: string, records: AxeRecord[]): void {
  const dir = path.resolve(__dirname, '..', 'test-results', 'axe');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(records, null, 2));
}

/**
 * Each path in both schemes: the page is loaded once per scheme (the media query decides, no cookie). The records
 * are saved after each check, so a run cut short still leaves its figures.
 */
async function checkPages(page: Page, paths: string[], label: string, file: string): Promise<AxeRecord[]> {
  const records: AxeRecord[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const p of paths) {
      await page.goto(p);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      records.push(await axeRecord(page, `${label} ${p}`, scheme));
      saveFigures(file, records);
    }
  }
  return records;
}

const ORG_PATHS = Object.keys(ORG_PAGE_POLICY) as OrgPage[];
const PLATFORM_PATHS = Object.keys(PLATFORM_PAGE_POLICY) as PlatformPage[];

test.describe('axe on every page, for every role, in both schemes', () => {
  for (const tier of ['OWNER', 'ADMIN', 'EMPLOYEE'] as const) {
    test(`org pages as ${tier.toLowerCase()}`, async ({ page, seedOrg, loginAs, db }) => {
      test.setTimeout(480_000);
      const seeded = await seedOrg();
      const { org } = seeded;
      // Something in each list, so the tables and badges (the pending invitation's too) are on the page.
      await db.invitation.create({
        data: {
          orgId: org.id,
          email: `axe-${randomBytes(4).toString('hex')}@example.test`,
          tier: 'EMPLOYEE',
          tokenHash: randomBytes(32).toString('hex'),
          expiresAt: new Date(Date.now() + 86_400_000),
          invitedById: seeded.owner.id,
        },
      });
      const user = tier === 'OWNER' ? seeded.owner : tier === 'ADMIN' ? seeded.admin : seeded.employee;
      await loginAs(user);
      const paths = ORG_PATHS.filter((p) => can({ tier, platformRole: 'NONE' }, ORG_PAGE_POLICY[p])).map((p) => `/orgs/${org.slug}${p ? `/${p}` : ''}`);
      const records = await checkPages(page, paths, tier.toLowerCase(), `org-${tier.toLowerCase()}`);
      expect(serious(records)).toEqual([]);
    });
  }

  for (const role of ['STAFF', 'OPERATOR', 'SUPERADMIN'] as const) {
    test(`platform pages as ${role.toLowerCase()}`, async ({ page, seedOrg, seedUser, loginAs, db }) => {
      test.setTimeout(900_000);
      const id = randomBytes(4).toString('hex');
      const { org } = await seedOrg();
      const api = await db.api.create({
        data: { name: `Axe API ${id}`, identifier: `https://axe-all-${id}.example.test`, permissions: { create: [{ value: 'read:axe' }] } },
        include: { permissions: true },
      });
      const app = await db.application.create({ data: { name: `Axe web ${id}`, type: 'REGULAR_WEB', clientId: `axeweb${id}`, accessPolicy: 'ANY_ROLE' } });
      const client = await db.application.create({ data: { name: `Axe client ${id}`, type: 'M2M', clientId: `axem2m${id}`, accessPolicy: 'ALL_ROLES' } });
      const r = await db.role.create({
        data: {
          key: `axe-all-${id}`,
          name: `Axe role ${id}`,
          permissions: { create: [{ permissionId: api.permissions[0]!.id }] },
          applications: { create: [{ applicationId: app.id }] },
        },
      });
      // Disabled, so no other test's sign-in meets it.
      const rule = await db.defaultRoleRule.create({
        data: { name: `Axe rule ${id}`, position: 1_000_000 + Math.floor(Math.random() * 1_000_000), enabled: false, emailDomain: `axe-${id}.example.test` },
      });
      const ids: Record<string, string> = { orgId: org.id, apiId: api.id, roleId: r.id, applicationId: app.id, clientId: client.id, ruleId: rule.id };
      await loginAs(await seedUser({ platformRole: role }));
      const paths = PLATFORM_PATHS.filter((p) => can({ tier: null, platformRole: role }, PLATFORM_PAGE_POLICY[p])).map(
        (p) => `/platform${p ? `/${p.replace(/\[(\w+)\]/g, (_, name: string) => ids[name]!)}` : ''}`,
      );
      const records = await checkPages(page, paths, role.toLowerCase(), `platform-${role.toLowerCase()}`);
      expect(serious(records)).toEqual([]);
    });
  }

  test('open dialogs, in both schemes', async ({ page, seedOrg, seedUser, loginAs }) => {
    test.setTimeout(360_000);
    const { org, owner, employee } = await seedOrg();
    const records: AxeRecord[] = [];
    const dialogCheck = async (label: string, open: () => Promise<void>, scheme: Scheme) => {
      await open();
      await expect(page.getByRole('dialog')).toBeVisible();
      records.push(await axeRecord(page, label, scheme, '[role="dialog"]'));
      saveFigures('dialogs', records);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
    };
    await loginAs(owner);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`/orgs/${org.slug}/members`);
      const menu = async (item: string) => {
        await page.getByRole('button', { name: `Actions for ${employee.name}` }).click();
        await page.getByRole('menuitem', { name: item }).click();
      };
      await dialogCheck('manage roles', () => menu('Manage roles…'), scheme);
      await dialogCheck('remove member', () => menu('Remove from organization…'), scheme);
      await dialogCheck('transfer ownership', () => menu('Transfer ownership…'), scheme);
      await dialogCheck(
        'sign out everywhere',
        async () => {
          await page.getByRole('button', { name: /^Account menu for/ }).click();
          await page.getByRole('menuitem', { name: 'Sign out everywhere…' }).click();
        },
        scheme,
      );
      await page.goto(`/orgs/${org.slug}`);
      await dialogCheck('leave organization', () => page.getByRole('button', { name: 'Leave organization' }).click(), scheme);
    }
    await page.context().clearCookies();
    await loginAs(await seedUser({ platformRole: 'OPERATOR' }));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [p, button] of [
        ['/platform/roles', 'New role'],
        ['/platform/apis', 'New API'],
        ['/platform/applications', 'New application'],
      ] as const) {
        await page.goto(p);
        await dialogCheck(button, () => page.getByRole('button', { name: button }).click(), scheme);
      }
    }
    saveFigures('dialogs', records);
    expect(serious(records)).toEqual([]);
  });

  test('the old colour tokens fail contrast where the new ones pass (the before/after figure)', async ({ page, seedOrg, loginAs, db }) => {
    test.setTimeout(120_000);
    const seeded = await seedOrg();
    await db.invitation.create({
      data: {
        orgId: seeded.org.id,
        email: `before-${randomBytes(4).toString('hex')}@example.test`,
        tier: 'EMPLOYEE',
        tokenHash: randomBytes(32).toString('hex'),
        expiresAt: new Date(Date.now() + 86_400_000),
        invitedById: seeded.owner.id,
      },
    });
    await loginAs(seeded.owner);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`/orgs/${seeded.org.slug}/invitations`);
    await expect(page.getByText('pending', { exact: true })).toBeVisible();
    const after = await axeRecord(page, 'invitations (new tokens)', 'light');
    // The tokens as they were before issue #16 (app/globals.css at the start of the branch).
    await page.addStyleTag({
      content: ':root { --color-success: oklch(0.55 0.14 155); --color-warning: oklch(0.62 0.15 70); --color-destructive: oklch(0.55 0.21 25); }',
    });
    const before = await axeRecord(page, 'invitations (old tokens)', 'light');
    saveFigures('contrast-before-after', [before, after]);
    expect(before.violations.map((v) => v.id)).toContain('color-contrast');
    expect(after.violations.map((v) => v.id)).not.toContain('color-contrast');
  });
});
