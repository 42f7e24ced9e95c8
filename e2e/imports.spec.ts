import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';

/**
 * Bulk import (issue #15) through the console and the job worker the e2e server supervises: an operator uploads a
 * 1,000-row CSV, reads the dry run with its errors, runs it, watches the progress bar reach 100%, downloads the
 * report; the imported people then appear in the access matrix with the applications their roles grant.
 */
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test.describe('bulk import', () => {
  test('an operator imports 1,000 people: dry run with errors, run, progress to 100%, report download, matrix', async ({ page, seedOrg, seedUser, loginAs, db }) => {
    test.setTimeout(180_000);
    const tag = randomBytes(4).toString('hex');
    const { org } = await seedOrg();
    const role = await db.role.create({ data: { key: `imp-portal-${tag}`, name: `Portal ${tag}` } });
    const app = await db.application.create({
      data: { name: `Imported portal ${tag}`, type: 'SPA', clientId: `imp-portal-${tag}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: role.id }] } },
    });
    const rows = [
      'email,name,org,tier,roles',
      // Three rows in error, first so they show on the report's first page.
      `not-an-email,Broken,${org.slug},employee,${role.key}`,
      `ghost-${tag}@example.test,Ghost,no-such-org-${tag},employee,`,
      `norole-${tag}@example.test,No role,${org.slug},employee,no-such-role-${tag}`,
      ...Array.from({ length: 997 }, (_, i) => `imp-${tag}-${i}@example.test,Imported ${tag} ${i},${org.slug},employee,${role.key}`),
    ];
    const operator = await seedUser({ platformRole: 'OPERATOR' });
    await loginAs(operator);

    await page.goto('/platform/imports');
    await expect(page.getByRole('heading', { level: 1, name: 'Bulk import' })).toBeVisible();
    expect((await new AxeBuilder({ page }).withTags(wcag).analyze()).violations.map((v) => v.id)).toEqual([]);
    await page.getByLabel('Import file (CSV or JSON Lines)').setInputFiles({ name: `people-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();

    await expect(page.getByRole('heading', { level: 1, name: `Import of people-${tag}.csv` })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('heading', { name: 'What the import would do (dry run)' })).toBeVisible();
    const report = page.getByRole('table', { name: 'Import report' });
    await expect(report.getByRole('row').filter({ hasText: 'email: "not-an-email" is not an email address.' })).toBeVisible();
    await expect(report.getByRole('row').filter({ hasText: `org: no organization has the slug "no-such-org-${tag}".` })).toBeVisible();
    await expect(report.getByRole('row').filter({ hasText: `roles: no role has the key "no-such-role-${tag}".` })).toBeVisible();
    expect(await db.user.count({ where: { email: { startsWith: `imp-${tag}-` } } })).toBe(0);
    expect((await new AxeBuilder({ page }).withTags(wcag).analyze()).violations.map((v) => v.id)).toEqual([]);

    await page.getByRole('button', { name: 'Run import (997 changes)' }).click();
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 120_000 });
    await expect(page.getByText('Status: succeeded')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'What the import did' })).toBeVisible();
    expect(await db.membership.count({ where: { orgId: org.id, user: { email: { startsWith: `imp-${tag}-` } } } })).toBe(997);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download report (CSV)' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('row,email,org,tier,roles,outcome,applied,message');
    expect(lines).toHaveLength(1001);
    expect(lines.filter((l) => l.includes(',error,'))).toHaveLength(3);

    // The imported people in the matrix, with the application their role grants.
    await page.goto(`/platform/matrix?org=${org.slug}&q=imp-${tag}-7@`);
    await expect(page.getByRole('button', { name: new RegExp(`^Imported ${tag} 7, ${app.name}: allowed\\. Allowed by the role ${role.name}`) })).toBeVisible();
  });

  test('an org admin imports into their org only and never owners; the page is accessible', async ({ page, seedOrg, loginAs, db }) => {
    const tag = randomBytes(4).toString('hex');
    const { org, admin } = await seedOrg();
    await loginAs(admin);
    await page.goto(`/orgs/${org.slug}/imports`);
    await expect(page.getByRole('heading', { level: 1, name: 'Bulk import' })).toBeVisible();
    expect((await new AxeBuilder({ page }).withTags(wcag).analyze()).violations.map((v) => v.id)).toEqual([]);
    const csv = `email,tier\nboss-${tag}@example.test,owner\nstaff-${tag}@example.test,employee\n`;
    await page.getByLabel('Import file (CSV or JSON Lines)').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    const report = page.getByRole('table', { name: 'Import report' });
    await expect(report.getByRole('row').filter({ hasText: 'tier: you cannot make someone owner; admins never import owners.' })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Run import (1 changes)' }).click();
    await expect(page.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
    expect(await db.user.count({ where: { email: `boss-${tag}@example.test` } })).toBe(0);
    expect(await db.membership.count({ where: { orgId: org.id, user: { email: `staff-${tag}@example.test` } } })).toBe(1);

    // A file that cannot be read is refused with its row and column, and nothing is staged.
    await page.goto(`/orgs/${org.slug}/imports`);
    await page.getByLabel('Import file (CSV or JSON Lines)').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('email,tier\na@example.test,"admin\n') });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Row 2' })).toContainText('Row 2, column tier: a quoted cell is not closed');
  });
});
