import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Db } from '@/lib/db-client';
import { IMPORT_BATCH_SIZE, runImport } from '@/lib/provisioning/import/jobs';
import { createImportMailer, IMPORT_MAIL_QUEUE, IMPORT_MAIL_QUEUE_OPTIONS, queueImportMails, type ImportMail } from './import-mail';
import { IMPORT_QUEUE, startBoss } from './queue';

/**
 * The job worker (scripts/worker.ts, supervised beside the console and the decision API). It receives import
 * messages from pg-boss and runs each import batch by batch (lib/provisioning/import/jobs.ts). Framework-free.
 *
 * Resuming: every batch commits the job's resume point (its last row) with its changes, so an import is resumed by
 * running it again.
 * While a worker runs an import it holds a session advisory lock on it; the sweep (at start, then every few seconds)
 * tries that lock for every QUEUED or RUNNING import, and one whose lock is free has no live worker (it was killed,
 * or its message never reached the queue): this worker takes it over at once. Without pg-boss (it cannot start on
 * the embedded PGlite), the sweep alone runs imports, and the worker says so.
 */

export interface WorkerOptions {
  connectionString: string;
  db: Db;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
  batchSize?: number;
  sweepIntervalMs?: number;
  /** Use pg-boss (default true); false runs imports from the sweep alone (and sends no sign-in notices). */
  queue?: boolean;
  /** Sign-in notices of imports that ask for them: where to send and how fast (default 10 a second). */
  mail?: { smtpUrl?: string; mailFrom: string; appBaseUrl: string; perSecond?: number };
}

export interface Worker {
  /** True when pg-boss is in use, false when the worker runs from its sweep alone. */
  readonly queued: boolean;
  /** Waits until no import is running in this worker (for tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { db, log } = options;
  const lockPool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
  lockPool.on('error', (error) => log.warn({ err: error.message }, 'worker: lock connection error'));
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  /** Runs an import unless another worker (or this one) is running it. */
  const run = (jobId: string): Promise<void> => {
    const current = running.get(jobId);
    if (current) return current;
    const p = (async () => {
      // On the embedded PGlite (one worker, connections shared by one backend) no lock connection is held.
      const client = options.queue === false ? null : await lockPool.connect();
      let locked = client === null;
      try {
        if (client) {
          const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended('gatehouse:import:' || $1, 0)) AS ok`, [jobId]);
          locked = rows[0]?.ok === true;
        }
        if (!locked) return;
        const started = Date.now();
        const status = await runImport(db, jobId, { batchSize: options.batchSize ?? IMPORT_BATCH_SIZE, shouldStop: () => stopping });
        log.info({ jobId, status, ms: Date.now() - started }, 'worker: import ran');
        if (status === 'SUCCEEDED' && boss) {
          const queued = await queueImportMails(db, boss, jobId);
          if (queued > 0) log.info({ jobId, queued }, 'worker: sign-in notices queued');
        }
      } finally {
        if (client && locked) await client.query(`SELECT pg_advisory_unlock(hashtextextended('gatehouse:import:' || $1, 0))`, [jobId]).catch(() => {});
        client?.release();
      }
    })().finally(() => running.delete(jobId));
    running.set(jobId, p);
    return p;
  };

  let boss: PgBoss | null = null;
  const mailer = createImportMailer(db, options.mail ?? { mailFrom: 'Gatehouse <no-reply@gatehouse.local>', appBaseUrl: 'http://localhost:3000' });
  if (options.queue !== false) {
    try {
      boss = await startBoss(options.connectionString, { max: 3, supervise: true, onError: (e) => log.warn({ err: e.message }, 'worker: job queue error') });
      // Sign-in notices: at most `perSecond` fetched per second, each retried on its own with backoff.
      const perSecond = Math.max(1, options.mail?.perSecond ?? 10);
      const mailBoss = boss;
      await mailBoss.createQueue(IMPORT_MAIL_QUEUE, { name: IMPORT_MAIL_QUEUE, ...IMPORT_MAIL_QUEUE_OPTIONS });
      await mailBoss.work<ImportMail>(IMPORT_MAIL_QUEUE, { pollingIntervalSeconds: 1, batchSize: perSecond }, async (jobs) => {
        const started = Date.now();
        const sent = await Promise.allSettled(jobs.map((j) => mailer.send(j.data)));
        const failed = jobs.filter((_, i) => sent[i]!.status === 'rejected').map((j) => j.id);
        if (failed.length > 0) {
          log.warn({ failed: failed.length }, 'worker: sign-in notices failed; they will be retried');
          await mailBoss.fail(IMPORT_MAIL_QUEUE, failed);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
      });
      // Imports last: a finished import queues its notices on the queue created above.
      await boss.work<{ jobId: string }>(IMPORT_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await run(job.data.jobId);
      });
    } catch (error) {
      boss = null;
      log.warn({ err: (error as Error).message }, 'worker: the job queue (pg-boss) could not start; running imports from the jobs table alone');
    }
  }

  const sweep = async () => {
    if (stopping) return;
    try {
      const jobs = await db.job.findMany({ where: { type: 'import', status: { in: ['QUEUED', 'RUNNING'] } }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 20 });
      for (const j of jobs) if (!running.has(j.id)) void run(j.id).catch((error: Error) => log.error({ jobId: j.id, err: error.message }, 'worker: import failed; it will be resumed'));
      // Finished imports whose notices were not queued (the worker stopped in between, or the queue failed).
      if (boss) {
        const owed = await db.$queryRaw<{ id: string }[]>`
          SELECT id FROM jobs WHERE type = 'import' AND status = 'SUCCEEDED' AND payload->>'sendInvitations' = 'true'
            AND (result IS NULL OR NOT result ? 'mailsQueued') LIMIT 20`;
        for (const j of owed) if (!running.has(j.id)) await queueImportMails(db, boss, j.id);
      }
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'worker: sweep failed');
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 5_000);
  timer.unref();

  return {
    queued: boss !== null,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await boss?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
      mailer.close();
      await Promise.allSettled([...running.values()]);
      await lockPool.end();
    },
  };
}
