/**
 * bench:foundation — what every request and every start pays for, on this machine's PostgreSQL.
 *   - migrations: a fresh database, then the no-op second run every instance does at start;
 *   - the per-request identity and org lookup (the exact queries behind requireOrgContext), with
 *     20,000 users in 2,000 orgs (60,000 memberships), p50/p95/p99 over 3,000 lookups;
 *   - audit writes: mutation-sized transactions, each with one audit event.
 * Run: npm run bench:foundation. Figures only; nothing here is asserted by the test suite.
 */
import { performance } from 'node:perf_hooks';
import { dropDatabase, ensureDatabase } from '@/tests/test-db';

const DB_NAME = 'gatehouse_bench_foundation';
const ORGS = 2_000;
const USERS = 20_000;
const LOOKUPS = 3_000;
const AUDIT_WRITES = 2_000;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function main() {
  await dropDatabase(DB_NAME);
  const url = await ensureDatabase(DB_NAME);
  process.env.DATABASE_URL = url;
  const { migrate } = await import('@/lib/migrate');
  const { getDb } = await import('@/lib/db');
  const { getUserBySub } = await import('@/lib/data/users');
  const { findMembershipBySlug } = await import('@/lib/data/members');
  const { recordAudit } = await import('@/lib/audit');

  let t = performance.now();
  const first = await migrate(url);
  const fresh = performance.now() - t;
  t = performance.now();
  const second = await migrate(url);
  const again = performance.now() - t;
  console.log(`migrations: fresh database ${ms(fresh)} (${first.applied.length} applied); second run ${ms(again)} (${second.applied.length} applied)`);

  const db = getDb();
  t = performance.now();
  await db.$executeRawUnsafe(`
    INSERT INTO orgs (id, slug, name) SELECT gen_random_uuid(), 'org-' || g, 'Org ' || g FROM generate_series(1, ${ORGS}) g;
    `);
  await db.$executeRawUnsafe(`
    INSERT INTO users (id, sub, email, name) SELECT gen_random_uuid(), 'auth0|bench' || g, 'user' || g || '@bench.test', 'User ' || g FROM generate_series(1, ${USERS}) g;
  `);
  // Every user belongs to three orgs (user g: orgs g, g+1, g+2 mod ORGS), so lookups hit a table of 60,000 rows.
  await db.$executeRawUnsafe(`
    INSERT INTO memberships (id, org_id, user_id, tier)
    SELECT gen_random_uuid(), o.id, u.id, (CASE WHEN k = 0 THEN 'OWNER' WHEN k = 1 THEN 'ADMIN' ELSE 'EMPLOYEE' END)::"Tier"
    FROM generate_series(1, ${USERS}) g
    CROSS JOIN generate_series(0, 2) k
    JOIN users u ON u.sub = 'auth0|bench' || g
    JOIN orgs o ON o.slug = 'org-' || (((g + k) % ${ORGS}) + 1);
  `);
  await db.$executeRawUnsafe('ANALYZE');
  console.log(`seeded ${USERS} users, ${ORGS} orgs, ${USERS * 3} memberships in ${ms(performance.now() - t)}`);

  const samples: number[] = [];
  for (let i = 0; i < 100; i++) await getUserBySub(`auth0|bench${i + 1}`); // warm the pool and plans
  for (let i = 0; i < LOOKUPS; i++) {
    const g = 1 + ((i * 7919) % USERS);
    const start = performance.now();
    const user = await getUserBySub(`auth0|bench${g}`);
    const m = await findMembershipBySlug(user!.id, `org-${((g + (i % 3)) % ORGS) + 1}`);
    samples.push(performance.now() - start);
    if (!m) throw new Error(`lookup ${i} found no membership`);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `org context lookup (user by sub + membership by slug), ${LOOKUPS} sequential: p50 ${ms(pct(samples, 50))}, p95 ${ms(pct(samples, 95))}, p99 ${ms(pct(samples, 99))}`,
  );

  const org = await db.org.findFirstOrThrow({ where: { slug: 'org-1' } });
  t = performance.now();
  for (let i = 0; i < AUDIT_WRITES; i++) {
    await db.$transaction(async (tx) => {
      await tx.org.update({ where: { id: org.id }, data: { name: `Org 1 v${i}` } });
      await recordAudit(tx, {
        action: 'org.updated',
        orgId: org.id,
        actor: { type: 'system', label: 'bench' },
        target: { type: 'org', id: org.id },
        requestId: `bench-${i}`,
        after: { name: `Org 1 v${i}` },
      });
    });
  }
  const auditMs = performance.now() - t;
  console.log(`mutation + audit event per transaction: ${AUDIT_WRITES} in ${ms(auditMs)} = ${(AUDIT_WRITES / (auditMs / 1000)).toFixed(0)} per second`);
  console.log(`memory: rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`);

  await db.$disconnect();
  await dropDatabase(DB_NAME);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
