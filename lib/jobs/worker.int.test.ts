import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { workerCommand } from '@/lib/decision-api/launch';
import { getImportJob, requestRun, stageImport } from '@/lib/provisioning/import/jobs';
import { parseImportFile } from '@/lib/provisioning/import/parse';
import { createOrg, createUser, randomSuffix } from '@/prisma/factories';
import PgBoss from 'pg-boss';
import { IMPORT_MAIL_QUEUE, IMPORT_MAIL_QUEUE_OPTIONS, queueImportMails } from './import-mail';
import { createImportQueue } from './queue';
import { startWorker } from './worker';

/**
 * The worker as a real process (scripts/worker.ts through tsx), on the real queue (pg-boss on PostgreSQL): an import
 * runs to the end; and a worker killed with SIGKILL mid-job, started again, finishes it with the database exactly as
 * the file says — no row lost, none applied twice (one audit event per membership and assignment).
 */

const databaseUrl = process.env.DATABASE_URL!;

function startWorkerProcess(batchSize: number): ChildProcess {
  // As the launchers start it: node itself with tsx's loader, not the tsx CLI, which runs the script in a child process
  // that a SIGKILL of the CLI would leave running (and the test would then prove nothing).
  const [command, args] = workerCommand();
  return spawn(command, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, IMPORT_BATCH_SIZE: String(batchSize), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once('exit', r));
}

