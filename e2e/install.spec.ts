import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decisionsOrigin, expect, test } from './fixtures';

/**
 * The Install page: both Auth0 Actions as shipped in integrations/auth0/, the decision API URL to put in their
 * secret, and copy buttons that say they copied. The platform area does not exist for people without a platform role.
 */

const ACTIONS_DIR = path.resolve(__dirname, '..', 'integrations', 'auth0');

/**
 * What the page shows: DECISIONS_PUBLIC_URL when the server has it, else APP_BASE_URL (the e2e base URL) on the port
 * the e2e decision API listens on (scripts/e2e-server.ts gives the console DECISIONS_PORT).
 */
function expectedDecisionsUrl(): string {
  if (process.env.DECISIONS_PUBLIC_URL) return process.env.DECISIONS_PUBLIC_URL.replace(/\/+$/, '');
  return decisionsOrigin();
}

test.describe('install page', () => {
  test('an operator sees both Actions and the URL, and copies the code', async ({ page, context, seedUser, loginAs }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: process.env.E2E_BASE_URL! });
    const operator = await seedUser({ platformRole: 'OPERATOR' });
    await loginAs(operator);
    await page.goto('/platform/install');
    await expect(page.getByRole('heading', { level: 1, name: 'Install the Auth0 Actions' })).toBeVisible();

    const urlSection = page.getByRole('region', { name: 'Decision API URL' });
    await expect(urlSection.getByText(expectedDecisionsUrl(), { exact: true })).toBeVisible();
    if (!process.env.DECISIONS_PUBLIC_URL) await expect(urlSection).toContainText('Derived from APP_BASE_URL');

    const [postLogin, credentials] = await Promise.all([
      readFile(path.join(ACTIONS_DIR, 'post-login.js'), 'utf8'),
      readFile(path.join(ACTIONS_DIR, 'credentials-exchange.js'), 'utf8'),
    ]);
    const postLoginCode = page.getByRole('region', { name: 'Post-login Action code (post-login.js)' });
    const credentialsCode = page.getByRole('region', { name: 'Credentials-exchange Action code (credentials-exchange.js)' });
    await expect(postLoginCode).toContainText('exports.onExecutePostLogin = async (event, api)');
    await expect(credentialsCode).toContainText('exports.onExecuteCredentialsExchange = async (event, api)');
    // The whole file, not an excerpt: what is shown is what Auth0 must run.
    expect(await postLoginCode.textContent()).toBe(postLogin);
    expect(await credentialsCode.textContent()).toBe(credentials);

    // What this deployment does with applications Gatehouse does not know (DECISIONS_UNKNOWN_APPLICATIONS, deny by default).
    const unknownApps = page.getByRole('region', { name: 'Applications Gatehouse does not know' });
    await expect(unknownApps).toContainText(process.env.DECISIONS_UNKNOWN_APPLICATIONS === 'allow' ? 'Allowed without claims.' : 'Denied.');
    await expect(unknownApps).toContainText('DECISIONS_UNKNOWN_APPLICATIONS');

    // Steps name the secrets, and an operator gets a link to make the keys.
    const steps = page.getByRole('region', { name: 'Steps' });
    await expect(steps).toContainText('GATEHOUSE_URL');
    await expect(steps).toContainText('GATEHOUSE_API_KEY');
    await expect(steps.getByRole('link', { name: 'API keys' })).toHaveAttribute('href', '/platform/api-keys');

    await page.getByRole('button', { name: 'Copy the post-login Action code' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied the post-login Action code to the clipboard.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(postLogin);

    await page.getByRole('button', { name: 'Copy the credentials-exchange Action code' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied the credentials-exchange Action code to the clipboard.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(credentials);

    await urlSection.getByRole('button', { name: 'Copy the decision API URL' }).click();
    await expect(urlSection.getByRole('status')).toHaveText('Copied the decision API URL to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expectedDecisionsUrl());

    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  test('staff see the page but are sent to an operator for keys', async ({ page, seedUser, loginAs }) => {
    const staff = await seedUser({ platformRole: 'STAFF' });
    await loginAs(staff);
    await page.goto('/platform/install');
    const steps = page.getByRole('region', { name: 'Steps' });
    await expect(steps).toContainText('Ask an operator for two API keys');
    await expect(steps.getByRole('link', { name: 'API keys' })).toHaveCount(0);
  });

  test('an org owner without a platform role gets not-found', async ({ page, seedOrg, loginAs }) => {
    const { owner } = await seedOrg();
    await loginAs(owner);
    const response = await page.goto('/platform/install');
    expect(response?.status()).toBe(404);
    await expect(page.getByText('exports.onExecutePostLogin')).toHaveCount(0);
  });
});
