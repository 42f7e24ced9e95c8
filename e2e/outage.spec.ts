import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { canRunPrivateCluster, startPrivateCluster, type PrivateCluster } from '@/tests/private-cluster';
import { expect, hydrated, test } from './fixtures';

/**
 * Issue #13 item 9: the console through a database outage. The database of the main e2e server is the shared
 * PostgreSQL, which no test may stop, so this spec runs a second e2e server of its own (scripts/e2e-server.ts: the
 * production build, the local OpenID provider, the decision API, the demo data) on a PRIVATE PostgreSQL cluster
 * (tests/private-cluster.ts, its own port), stops that cluster in the middle of the test and starts it again.
 *
 * In production a server error reaches the error boundary as a digest only
 * (https://nextjs.org/docs/app/api-reference/file-conventions/error#errordigest), so the boundary asks /api/health.
 */
const BASE_PORT = Number(process.env.E2E_PORT ?? 3300) + 70;
const PORTS = { app: BASE_PORT, idp: BASE_PORT + 1, smtp: BASE_PORT + 2, decisions: BASE_PORT + 3, pg: BASE_PORT + 4 };
const BASE_URL = `http://localhost:${PORTS.app}`;

let cluster: PrivateCluster | undefined;
let server: ChildProcess | undefined;
let serverLog = '';

async function waitForHealth(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`the outage e2e server exited:\n${serverLog.slice(-3000)}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the outage e2e server did not answer ${url} within ${ms / 1000} s:\n${serverLog.slice(-3000)}`);
}

test.describe('a database outage', () => {
  test.skip(!canRunPrivateCluster, 'needs the PostgreSQL 15 server binaries to run a private cluster');
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    cluster = startPrivateCluster(PORTS.pg);
    server = spawn('npx', ['tsx', 'scripts/e2e-server.ts'], {
      cwd: path.resolve(__dirname, '..'),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        E2E_PORT: String(PORTS.app),
        E2E_IDP_PORT: String(PORTS.idp),
        E2E_SMTP_PORT: String(PORTS.smtp),
        E2E_DECISIONS_PORT: String(PORTS.decisions),
        E2E_BASE_URL: BASE_URL,
        E2E_DATABASE_URL: cluster.url('gatehouse_e2e_outage'),
        E2E_MAIL_DIR: path.resolve(__dirname, '..', 'test-results', 'e2e-mail-outage'),
      },
    });
    const keep = (chunk: Buffer) => {
      serverLog = (serverLog + chunk.toString()).slice(-20_000);
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    await waitForHealth(`${BASE_URL}/api/health`, 200_000);
  });

  test.afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(-server.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
    }
    cluster?.remove();
  });

  test('keeps the typed input in the form, the shell around the page, and recovers without a reload', async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ baseURL: BASE_URL });
    const page = await context.newPage();
    try {
      // A real sign-in through the local OpenID provider of this server, as the demo owner of Acme.
      await page.goto('/auth/login');
      await page.getByRole('button', { name: 'Sign in as Olivia Owner' }).click();
      await expect(page).toHaveURL(/\/orgs\/acme$/);
      await page.goto('/orgs/acme/settings');
      await hydrated(page);
      const typed = 'Acme Corp while the database is away';
      await page.getByLabel('Name').fill(typed);

      cluster!.stop();

      // The action answers UNAVAILABLE; the form stays, with its message and what was typed.
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText('The database is unreachable; nothing was saved. Try again in a moment.')).toBeVisible();
      await expect(page.getByLabel('Name')).toHaveValue(typed);

      // Navigating: the shell (its section navigation) stays, the page says the database is unreachable and retries.
      const nav = page.getByRole('navigation', { name: 'Acme Corp sections' }).first();
      await nav.getByRole('link', { name: 'Members' }).click();
      await expect(page.getByRole('heading', { name: 'The database is unreachable; retrying…' })).toBeVisible();
      await expect(nav).toBeVisible();
      const documentId = await page.evaluate(() => ((window as unknown as { outageMarker?: number }).outageMarker = Math.random()));

      cluster!.start();

      // The page comes back by itself, in the same document (no reload).
      await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible({ timeout: 45_000 });
      await expect(page.getByRole('heading', { name: 'The database is unreachable; retrying…' })).toHaveCount(0);
      expect(await page.evaluate(() => (window as unknown as { outageMarker?: number }).outageMarker)).toBe(documentId);

      // And what was typed can now be saved.
      // (This context's page is not the hydration-waiting fixture: wait for hydration before typing, and for the
      // saved notice before reloading, or the reload can overtake the save.)
      await page.goto('/orgs/acme/settings');
      await hydrated(page);
      await page.getByLabel('Name').fill(typed);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByText('Settings saved').first()).toBeVisible({ timeout: 15_000 });
      await expect(page.getByText('The database is unreachable; nothing was saved. Try again in a moment.')).toHaveCount(0);
      await page.reload();
      await hydrated(page);
      await expect(page.getByLabel('Name')).toHaveValue(typed);
    } finally {
      await context.close();
    }
  });
});
