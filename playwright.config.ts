import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: a production build (`next start`) against the local PostgreSQL and the local OpenID provider,
 * driven in Debian's Chromium. Settings are put in process.env here so the workers (which inherit it) and the
 * web server agree on them.
 */
process.env.E2E_PORT ??= '3300';
process.env.E2E_IDP_PORT ??= '3301';
process.env.E2E_SMTP_PORT ??= '3302';
process.env.E2E_DECISIONS_PORT ??= '3303';
process.env.E2E_AUTH0_SECRET ??= randomBytes(32).toString('hex');
process.env.E2E_DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/gatehouse_e2e';
process.env.E2E_BASE_URL ??= `http://localhost:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: 'e2e',
  // A subfolder: Playwright empties its output folder at start, and test-results/ also holds the other reports.
  outputDir: 'test-results/playwright',
  testMatch: '**/*.spec.ts',
  projects: [
    { name: 'console', testIgnore: '**/embedded.spec.ts' },
    // The embedded run starts `next dev` in this folder; it runs last and alone, because next dev reloads the page
    // when other tests write traces and mail files into the project while it compiles.
    { name: 'embedded', testMatch: '**/embedded.spec.ts', dependencies: ['console'] },
  ],
  fullyParallel: true,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: 'npx tsx scripts/e2e-server.ts',
    url: `${process.env.E2E_BASE_URL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      E2E_PORT: process.env.E2E_PORT,
      E2E_IDP_PORT: process.env.E2E_IDP_PORT,
      E2E_SMTP_PORT: process.env.E2E_SMTP_PORT,
      E2E_DECISIONS_PORT: process.env.E2E_DECISIONS_PORT,
      E2E_AUTH0_SECRET: process.env.E2E_AUTH0_SECRET,
      E2E_DATABASE_URL: process.env.E2E_DATABASE_URL,
      E2E_BASE_URL: process.env.E2E_BASE_URL,
    },
  },
});
