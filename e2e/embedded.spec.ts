import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * The newcomer's path: the README's start command with no DATABASE_URL and no Auth0 settings brings the console
 * up on the embedded PostgreSQL (PGlite) and the local identity provider, with demo data.
 */
test.describe('the embedded defaults', () => {
  test.describe.configure({ timeout: 420_000 });

  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  let output = '';

  test.afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    // The launcher's exit does not wait for every child it stopped: the embedded PostgreSQL may still be closing files
    // in its data folder (ENOTEMPTY). Node's rm retries that.
    if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  test('start with demo data on PGlite and sign in as the demo owner', async ({ page }) => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-embedded-'));
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!/^(DATABASE_URL|AUTH0_|E2E_|GATEHOUSE_|APP_BASE_URL|NODE_ENV|PORT)/.test(k)) env[k] = v;
    }
    Object.assign(env, {
      PORT: '3400',
      APP_BASE_URL: 'http://localhost:3400',
      GATEHOUSE_IDP_PORT: '3401',
      // Below 32768: Linux's ephemeral ports (the suite's own connections) can hold a port above it.
      GATEHOUSE_PGLITE_PORT: '3402',
      GATEHOUSE_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
    });
    const launcher = spawn('npx', ['tsx', 'scripts/dev.ts'], { env: env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = launcher;
    launcher.stdout.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr.on('data', (d: Buffer) => (output += d.toString()));

    await expect
      .poll(() => output, { timeout: 300_000, intervals: [1000], message: 'the launcher prints the URL and the accounts' })
      .toContain('Gatehouse is running at http://localhost:3400');
    expect(output).toContain('embedded PostgreSQL (PGlite)');
    expect(output).toContain('owner@acme.test');

    await page.goto('http://localhost:3400/');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in as Olivia Owner' }).click();
    await expect(page.getByRole('heading', { name: 'Acme Corp', level: 1 })).toBeVisible({ timeout: 120_000 });
    const health = await page.request.get('http://localhost:3400/api/health');
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
