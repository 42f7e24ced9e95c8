import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { superviseDecisionApi, superviseWorker } from '@/lib/decision-api/launch';
import { createDb } from '@/lib/db';
import { DEMO_ACCOUNTS } from '@/lib/embedded/demo-accounts';
import { startIdp } from '@/lib/embedded/idp';
import { assertPortFree, onShutdown, spawnNext } from '@/lib/embedded/process';
import { migrate } from '@/lib/migrate';
import { seedDemo } from '@/prisma/seed';
import { adminUrlFor, assertLocalDatabase, dropDatabase, ensureDatabase } from '@/tests/test-db';

/**
 * The server the end-to-end tests run against: a fresh `gatehouse_e2e` database with the demo data, the local
 * OpenID provider, and the production build served by `next start`. The production settings check refuses an
 * http identity provider unless GATEHOUSE_ALLOW_LOOPBACK_IDP is set, which only this test server does.
 * Outgoing mail goes over real SMTP to a capture server that writes each message into test-results/e2e-mail/,
 * where `waitForMail` (e2e/fixtures.ts) reads it. The decision API runs beside it on E2E_DECISIONS_PORT (3303).
 */
// E2E_MAIL_DIR: a second server (e2e/outage.spec.ts) keeps its mail apart, so it never empties the main one's.
const MAIL_DIR = process.env.E2E_MAIL_DIR ?? path.resolve(__dirname, '..', 'test-results', 'e2e-mail');

/** An SMTP server that accepts everything and keeps each message as a raw RFC 822 `.eml` file. */
async function startMailCapture(port: number): Promise<{ close: () => Promise<void> }> {
  await assertPortFree(port, 'e2e SMTP capture', 'E2E_SMTP_PORT');
  // Each run starts with an empty mailbox, so a spec never reads a message from an earlier run.
  await rm(MAIL_DIR, { recursive: true, force: true });
  await mkdir(MAIL_DIR, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const file = path.join(MAIL_DIR, `${Date.now()}-${randomBytes(4).toString('hex')}.eml`);
        // Written under another name first, so a reader never sees half a message. The folder is made again in
        // case Playwright cleared test-results meanwhile.
        mkdir(MAIL_DIR, { recursive: true })
          .then(() => writeFile(`${file}.part`, Buffer.concat(chunks)))
          .then(() => rename(`${file}.part`, file))
          .then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function main() {
  const port = process.env.E2E_PORT!;
  const idpPort = Number(process.env.E2E_IDP_PORT);
  const smtpPort = Number(process.env.E2E_SMTP_PORT ?? '3302');
  const decisionsPort = Number(process.env.E2E_DECISIONS_PORT ?? '3303');
  const baseUrl = process.env.E2E_BASE_URL!;
  const dbName = new URL(process.env.E2E_DATABASE_URL!).pathname.slice(1);
  assertLocalDatabase(process.env.E2E_DATABASE_URL!);
  // On the server the URL names: the shared one, or the private cluster of e2e/outage.spec.ts.
  const adminUrl = adminUrlFor(process.env.E2E_DATABASE_URL!);
  await dropDatabase(dbName, adminUrl);
  const databaseUrl = await ensureDatabase(dbName, adminUrl);
  await migrate(databaseUrl);
  const db = createDb(databaseUrl, { max: 2 });
  await seedDemo(db);
  await db.$disconnect();

  const clientSecret = 'e2e-client-secret-' + process.env.E2E_AUTH0_SECRET!.slice(0, 16);
  const mail = await startMailCapture(smtpPort);
  const idp = await startIdp({ port: idpPort, appBaseUrls: [baseUrl], clientId: 'gatehouse-e2e', clientSecret, accounts: DEMO_ACCOUNTS });
  await assertPortFree(decisionsPort, 'the e2e decision API', 'E2E_DECISIONS_PORT');
  const decisions = superviseDecisionApi({
    port: decisionsPort,
    host: 'localhost',
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
  });
  if (!(await decisions.ready(60_000))) console.error(`e2e decision API did not answer at ${decisions.url} within 60 s`);
  const worker = superviseWorker({ env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' } });
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
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    // The Install page derives the decision API's URL from APP_BASE_URL and this port.
    DECISIONS_PORT: String(decisionsPort),
    LOG_LEVEL: 'warn',
  });
  onShutdown(next, [mail.close, idp.close, decisions.stop, worker.stop]);
}

main().catch((e: Error) => {
  console.error(`e2e server failed: ${e.message}`);
  process.exit(1);
});
