/**
 * bench:matrix — server time of access-matrix pages on a production build (`next start`) over the large dataset
 * (scripts/seed-large.ts: 1,000 orgs, 100,000 users, 300,000 memberships, 50 applications, 200 roles).
 * Prints the median of several runs of: the platform matrix's first page, a filtered page (org + role + text),
 * the last-sign-in order, a deep page (cursor), and an org's own matrix. Server time is the route's Server-Timing
 * figure (rows, facts and decisions); wall time adds HTTP and JSON. Target: first page under 150 ms.
 * Run: npm run bench:matrix (builds first if there is no production build).
 */
import { generateSessionCookie } from '@auth0/nextjs-auth0/testing';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { assertPortFree, spawnNext, waitForHttp } from '@/lib/embedded/process';
import { migrate } from '@/lib/migrate';
import { dropDatabase, ensureDatabase } from '@/tests/test-db';
import { seedLarge } from '../seed-large';

const DB = 'gatehouse_bench_matrix';
const PORT = Number(process.env.BENCH_PORT ?? 3600);
const RUNS = 9;
const base = `http://localhost:${PORT}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main() {
  if (!existsSync('.next/BUILD_ID')) {
    console.log('no production build yet: running next build…');
    execSync('npx next build', { stdio: 'inherit' });
  }
  await assertPortFree(PORT, 'benchmark server', 'BENCH_PORT');
  await dropDatabase(DB);
  const url = await ensureDatabase(DB);
  await migrate(url);
  console.log('seeding the large dataset…');
  await seedLarge(url, (s) => console.log(s));

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const superadmin = (
    await c.query<{ id: string; sub: string; email: string }>(
      `INSERT INTO users (id, sub, email, name, email_verified, platform_role) VALUES (gen_random_uuid(), 'auth0|bench-superadmin', 'bench@gatehouse.test', 'Bench Superadmin', true, 'SUPERADMIN') RETURNING id, sub, email`,
    )
  ).rows[0]!;
  const owner = (
    await c.query<{ sub: string; email: string; slug: string; members: number }>(
      `SELECT u.sub, u.email, o.slug, (SELECT count(*)::int FROM memberships x WHERE x.org_id = o.id) AS members
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id WHERE m.tier = 'OWNER' ORDER BY o.slug LIMIT 1`,
    )
  ).rows[0]!;
  // A role some members of that org hold there, so the filtered page has rows.
  const role = (
    await c.query<{ id: string }>(
      `SELECT a.role_id AS id FROM role_assignments a JOIN orgs o ON o.id = a.org_id WHERE o.slug = $1 AND a.user_id IS NOT NULL
       GROUP BY a.role_id ORDER BY count(*) DESC LIMIT 1`,
      [owner.slug],
    )
  ).rows[0]!;
  await c.end();

  const secret = randomBytes(32).toString('hex');
  const next = spawnNext(['start', '--port', String(PORT), '--hostname', 'localhost'], {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: url,
    APP_BASE_URL: base,
    // Sessions are cookies this script makes; the identity provider is never contacted.
    AUTH0_DOMAIN: 'http://localhost:9',
    AUTH0_CLIENT_ID: 'gatehouse-bench',
    AUTH0_CLIENT_SECRET: randomBytes(16).toString('hex'),
    AUTH0_SECRET: secret,
    GATEHOUSE_ALLOW_LOOPBACK_IDP: 'true',
    SMTP_URL: 'smtp://127.0.0.1:9',
    LOG_LEVEL: 'warn',
  });
  try {
    await waitForHttp(`${base}/api/health`, 60_000, next);
    const cookie = async (u: { sub: string; email: string }) =>
      `__session=${await generateSessionCookie(
        { user: { sub: u.sub, email: u.email, email_verified: true }, tokenSet: { accessToken: 'bench', expiresAt: Math.floor(Date.now() / 1000) + 3600 } },
        { secret },
      )}`;
    const adminCookie = await cookie(superadmin);
    const ownerCookie = await cookie(owner);

    async function measure(label: string, path: string, sessionCookie: string) {
      const server: number[] = [];
      const wall: number[] = [];
      let rows = 0;
      let cursor: string | null = null;
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { cookie: sessionCookie } });
        const body = (await res.json()) as { rows?: unknown[]; nextCursor?: string | null; error?: { message: string } };
        if (!res.ok) throw new Error(`${label}: HTTP ${res.status} ${body.error?.message}`);
        if (i === 0) continue; // the first request warms the route and the plans
        wall.push(performance.now() - t);
        server.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]));
        rows = body.rows?.length ?? 0;
        cursor = body.nextCursor ?? null;
      }
      console.log(`${label.padEnd(58)} server ${median(server).toFixed(1).padStart(6)} ms   wall ${median(wall).toFixed(1).padStart(6)} ms   (${rows} rows × columns, median of ${RUNS})`);
      return cursor;
    }

    console.log(`\nbench:matrix on a production build, ${new Date().toISOString()}`);
    const cursor = await measure('platform matrix, first page (50 rows, all users)', '/platform/matrix/rows', adminCookie);
    await measure('platform matrix, first page by last sign-in', '/platform/matrix/rows?sort=last_sign_in', adminCookie);
    await measure('platform matrix, second page (cursor)', `/platform/matrix/rows?cursor=${cursor}`, adminCookie);
    await measure('platform matrix, deep text filter ("user9999")', '/platform/matrix/rows?q=user9999', adminCookie);
    await measure(`platform matrix, filtered (org ${owner.slug} + role + text)`, `/platform/matrix/rows?org=${owner.slug}&role=${role.id}&q=user`, adminCookie);
    await measure('platform matrix, M2M clients by API', '/platform/matrix/rows?subjects=clients', adminCookie);
    await measure(`org matrix, first page (${owner.members} members)`, `/orgs/${owner.slug}/access/rows`, ownerCookie);
    console.log('\ntarget: platform matrix first page under 150 ms (server)');
  } finally {
    next.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(DB);
  }
}

main().catch((e: Error) => {
  console.error(`bench:matrix failed: ${e.message}`);
  process.exit(1);
});
