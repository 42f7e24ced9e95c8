/**
 * `npm run bench:import` — the bulk import (issue #15) on this machine, one run, figures printed:
 *
 *   - 100,000 rows (100,000 new people, memberships in 1,000 orgs, two roles each): the job's wall time (the worker
 *     process, pg-boss, batches of IMPORT_BATCH_SIZE) next to a raw COPY of the same rows into the same tables
 *     (users, memberships, role_assignments; pg-copy-streams, in a transaction rolled back afterwards), and the ratio
 *     (target ≤ 3×);
 *   - the worker's peak RSS (its whole process tree, sampled every 100 ms; target < 300 MB);
 *   - /api/v1/check p50/p99 while the import runs next to idle (the decision API in this process, 4 callers);
 *   - the same file again (every row unchanged): its job's time as a share of the first (target < 25%);
 *   - parsing and staging (the dry run) of the file, for the record.
 *
 * Its own database (BENCH_DATABASE, default gatehouse_bench_import) on the local PostgreSQL is dropped and made again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateApiKey } from '@/lib/access/api-keys';
import { createDb } from '@/lib/db-client';
import { workerCommand } from '@/lib/decision-api/launch';
import { createDecisionServer } from '@/lib/decision-api/server';
import { createImportQueue } from '@/lib/jobs/queue';
import { migrate } from '@/lib/migrate';
import { getImportJob, requestRun, stageImport } from '@/lib/provisioning/import/jobs';
import { parseImportFile } from '@/lib/provisioning/import/parse';
import { dropDatabase, ensureDatabase } from '@/tests/test-db';
import { ensureBuiltInRoles } from '@/prisma/factories';

const DB = process.env.BENCH_DATABASE ?? 'gatehouse_bench_import';
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const ORGS = 1_000;

const ms = (t: number) => `${(t / 1000).toFixed(2)} s`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** RSS in bytes of a process and all its descendants (Linux /proc). */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const pid = Number(entry);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      rss.set(pid, m ? Number(m[1]) * 1024 : 0);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Calls /check with `concurrency` callers until stopped; returns the latencies (ms). */
function checkLoad(url: string, key: string, body: string, concurrency: number) {
  const latencies: number[] = [];
  let stopped = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.request(`${url}/api/v1/check`, { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.on('error', () => resolve());
      req.end(body);
    });
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopped) {
      await one();
      await new Promise((r) => setTimeout(r, 2));
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return latencies.sort((a, b) => a - b);
    },
  };
}

