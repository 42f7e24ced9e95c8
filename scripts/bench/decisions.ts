/**
 * bench:decisions — the decision API under load, on the large dataset (scripts/seed-large.ts: 100,000 users,
 * 1,000 orgs, 300,000 memberships), in production mode (the esbuild bundle `npm start` runs), in one run:
 *   - /api/v1/check and /api/v1/decisions/login: requests/s and p50/p99 latency with wrk (Debian's package; 1 thread,
 *     so the server keeps the other core; 10 connections), next to a plain Node hello-world server measured the same
 *     way, and the ratio. Hello-world is measured twice: with the very same POST requests as /check (same wrk script,
 *     bodies and headers — "measured the same way"), and with a bare GET (the easiest request there is). Three rounds,
 *     interleaved, so a slow moment of the machine hits every server alike; medians are reported.
 *   - in-process `decide` per call next to node-casbin's RBAC-with-domains enforcer loaded with the same data.
 *   - the CPU time each server process spends per request (its own `process.cpuUsage()`, all its threads, user +
 *     system, read over an IPC channel just before and after each wrk run, ÷ the requests wrk completed), for
 *     hello-world (same POSTs) and /check side by side. Requests/s moves with the machine (how dear waking the load
 *     generator on the other core is); CPU per request mostly measures the server's own work.
 * Targets: /check ≥ 1/3 of hello-world's requests/s with p99 ≤ 2 ms; /check's CPU per request ≤ 2.5 × hello-world's; /decisions/login p99 < 20 ms; decide faster
 * than casbin. Run: npm run bench:decisions (installs wrk with apt-get when missing). Settings: BENCH_DATABASE (the
 * database's name, default gatehouse_bench_decisions), BENCH_API_PORT, BENCH_HELLO_PORT, BENCH_DURATION, BENCH_ROUNDS.
 *
 * The per-key rate limit is raised for the run (it would answer 429s, which are cheaper than decisions); its cost is
 * still paid on every request. After seeding, the database is vacuumed and checkpointed, as a database in service is
 * settled: measuring the first seconds after a bulk load of 500,000 rows measures autovacuum and the checkpoint.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateApiKey } from '@/lib/access/api-keys';
import { DECISIONS_BUNDLE } from '@/lib/decision-api/launch';
import { assertPortFree, waitForHttp } from '@/lib/embedded/process';
import { migrate } from '@/lib/migrate';
import { dropDatabase, ensureDatabase } from '@/tests/test-db';
import { seedLarge } from '../seed-large';
import { compareDecideWithCasbin } from './decide-vs-casbin';

/** The benchmark's own database on the local PostgreSQL (dropped and made again): its name must start with gatehouse_. */
const DB = process.env.BENCH_DATABASE ?? 'gatehouse_bench_decisions';
const API_PORT = Number(process.env.BENCH_API_PORT ?? 3700);
const HELLO_PORT = Number(process.env.BENCH_HELLO_PORT ?? 3701);
const DURATION = process.env.BENCH_DURATION ?? '10s';
const CONNECTIONS = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface WrkResult {
  rps: number;
  /** Requests completed during the run. */
  requests: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function ms(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** Runs wrk (1 thread, so the server keeps the other core) and reads requests/s and the latency percentiles. */
function wrk(url: string, script?: string): WrkResult {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}`, '--latency', ...(script ? ['-s', script] : []), url];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const pct = (p: string) => ms(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    requests: Number(/(\d+) requests in /.exec(out)?.[1]),
    p50: pct('50'),
    p99: pct('99'),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
  };
}

/** A wrk Lua script that POSTs the given JSON bodies in turn with the API key. */
function postScript(dir: string, name: string, key: string, bodies: unknown[]): string {
  const file = path.join(dir, `${name}.lua`);
  const lua = [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    `wrk.headers["Authorization"] = "Bearer ${key}"`,
    'local bodies = {',
    ...bodies.map((b) => `  [==[${JSON.stringify(b)}]==],`),
    '}',
    'local i = 0',
    'request = function()',
    '  i = (i % #bodies) + 1',
    '  return wrk.format(nil, nil, nil, bodies[i])',
    'end',
  ].join('\n');
  writeFileSync(file, lua);
  return file;
}

/**
 * Loaded into each measured server with `node --require`: answers "cpu" on the IPC channel with the process's own
 * cpuUsage (µs, user + system), so the figure is the server's, read inside it. The channel is unref'd so it never
 * keeps a server alive, and the server's own code is not changed for the benchmark.
 */
const CPU_PROBE = `process.on('message', (m) => { if (m === 'cpu') { const u = process.cpuUsage(); process.send({ cpu: u.user + u.system }); } });
if (process.channel) process.channel.unref();
`;

/** The server's CPU time so far (µs), asked over its IPC channel. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a server did not report its CPU time')), 10_000);
    child.once('message', (m: { cpu: number }) => {
      clearTimeout(timer);
      resolve(m.cpu);
    });
    child.send('cpu');
  });
}

interface Measured extends WrkResult {
  /** The server process's CPU time per request served, µs. */
  cpuUs: number;
}

/** Runs wrk against `server` and reads the server's CPU time over the run. */
async function measure(server: ChildProcess, url: string, script?: string): Promise<Measured> {
  const before = await cpuOf(server);
  const result = wrk(url, script);
  const after = await cpuOf(server);
  return { ...result, cpuUs: (after - before) / result.requests };
}

function line(label: string, r: Measured) {
  return `${label.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(3).padStart(7)} ms   p99 ${r.p99.toFixed(3).padStart(7)} ms   CPU ${r.cpuUs.toFixed(1).padStart(5)} µs/req${r.non2xx ? `   (${r.non2xx} non-2xx!)` : ''}`;
}

async function main() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      console.log('installing wrk (Debian package)…');
      execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' });
    }
  }
  await assertPortFree(API_PORT, 'decision API (benchmark)', 'BENCH_API_PORT');
  await assertPortFree(HELLO_PORT, 'hello-world server', 'BENCH_HELLO_PORT');
  await dropDatabase(DB);
  const url = await ensureDatabase(DB);
  await migrate(url);
  console.log('seeding the large dataset…');
  await seedLarge(url, () => {});

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const key = generateApiKey();
  await c.query(`INSERT INTO api_keys (id, name, prefix, secret_hash, scopes) VALUES (gen_random_uuid(), 'bench', $1, $2, $3)`, [
    key.prefix,
    key.secretHash,
    ['check', 'decisions:login', 'decisions:client_credentials'],
  ]);
  // A settled database, as in service (see the header).
  await c.query('VACUUM ANALYZE');
  await c.query('CHECKPOINT');
  // Questions as backends ask them: a user, one of their orgs, an application or a permission.
  const sample = (
    await c.query<{ sub: string; email: string; slug: string; app: string; audience: string; permission: string }>(
      `SELECT u.sub, u.email, o.slug, a.client_id AS app, api.identifier AS audience, p.value AS permission
       FROM (SELECT * FROM memberships ORDER BY md5(id::text) LIMIT 2000) m
       JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id
       JOIN LATERAL (SELECT client_id FROM applications WHERE type <> 'M2M' ORDER BY md5(m.id::text || id::text) LIMIT 1) a ON true
       JOIN LATERAL (SELECT value, api_id FROM permissions ORDER BY md5(m.id::text || id::text) LIMIT 1) p ON true
       JOIN apis api ON api.id = p.api_id`,
    )
  ).rows;
  await c.end();

  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-'));
  const checkScript = postScript(
    dir,
    'check',
    key.key,
    sample.map((s, i) =>
      i % 2 === 0
        ? { subject: { type: 'user', sub: s.sub }, organization: s.slug, target: { type: 'application', clientId: s.app } }
        : { subject: { type: 'user', sub: s.sub }, organization: s.slug, target: { type: 'permission', audience: s.audience, permission: s.permission } },
    ),
  );
  const loginScript = postScript(
    dir,
    'login',
    key.key,
    sample.slice(0, 500).map((s) => ({ user: { sub: s.sub, email: s.email, email_verified: true, connection: 'Username-Password-Authentication' }, clientId: s.app, organization: s.slug })),
  );

  const probe = path.join(dir, 'cpu-probe.cjs');
  writeFileSync(probe, CPU_PROBE);
  const children: ChildProcess[] = [];
  try {
    // Production runs the decision API from its bundle (npm run build:decisions), as `npm start` does.
    execFileSync('npm', ['run', '--silent', 'build:decisions'], { stdio: 'inherit' });
    if (!existsSync(DECISIONS_BUNDLE)) throw new Error(`the bundle ${DECISIONS_BUNDLE} was not built`);
    const api = spawn(process.execPath, ['--require', probe, DECISIONS_BUNDLE], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        DECISIONS_PORT: String(API_PORT),
        DECISIONS_HOST: '127.0.0.1',
        DECISIONS_RATE_LIMIT_PER_SECOND: '100000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(api);
    const hello = spawn(
      process.execPath,
      ['--require', probe, '-e', `require('node:http').createServer((q, s) => s.end('hello')).listen(${HELLO_PORT}, '127.0.0.1')`],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    children.push(hello);
    await waitForHttp(`http://127.0.0.1:${API_PORT}/api/v1/health`, 120_000, api);
    await waitForHttp(`http://127.0.0.1:${HELLO_PORT}/`, 10_000, hello);

    console.log(`\nbench:decisions, ${new Date().toISOString()}, wrk 1 thread × ${CONNECTIONS} connections × ${DURATION}, production mode, ${ROUNDS} rounds`);
    const checkUrl = `http://127.0.0.1:${API_PORT}/api/v1/check`;
    const loginUrl = `http://127.0.0.1:${API_PORT}/api/v1/decisions/login`;
    const helloUrl = `http://127.0.0.1:${HELLO_PORT}/api/v1/check`;
    // Warm-up, not counted: JIT, caches, the database pool (a login's first second runs at ~1/3 of its later speed).
    wrk(checkUrl, checkScript);
    wrk(helloUrl, checkScript);
    wrk(loginUrl, loginScript);
    const rounds: { helloPost: Measured; helloGet: Measured; check: Measured }[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const helloPost = await measure(hello, helloUrl, checkScript);
      const helloGet = await measure(hello, `http://127.0.0.1:${HELLO_PORT}/`);
      const check = await measure(api, checkUrl, checkScript);
      rounds.push({ helloPost, helloGet, check });
      console.log(`round ${r}`);
      console.log(line('  hello-world, same POSTs as /check', helloPost));
      console.log(line('  hello-world, GET /', helloGet));
      console.log(line('  POST /api/v1/check', check));
      console.log(`  ratios: ${(check.rps / helloPost.rps).toFixed(3)} of hello-world (same POSTs), ${(check.rps / helloGet.rps).toFixed(3)} of hello-world (GET); CPU per request ${(check.cpuUs / helloPost.cpuUs).toFixed(2)} × hello-world's (same POSTs)`);
    }
    const login = await measure(api, loginUrl, loginScript);
    console.log(line('POST /api/v1/decisions/login', login));

    // Figures of a server that answered with errors (429, 404…) measure the errors: refuse them.
    const failed = [...rounds.map((r) => r.check), login].filter((r) => r.non2xx > 0);
    if (failed.length > 0) throw new Error(`the decision API answered ${failed.map((r) => r.non2xx).join(' + ')} requests with an error status`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratioPost = median(rounds.map((r) => r.check.rps / r.helloPost.rps));
    const ratioGet = median(rounds.map((r) => r.check.rps / r.helloGet.rps));
    const checkP99 = median(rounds.map((r) => r.check.p99));
    const checkCpu = median(rounds.map((r) => r.check.cpuUs));
    const helloCpu = median(rounds.map((r) => r.helloPost.cpuUs));
    const cpuRatio = median(rounds.map((r) => r.check.cpuUs / r.helloPost.cpuUs));
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`\nsummary (medians of ${ROUNDS} rounds)`);
    console.log(`  /check ${median(rounds.map((r) => r.check.rps)).toFixed(0)} req/s; hello-world ${median(rounds.map((r) => r.helloPost.rps)).toFixed(0)} req/s (same POSTs), ${median(rounds.map((r) => r.helloGet.rps)).toFixed(0)} req/s (GET)`);
    console.log(`  /check ÷ hello-world (same POSTs) = ${ratioPost.toFixed(3)}   target ≥ 0.333: ${verdict(ratioPost >= 1 / 3)}`);
    console.log(`  /check ÷ hello-world (GET)        = ${ratioGet.toFixed(3)}   (for reference: ${verdict(ratioGet >= 1 / 3)})`);
    console.log(`  /check p99 ${checkP99.toFixed(3)} ms   target ≤ 2 ms: ${verdict(checkP99 <= 2)}`);
    console.log(`  server CPU per request: /check ${checkCpu.toFixed(1)} µs, hello-world (same POSTs) ${helloCpu.toFixed(1)} µs`);
    console.log(`  /check ÷ hello-world CPU per request = ${cpuRatio.toFixed(2)}   target ≤ 2.5: ${verdict(cpuRatio <= 2.5)}`);
    console.log(`  /decisions/login p50 ${login.p50.toFixed(3)} ms, p99 ${login.p99.toFixed(3)} ms   target p99 < 20 ms: ${verdict(login.p99 < 20)}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
  }

  console.log('\nin-process: decide() vs node-casbin RBAC with domains, same data, same 20,000 permission checks');
  const cmp = await compareDecideWithCasbin(url, 20_000, (s) => console.log(s));
  console.log(
    `decide ${(cmp.decideNsPerCall / 1000).toFixed(2)} µs/call   casbin ${(cmp.casbinNsPerCall / 1000).toFixed(2)} µs/call   casbin ÷ decide = ${(cmp.casbinNsPerCall / cmp.decideNsPerCall).toFixed(1)}×   (${cmp.disagreements} disagreements)`,
  );
  if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB);
}

main().catch((e: Error) => {
  console.error(`bench:decisions failed: ${e.message}`);
  process.exit(1);
});
