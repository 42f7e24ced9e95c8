import PgBoss from 'pg-boss';

/**
 * The job queue: pg-boss 10 in PostgreSQL (its own schema "pgboss", created by pg-boss on start), see
 * docs/decisions/0011-bulk-import.md. Producers (the console's server actions, the decision API's
 * POST /api/v1/imports) send a message naming the import job; the worker (lib/jobs/worker.ts) receives it. The
 * message only wakes a worker: the import's state (status, which rows are applied) lives in the jobs and import_rows
 * tables, so a lost or repeated message changes nothing, and the worker's sweep picks up any job whose message
 * never arrived.
 */

export const IMPORT_QUEUE = 'gatehouse-import';

/** The import queue's options: one message per import in each state (stately), retried, expiring after an hour. */
export const IMPORT_QUEUE_OPTIONS = { policy: 'stately', retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 3_600 } as const;

export interface ImportQueue {
  /** Sends the message that wakes a worker for this import; resolves false when the queue is not reachable. */
  enqueue(jobId: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts pg-boss without its maintenance (the worker runs that) and creates the queue when missing. */
export async function startBoss(connectionString: string, options: { max?: number; supervise?: boolean; onError?: (e: Error) => void } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, max: options.max ?? 2, supervise: options.supervise ?? false, schedule: false });
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  await boss.createQueue(IMPORT_QUEUE, { name: IMPORT_QUEUE, ...IMPORT_QUEUE_OPTIONS });
  return boss;
}

/**
 * A producer for one process, started on first use. A failure to reach pg-boss (the embedded PGlite, a database
 * restart) is logged and answered false: the import stays QUEUED and the worker's sweep starts it.
 */
export function createImportQueue(connectionString: string, log: (message: string, error?: Error) => void): ImportQueue {
  let boss: Promise<PgBoss> | null = null;
  return {
    async enqueue(jobId) {
      try {
        boss ??= startBoss(connectionString, { onError: (e) => log('job queue error', e) });
        // Never keep a request waiting on the queue: past 5 s the worker's sweep starts the import anyway.
        const sent = (async () => (await boss!).send(IMPORT_QUEUE, { jobId }, { singletonKey: jobId }))();
        await Promise.race([sent, new Promise((_, reject) => setTimeout(() => reject(new Error('the job queue did not answer within 5 s')), 5_000).unref())]);
        return true;
      } catch (error) {
        boss = null;
        log('could not queue the import; the worker will pick it up from the jobs table', error as Error);
        return false;
      }
    },
    async stop() {
      const b = boss;
      boss = null;
      if (b) await (await b.catch(() => null))?.stop({ graceful: false, wait: true, timeout: 2_000 });
    },
  };
}