async function main() {
  await dropDatabase(DB);
  const url = await ensureDatabase(DB);
  await migrate(url);
  const db = createDb(url, { max: 4 });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  console.log(`bench:import — ${ROWS.toLocaleString('en')} rows, ${ORGS} orgs, database ${DB}`);

  // The catalog: two roles (the second mapped to an application, for /check), 1,000 orgs, an operator.
  await ensureBuiltInRoles(db);
  const [roleA, roleB] = [await db.role.create({ data: { key: 'bench:reader', name: 'Reader' } }), await db.role.create({ data: { key: 'bench:writer', name: 'Writer' } })];
  const app = await db.application.create({ data: { name: 'Bench portal', type: 'SPA', clientId: 'bench-portal', accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: roleB.id }] } } });
  await pool.query(`INSERT INTO orgs (id, slug, name, updated_at) SELECT gen_random_uuid(), 'bench-org-' || g, 'Bench org ' || g, now() FROM generate_series(0, ${ORGS - 1}) g`);
  const operator = await db.user.create({ data: { sub: 'auth0|bench-operator', email: 'operator@bench.test', platformRole: 'OPERATOR' } });
  // One person the decision API is asked about throughout.
  const probe = await db.user.create({ data: { sub: 'auth0|bench-probe', email: 'probe@bench.test' } });
  const org0 = await db.org.findUniqueOrThrow({ where: { slug: 'bench-org-0' } });
  await db.membership.create({ data: { orgId: org0.id, userId: probe.id, tier: 'EMPLOYEE' } });
  await db.roleAssignment.create({ data: { roleId: roleB.id, userId: probe.id, orgId: org0.id } });
  const { key, prefix, secretHash } = generateApiKey();
  await db.apiKey.create({ data: { name: 'bench', prefix, secretHash, scopes: ['check'] } });

  const lines = ['email,name,org,tier,roles'];
  for (let i = 0; i < ROWS; i++) lines.push(`person${i}@bench.test,Person ${i},bench-org-${i % ORGS},employee,bench:reader;bench:writer`);
  const csv = lines.join('\n') + '\n';
  console.log(`file: ${(Buffer.byteLength(csv) / 1024 / 1024).toFixed(1)} MB`);

  // 1. The raw COPY baseline: the same rows into the same tables, in a transaction rolled back afterwards.
  const orgIds = new Map((await pool.query<{ slug: string; id: string }>('SELECT slug, id FROM orgs')).rows.map((r) => [r.slug, r.id]));
  const copyClient = await pool.connect();
  const copyStarted = performance.now();
  try {
    await copyClient.query('BEGIN');
    const ids: string[] = [];
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < ROWS; i++) {
            const id = crypto.randomUUID();
            ids.push(id);
            yield `${id}\timport|person${i}@bench.test\tperson${i}@bench.test\tPerson ${i}\n`;
          }
        })(),
      ),
      copyClient.query(copyFrom('COPY users (id, sub, email, name) FROM STDIN')),
    );
    await pipeline(
      Readable.from((function* () { for (let i = 0; i < ROWS; i++) yield `${crypto.randomUUID()}\t${orgIds.get(`bench-org-${i % ORGS}`)}\t${ids[i]}\tEMPLOYEE\n`; })()),
      copyClient.query(copyFrom('COPY memberships (id, org_id, user_id, tier) FROM STDIN')),
    );
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < ROWS; i++) {
            const org = orgIds.get(`bench-org-${i % ORGS}`);
            yield `${crypto.randomUUID()}\t${roleA.id}\t${ids[i]}\t${org}\n${crypto.randomUUID()}\t${roleB.id}\t${ids[i]}\t${org}\n`;
          }
        })(),
      ),
      copyClient.query(copyFrom('COPY role_assignments (id, role_id, user_id, org_id) FROM STDIN')),
    );
  } finally {
    await copyClient.query('ROLLBACK');
    copyClient.release();
  }
  const copyMs = performance.now() - copyStarted;
  console.log(`raw COPY of the same rows (users, memberships, 2 × role_assignments): ${ms(copyMs)}`);

  // 2. The decision API in this process, with /check load while idle.
  const server = createDecisionServer({ databaseUrl: url, importQueue: null, snapshot: { pollIntervalMs: 250 } });
  const apiUrl = await server.start(0);
  const checkBody = JSON.stringify({ subject: { type: 'user', sub: 'auth0|bench-probe' }, organization: 'bench-org-0', target: { type: 'application', clientId: app.clientId } });
  await server.snapshot.refresh();
  const idleLoad = checkLoad(apiUrl, key, checkBody, 4);
  await new Promise((r) => setTimeout(r, 5_000));
  const idle = await idleLoad.stop();

  // 3. The worker process, started as the launchers start it (workerCommand: one process, its heap capped).
  const [command, args] = workerCommand();
  const worker: ChildProcess = spawn(command, args, {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss(worker.pid!))), 100);
  const queue = createImportQueue(url, (m, e) => console.error(m, e?.message));
  await new Promise((r) => setTimeout(r, 3_000)); // the worker starts pg-boss

  async function runFile(label: string) {
    const parseStarted = performance.now();
    const parsed = await parseImportFile(Readable.from([Buffer.from(csv)]), { fileName: 'bench.csv' });
    const job = await stageImport(db, { importer: { kind: 'platform_user', userId: operator.id, label: operator.email }, fileName: 'bench.csv', parsed, orgId: null });
    const planMs = performance.now() - parseStarted;
    const started = performance.now();
    await requestRun(db, job.id, { platform: true }, { requestId: `bench-${label}` }, async () => {});
    await queue.enqueue(job.id);
    for (;;) {
      const j = (await getImportJob(db, job.id))!;
      if (j.status !== 'QUEUED' && j.status !== 'RUNNING') {
        const wall = performance.now() - started;
        console.log(`${label}: parse + stage + dry run ${ms(planMs)}; job ${j.status} in ${ms(wall)} (${Math.round(ROWS / (wall / 1000)).toLocaleString('en')} rows/s); applied ${JSON.stringify(j.applied)}`);
        return wall;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const busyLoad = checkLoad(apiUrl, key, checkBody, 4);
  const first = await runFile('first run');
  const busy = await busyLoad.stop();
  const second = await runFile('second run (same file)');
  clearInterval(sampler);

  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await queue.stop();
  await server.close();
  await db.$disconnect();
  await pool.end();

  const f = (n: number) => n.toFixed(2);
  console.log('');
  console.log('figure                                   value          target');
  console.log(`raw COPY                                 ${ms(copyMs).padEnd(14)} —`);
  console.log(`import job (first run)                   ${ms(first).padEnd(14)} ≤ 3 × COPY`);
  console.log(`ratio job / COPY                         ${(first / copyMs).toFixed(2).padEnd(14)} ≤ 3`);
  console.log(`worker peak RSS (process tree)           ${`${Math.round(peakRss / 1024 / 1024)} MB`.padEnd(14)} < 300 MB`);
  console.log(`/check p50 / p99 idle                    ${`${f(percentile(idle, 50))} / ${f(percentile(idle, 99))} ms`.padEnd(14)} (n=${idle.length})`);
  console.log(`/check p50 / p99 during the import       ${`${f(percentile(busy, 50))} / ${f(percentile(busy, 99))} ms`.padEnd(14)} (n=${busy.length})`);
  console.log(`second run (unchanged) / first           ${`${((second / first) * 100).toFixed(1)} %`.padEnd(14)} < 25 %`);
}

main().catch((error: Error) => {
  console.error(`bench:import failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
