/**
 * bench:compare — this checkout's console against another revision's, side by side in one run. This 2-core machine's
 * speed moves by a third from one minute to the next, so two runs of bench:platform minutes apart cannot show a
 * change of a few milliseconds. Here both production builds serve at once over the same seeded database, and every
 * page is asked of both in turn (before/after, then after/before), so a swing lands on both columns alike.
 *
 *   npm run bench:compare -- REV [PATH ...]        e.g. npm run bench:compare -- HEAD~3
 *
 * REV is checked out in a temporary git worktree (this checkout's node_modules copied in, its Prisma client generated,
 * `next build`), and removed afterwards. Both servers use this checkout's database: compare revisions whose migrations
 * agree. The database is bench:platform's (seed it once with BENCH_KEEP_DB=1 npm run bench:platform). Without PATHs it
 * compares the platform list pages and the rows for scale. BENCH_COMPARE_RUNS (default 31) requests of each page per
 * build, after 20 warm-up requests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { largeSeeded } from '../seed-large';
import { CookieJar, ensureProductionBuild, pageGetter, startBenchConsole, upsertBenchSuperadmin, type BenchConsole } from './console-server';

const DB_URL = `postgresql://postgres@127.0.0.1:5432/${process.env.BENCH_DB ?? 'gatehouse_bench_platform'}`;
const RUNS = Number(process.env.BENCH_COMPARE_RUNS ?? 31);
const WARMUP = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sh = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

/** Builds REV in a temporary worktree; returns its folder. */
function buildRevision(rev: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-compare-'));
  console.log(`› checking out ${rev} in ${dir}`);
  sh('git', ['worktree', 'add', '--detach', dir, rev], process.cwd());
  // A copy, not a symlink: Turbopack resolves nothing outside the project's folder.
  console.log('› copying node_modules');
  cpSync('node_modules', path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  sh('node', ['scripts/ensure-prisma-client.mjs'], dir);
  console.log(`› building ${rev}`);
  sh('npx', ['next', 'build'], dir, { NEXT_TELEMETRY_DISABLED: '1' });
  return dir;
}

function removeWorktree(dir: string): void {
  try {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['worktree', 'prune'], { stdio: 'ignore' });
  }
}

async function startIn(dir: string, port: number): Promise<BenchConsole> {
  const here = process.cwd();
  process.chdir(dir); // the console starts from the folder it is in (node_modules/next, .next)
  try {
    return await startBenchConsole(DB_URL, port);
  } finally {
    process.chdir(here);
  }
}

async function main() {
  const [rev, ...given] = process.argv.slice(2);
  if (!rev) throw new Error('usage: npm run bench:compare -- REV [PATH ...]');
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect().catch(() => {
    throw new Error(`no database at ${DB_URL}: seed it once with BENCH_KEEP_DB=1 npm run bench:platform`);
  });
  if (!(await largeSeeded(DB_URL, { events: true }))) throw new Error(`${DB_URL} is not seeded: run BENCH_KEEP_DB=1 npm run bench:platform once`);
  const superadmin = await upsertBenchSuperadmin(c, { sub: 'auth0|bench-compare-superadmin', email: 'bench-compare@gatehouse.test', name: 'Bench Compare' });
  const org = (await c.query<{ id: string }>(`SELECT org_id AS id FROM org_stats ORDER BY members DESC LIMIT 1`)).rows[0]!;
  await c.end();
  const paths = given.length
    ? given
    : [
        '/platform/orgs?q=no-such-org',
        '/platform/orgs',
        '/platform/users?q=user123',
        '/platform/audit',
        `/platform/audit?org=${org.id}`,
        '/signed-out',
      ];

  ensureProductionBuild();
  const dir = buildRevision(rev);
  const servers: BenchConsole[] = [];
  try {
    const before = await startIn(dir, Number(process.env.BENCH_PORT ?? 3650));
    servers.push(before);
    const after = await startBenchConsole(DB_URL, Number(process.env.BENCH_PORT ?? 3650) + 10);
    servers.push(after);
    const getters = new Map<BenchConsole, (path: string) => Promise<string>>();
    for (const s of [before, after]) getters.set(s, pageGetter(s.base, new CookieJar(await s.cookieFor(superadmin))));
    const get = (s: BenchConsole, p: string) => getters.get(s)!(p);
    for (let i = 0; i < WARMUP; i++) for (const p of paths) for (const s of [before, after]) await get(s, p);
    const times = new Map<string, number[]>();
    for (let round = 0; round < RUNS; round++) {
      for (const p of paths) {
        const order = round % 2 ? [before, after] : [after, before];
        for (const s of order) {
          const t = performance.now();
          await get(s, p);
          const key = `${s === before ? 'before' : 'after'} ${p}`;
          times.set(key, [...(times.get(key) ?? []), performance.now() - t]);
        }
      }
    }
    console.log(`\nbench:compare ${rev} (before) against this checkout (after), ${new Date().toISOString()}: median of ${RUNS} interleaved requests each, ms`);
    console.log(`${'page'.padEnd(64)} ${'before'.padStart(7)} ${'after'.padStart(7)} ${'change'.padStart(7)}`);
    for (const p of paths) {
      const b = median(times.get(`before ${p}`)!);
      const a = median(times.get(`after ${p}`)!);
      console.log(`${p.slice(0, 64).padEnd(64)} ${b.toFixed(1).padStart(7)} ${a.toFixed(1).padStart(7)} ${`${(((a - b) / b) * 100).toFixed(0)} %`.padStart(7)}`);
    }
  } finally {
    for (const s of servers) await s.stop();
    removeWorktree(dir);
  }
}

main().catch((e: Error) => {
  console.error(`bench:compare failed: ${e.message}`);
  process.exit(1);
});
