import path from 'node:path';
import { superviseDecisionApi, superviseWorker, type DecisionApiProcess } from '@/lib/decision-api/launch';
import { createDb } from '@/lib/db';
import { DEMO_ACCOUNTS } from '@/lib/embedded/demo-accounts';
import { startIdp } from '@/lib/embedded/idp';
import { startEmbeddedPostgres } from '@/lib/embedded/pglite';
import { assertPortFree, onShutdown, persistentSecret, spawnNext, waitForHttp } from '@/lib/embedded/process';
import { EnvError, parseEnv } from '@/lib/env';
import { migrate } from '@/lib/migrate';
import { seedDemo } from '@/prisma/seed';

/**
 * `npm run demo` / `npm run dev`: the console in development mode. Whatever is not configured is started here:
 * an embedded PostgreSQL (PGlite, on disk under .gatehouse/) and a local OpenID provider standing in for Auth0,
 * with demo data on first start. The decision API (scripts/decisions.ts) runs beside it on DECISIONS_PORT (3001)
 * against the same database; the console keeps working when it cannot start or stops.
 */
async function main() {
  const settings = parseEnv({ ...process.env, NODE_ENV: 'development' });
  const port = Number(process.env.PORT ?? 3000);
  const idpPort = Number(process.env.GATEHOUSE_IDP_PORT ?? 3100);
  // 15432, not PostgreSQL-like 5xxxx: ports from 32768 up are Linux's ephemeral range, where any outgoing connection
  // of this machine may hold the port for a while and make the start fail as "already in use".
  const pgPort = Number(process.env.GATEHOUSE_PGLITE_PORT ?? 15432);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', APP_BASE_URL: settings.appBaseUrl };
  const cleanups: (() => Promise<void>)[] = [];
  const dataDir = path.resolve(settings.dataDir);

  await assertPortFree(port, 'the console', 'PORT');

  let databaseUrl = settings.databaseUrl;
  if (settings.embedded.database) {
    await assertPortFree(pgPort, 'the embedded database', 'GATEHOUSE_PGLITE_PORT');
    console.log(`› starting the embedded database (PGlite, data in ${path.relative(process.cwd(), dataDir)}/pgdata)…`);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pgdata'), port: pgPort });
    cleanups.push(pg.close);
    databaseUrl = pg.url;
    childEnv.DATABASE_URL = pg.url;
    childEnv.GATEHOUSE_EMBEDDED_DB = 'true';
  }

  const result = await migrate(databaseUrl!, { log: (l) => console.log(`› ${l}`) });
  console.log(`› database ready (${result.applied.length} migrations applied, ${result.skipped.length} already there)`);
  if (settings.embedded.database || process.env.GATEHOUSE_SEED_DEMO === 'true') {
    const db = createDb(databaseUrl!, { max: 2 });
    try {
      await seedDemo(db, (l) => console.log(`› ${l}`));
    } finally {
      await db.$disconnect();
    }
  }

  if (settings.embedded.idp) {
    await assertPortFree(idpPort, 'the local identity provider', 'GATEHOUSE_IDP_PORT');
    const clientSecret = await persistentSecret(dataDir, 'idp-client');
    const idp = await startIdp({
      port: idpPort,
      appBaseUrls: [settings.appBaseUrl],
      clientId: 'gatehouse-local',
      clientSecret,
      accounts: DEMO_ACCOUNTS,
    });
    cleanups.push(idp.close);
    Object.assign(childEnv, {
      AUTH0_DOMAIN: `http://localhost:${idpPort}`,
      AUTH0_CLIENT_ID: 'gatehouse-local',
      AUTH0_CLIENT_SECRET: clientSecret,
      AUTH0_SECRET: await persistentSecret(dataDir, 'session'),
      GATEHOUSE_EMBEDDED_IDP: 'true',
    });
  }

  const decisionsPort = settings.decisions.port;
  let decisions: DecisionApiProcess | null = null;
  let decisionsProblem = '';
  try {
    await assertPortFree(decisionsPort, 'the decision API', 'DECISIONS_PORT');
    decisions = superviseDecisionApi({
      port: decisionsPort,
      host: 'localhost',
      env: { ...childEnv, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    });
    cleanups.push(decisions.stop);
  } catch (error) {
    decisionsProblem = (error as Error).message;
  }

  // The job worker (bulk imports). On the embedded PGlite it runs without pg-boss (GATEHOUSE_EMBEDDED_DB), from the
  // jobs table alone.
  const worker = superviseWorker({ env: { ...childEnv, DATABASE_URL: databaseUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } });
  cleanups.push(worker.stop);

  const next = spawnNext(['dev', '--port', String(port), '--hostname', 'localhost'], childEnv);
  onShutdown(next, cleanups);
  await waitForHttp(`http://localhost:${port}/api/health`, 180_000, next);
  if (decisions && !(await decisions.ready(30_000))) decisionsProblem = 'it did not answer within 30 s (see its messages above)';

  const lines = [
    '',
    `  Gatehouse is running at ${settings.appBaseUrl}`,
    '',
    settings.embedded.database ? `  Database: embedded PostgreSQL (PGlite) in ${path.relative(process.cwd(), dataDir)}/pgdata` : '  Database: DATABASE_URL',
    decisions && !decisionsProblem
      ? `  Decision API: ${decisions.url} (OpenAPI at ${decisions.url}/openapi.json)`
      : `  Decision API: not running (${decisionsProblem}); the console works without it`,
    `  Job worker: running beside it (bulk imports${settings.embedded.database ? ', without pg-boss on the embedded database' : ''})`,
  ];
  if (settings.embedded.idp) {
    lines.push(`  Sign-in:  local OpenID provider at http://localhost:${idpPort}/ (stands in for Auth0)`, '', '  Demo accounts (pick one on the sign-in page):');
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.name.padEnd(18)} ${a.email.padEnd(28)} ${a.description ?? ''}`);
    lines.push('', '  Or sign in with any other email to go through onboarding.');
  }
  lines.push('', '  Press Ctrl+C to stop.', '');
  console.log(lines.join('\n'));
}

main().catch((error: Error) => {
  if (error instanceof EnvError) console.error(error.message);
  else console.error(`Gatehouse could not start: ${error.message}`);
  process.exit(1);
});
