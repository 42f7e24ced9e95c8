import { createDb } from '@/lib/db';
import { DEMO_ACCOUNTS } from '@/lib/embedded/demo-accounts';
import { startIdp } from '@/lib/embedded/idp';
import { onShutdown, spawnNext } from '@/lib/embedded/process';
import { migrate } from '@/lib/migrate';
import { seedDemo } from '@/prisma/seed';
import { assertLocalDatabase, dropDatabase, ensureDatabase } from '@/tests/test-db';

/**
 * The server the end-to-end tests run against: a fresh `gatehouse_e2e` database with the demo data, the local
 * OpenID provider, and the production build served by `next start`. The production settings check refuses an
 * http identity provider unless GATEHOUSE_ALLOW_LOOPBACK_IDP is set, which only this test server does.
 */
async function main() {
  const port = process.env.E2E_PORT!;
  const idpPort = Number(process.env.E2E_IDP_PORT);
  const baseUrl = process.env.E2E_BASE_URL!;
  const dbName = new URL(process.env.E2E_DATABASE_URL!).pathname.slice(1);
  assertLocalDatabase(process.env.E2E_DATABASE_URL!);
  await dropDatabase(dbName);
  const databaseUrl = await ensureDatabase(dbName);
  await migrate(databaseUrl);
  const db = createDb(databaseUrl, { max: 2 });
  await seedDemo(db);
  await db.$disconnect();

  const clientSecret = 'e2e-client-secret-' + process.env.E2E_AUTH0_SECRET!.slice(0, 16);
  const idp = await startIdp({ port: idpPort, appBaseUrls: [baseUrl], clientId: 'gatehouse-e2e', clientSecret, accounts: DEMO_ACCOUNTS });
  const next = spawnNext(['start', '--port', port, '--hostname', 'localhost'], {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: databaseUrl,
    APP_BASE_URL: baseUrl,
    AUTH0_DOMAIN: `http://localhost:${idpPort}`,
    AUTH0_CLIENT_ID: 'gatehouse-e2e',
    AUTH0_CLIENT_SECRET: clientSecret,
    AUTH0_SECRET: process.env.E2E_AUTH0_SECRET!,
    GATEHOUSE_ALLOW_LOOPBACK_IDP: 'true',
    LOG_LEVEL: 'warn',
  });
  onShutdown(next, [idp.close]);
}

main().catch((e: Error) => {
  console.error(`e2e server failed: ${e.message}`);
  process.exit(1);
});