describe('job worker process', () => {
  it('resumes an import after kill -9 mid-job with no row lost or applied twice', async () => {
    const operator = await createUser(db, { platformRole: 'OPERATOR' });
    const orgs = [await createOrg(db), await createOrg(db), await createOrg(db)];
    const roleKeys = [`w-${randomSuffix()}`, `w-${randomSuffix()}`];
    for (const key of roleKeys) await db.role.create({ data: { key, name: key } });
    const s = randomSuffix();
    const n = 3_000;
    const lines = Array.from({ length: n }, (_, i) => `p${i}-${s}@example.test,Person ${i},${orgs[i % 3]!.slug},employee,${roleKeys.join(';')}`);
    const csv = `email,name,org,tier,roles\n${lines.join('\n')}\n`;
    const parsed = await parseImportFile(Readable.from([Buffer.from(csv)]), { fileName: 'people.csv' });
    const job = await stageImport(db, { importer: { kind: 'platform_user', userId: operator.id, label: operator.email }, fileName: 'people.csv', parsed, orgId: null });
    const queue = createImportQueue(databaseUrl, () => {});
    await requestRun(db, job.id, { platform: true }, { requestId: 'kill-test' }, async () => {});
    expect(await queue.enqueue(job.id)).toBe(true);

    let worker = startWorkerProcess(50);
    try {
      const at = await waitFor('the first batches', async () => {
        const j = await getImportJob(db, job.id);
        return j && j.done >= 500 && j.done;
      });
      worker.kill('SIGKILL');
      await stopped(worker);
      const afterKill = (await getImportJob(db, job.id))!;
      expect(afterKill.status).toBe('RUNNING');
      expect(afterKill.done).toBeGreaterThanOrEqual(at);
      expect(afterKill.done).toBeLessThan(n);
      // What the committed batches wrote matches the progress exactly.
      expect(await db.membership.count({ where: { user: { email: { endsWith: `-${s}@example.test` } } } })).toBe(afterKill.done);

      worker = startWorkerProcess(50);
      const done = await waitFor('the import to finish', async () => {
        const j = await getImportJob(db, job.id);
        return j && j.status === 'SUCCEEDED' && j;
      });
      expect(done).toMatchObject({ done: n, total: n });
      expect(done.applied).toMatchObject({ newUsers: n, newMemberships: n, roleGrants: 2 * n, error: 0 });
    } finally {
      worker.kill('SIGTERM');
      await stopped(worker);
      await queue.stop();
    }

    // The database against the file: each person once, in their org, with both roles; one audit event per change.
    const people = await db.user.findMany({
      where: { email: { endsWith: `-${s}@example.test` } },
      select: { email: true, memberships: { select: { orgId: true, tier: true } }, assignments: { select: { role: { select: { key: true } }, orgId: true } } },
    });
    expect(people).toHaveLength(n);
    const orgOf = new Map(lines.map((l, i) => [l.split(',')[0], orgs[i % 3]!.id]));
    for (const p of people) {
      expect(p.memberships).toEqual([{ orgId: orgOf.get(p.email), tier: 'EMPLOYEE' }]);
      expect(p.assignments.map((a) => a.role.key).sort()).toEqual([...roleKeys].sort());
    }
    const audit = await db.auditEvent.groupBy({ by: ['action'], where: { orgId: { in: orgs.map((o) => o.id) } }, _count: true });
    expect(Object.fromEntries(audit.map((a) => [a.action, a._count]))).toEqual({ 'member.added': n, 'assignment.created': 2 * n });
  }, 180_000);

  it('sends throttled sign-in notices to imported people who never signed in, once per job', async () => {
    const operator = await createUser(db, { platformRole: 'OPERATOR' });
    const org = await createOrg(db);
    const signedIn = await createUser(db);
    const s = randomSuffix();
    const people = Array.from({ length: 12 }, (_, i) => `m${i}-${s}@example.test`);
    const csv = `email,org\n${[...people, signedIn.email].map((e) => `${e},${org.slug}`).join('\n')}\n`;
    const parsed = await parseImportFile(Readable.from([Buffer.from(csv)]), { fileName: 'people.csv' });
    const job = await stageImport(db, { importer: { kind: 'platform_user', userId: operator.id, label: operator.email }, fileName: 'people.csv', parsed, orgId: null, sendInvitations: true });
    const log = { info: () => {}, warn: (o: object, m: string) => console.warn(m, o), error: (o: object, m: string) => console.error(m, o) };
    const worker = await startWorker({ connectionString: databaseUrl, db, log, mail: { mailFrom: 'Gatehouse <no-reply@example.test>', appBaseUrl: 'https://gatehouse.example.test', perSecond: 5 } });
    const queue = createImportQueue(databaseUrl, () => {});
    try {
      expect(worker.queued).toBe(true);
      await requestRun(db, job.id, { platform: true }, { requestId: 'mail-test' }, async () => {});
      await queue.enqueue(job.id);
      await waitFor('the import', async () => (await getImportJob(db, job.id))?.status === 'SUCCEEDED');
      const started = Date.now();
      const mails = await waitFor('12 notices', async () => {
        const rows = await db.outboxMessage.findMany({ where: { orgId: org.id } });
        return rows.length >= 12 && rows;
      }, 30_000);
      // 12 notices at 5 a second take at least two seconds.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
      expect(mails.map((m) => m.to).sort()).toEqual([...people].sort());
      expect(mails[0]!.text).toContain('https://gatehouse.example.test');
      // Once per job: the worker does not queue them again.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await db.outboxMessage.count({ where: { orgId: org.id } })).toBe(12);
    } finally {
      await queue.stop();
      await worker.stop();
    }
  }, 120_000);

  it('queues the notices a page of rows at a time: every new person once per org, however the pages fall', async () => {
    const operator = await createUser(db, { platformRole: 'OPERATOR' });
    const [a, b] = [await createOrg(db), await createOrg(db)];
    const s = randomSuffix();
    const people = Array.from({ length: 12 }, (_, i) => `p${i}-${s}@example.test`);
    // p0 is in both orgs (two notices); p1 is on two rows of org a, on different pages (one notice).
    const rows = [...people.map((e) => `${e},${a.slug}`), `${people[0]},${b.slug}`, `${people[1]},${a.slug}`];
    const parsed = await parseImportFile(Readable.from([Buffer.from(`email,org\n${rows.join('\n')}\n`)]), { fileName: 'paged.csv' });
    const job = await stageImport(db, { importer: { kind: 'platform_user', userId: operator.id, label: operator.email }, fileName: 'paged.csv', parsed, orgId: null, sendInvitations: false });
    const log = { info: () => {}, warn: (o: object, m: string) => console.warn(m, o), error: (o: object, m: string) => console.error(m, o) };
    const worker = await startWorker({ connectionString: databaseUrl, db, log, mail: { mailFrom: 'Gatehouse <no-reply@example.test>', appBaseUrl: 'https://gatehouse.example.test', perSecond: 5 } });
    const queue = createImportQueue(databaseUrl, () => {});
    try {
      await requestRun(db, job.id, { platform: true }, { requestId: 'paged-mail-test' }, async () => {});
      await queue.enqueue(job.id);
      await waitFor('the import', async () => (await getImportJob(db, job.id))?.status === 'SUCCEEDED');
    } finally {
      await queue.stop();
      await worker.stop();
    }
    // Now as if the import had asked for notices, queued with pages of 5 rows (14 rows: three pages).
    await db.job.update({ where: { id: job.id }, data: { payload: { ...((await db.job.findUniqueOrThrow({ where: { id: job.id } })).payload as object), sendInvitations: true } } });
    const boss = new PgBoss({ connectionString: databaseUrl, max: 1, supervise: false, schedule: false });
    boss.on('error', () => {});
    await boss.start();
    try {
      await boss.createQueue(IMPORT_MAIL_QUEUE, { name: IMPORT_MAIL_QUEUE, ...IMPORT_MAIL_QUEUE_OPTIONS });
      expect(await queueImportMails(db, boss, job.id, 5)).toBe(13);
      const queued = await db.$queryRaw<{ to: string; org_id: string }[]>`
        SELECT data->>'to' AS to, data->>'orgId' AS org_id FROM pgboss.job WHERE name = ${IMPORT_MAIL_QUEUE} AND data->>'jobId' = ${job.id}`;
      const expected = [...people.map((e) => `${e} ${a.id}`), `${people[0]} ${b.id}`].sort();
      expect(queued.map((q) => `${q.to} ${q.org_id}`).sort()).toEqual(expected);
      // Once per job.
      expect(await queueImportMails(db, boss, job.id, 5)).toBe(0);
      expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).result).toMatchObject({ mailsQueued: 13 });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  }, 120_000);
});

