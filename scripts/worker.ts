import { createDb } from '@/lib/db-client';
import { startWorker } from '@/lib/jobs/worker';
import { logger } from '@/lib/logger';

/**
 * The job worker process (docs/decisions/0011-bulk-import.md): runs bulk imports from the pg-boss queue.
 *
 *   DATABASE_URL=postgresql://… tsx scripts/worker.ts
 *
 * Plain Node, framework-free like the decision API; the launchers (npm run demo, npm start, the e2e server) start
 * and supervise it. Settings: DATABASE_URL (required), IMPORT_BATCH_SIZE (2000), GATEHOUSE_EMBEDDED_DB (true: the
 * embedded PGlite, where pg-boss does not run and imports are taken from the jobs table alone), and for imports that
 * send sign-in notices SMTP_URL, MAIL_FROM, APP_BASE_URL and IMPORT_MAIL_PER_SECOND (10).
 */
async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const db = createDb(databaseUrl, { max: 4 });
  const batchSize = process.env.IMPORT_BATCH_SIZE ? Number(process.env.IMPORT_BATCH_SIZE) : undefined;
  const worker = await startWorker({
    connectionString: databaseUrl,
    db,
    log: logger,
    batchSize: Number.isInteger(batchSize) && batchSize! > 0 ? batchSize : undefined,
    queue: process.env.GATEHOUSE_EMBEDDED_DB !== 'true',
    mail: {
      smtpUrl: process.env.SMTP_URL || undefined,
      mailFrom: process.env.MAIL_FROM ?? 'Gatehouse <no-reply@gatehouse.local>',
      appBaseUrl: process.env.APP_BASE_URL ?? 'http://localhost:3000',
      perSecond: Number(process.env.IMPORT_MAIL_PER_SECOND) || 10,
    },
  });
  console.log(`› job worker running (${worker.queued ? 'pg-boss queue' : 'jobs table only, no pg-boss'})`);

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    // The batch in hand commits or rolls back as a whole, so a hard exit after 15 s loses nothing.
    setTimeout(() => process.exit(code), 15_000).unref();
    worker
      .stop()
      .catch((error: Error) => logger.error({ err: error.message }, 'worker: error while stopping'))
      .finally(() => void db.$disconnect().finally(() => process.exit(code)));
  };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));
}

main().catch((error: Error) => {
  console.error(`The job worker could not start: ${error.message}`);
  process.exit(1);
});
