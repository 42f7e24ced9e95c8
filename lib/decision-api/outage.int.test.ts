import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@/lib/access/api-keys';
import { createDb, type Db } from '@/lib/db-client';
import { migrate } from '@/lib/migrate';
import { createUser, ensureBuiltInRoles } from '@/prisma/factories';
import { canRunPrivateCluster, startPrivateCluster, type PrivateCluster } from '@/tests/private-cluster';
import { createDecisionServer, type DecisionServer } from './server';

/**
 * Issue #13 items 6–7: the decision API through a database outage, on a PRIVATE PostgreSQL cluster this test starts
 * on its own port and stops (never the shared one). Debian's initdb and pg_ctl refuse root, so they run as postgres.
 */
const PORT = 5499;
if (!canRunPrivateCluster) console.warn('outage.int.test.ts skipped: PostgreSQL 15 server binaries (initdb) are needed to run a private cluster');

describe.skipIf(!canRunPrivateCluster)('the decision API while its database is down', () => {
  let cluster: PrivateCluster;
  const pgCtl = (action: 'start' | 'stop') => (action === 'start' ? cluster.start() : cluster.stop());
  const url = `postgresql://postgres@127.0.0.1:${PORT}/postgres`;
  let db: Db;
  let server: DecisionServer;
  let strict: DecisionServer;
  let base = '';
  let key = '';
  const known = { sub: 'auth0|outage-known', email: 'known@example.test' };
  let knownId = '';
  const clientId = 'outage-open-app';

  beforeAll(async () => {
    cluster = startPrivateCluster(PORT);
    await migrate(url);
    db = createDb(url);
    await ensureBuiltInRoles(db);
    knownId = (await createUser(db, known)).id;
    await db.application.create({ data: { name: 'Outage app', type: 'SPA', clientId, accessPolicy: 'OPEN' } });
    const generated = generateApiKey();
    await db.apiKey.create({ data: { name: 'outage', prefix: generated.prefix, secretHash: generated.secretHash, scopes: ['check', 'decisions:login'] } });
    key = generated.key;
    server = createDecisionServer({ databaseUrl: url, snapshot: { listen: false }, maxSnapshotAgeMs: 300_000 });
    strict = createDecisionServer({ databaseUrl: url, snapshot: { listen: false }, maxSnapshotAgeMs: 1_500 });
    base = await server.start(0);
    await strict.ready();
  });

  afterAll(async () => {
    await server?.close().catch(() => {});
    await strict?.close().catch(() => {});
    await db?.$disconnect().catch(() => {});
    cluster?.remove();
  });

  const post = (p: string, body: unknown) =>
    fetch(`${base}/api/v1${p}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const checkKnown = () => post('/check', { subject: { type: 'user', sub: known.sub }, target: { type: 'application', clientId } });
  const loginAs = (user: { sub: string; email: string }) => post('/decisions/login', { user, clientId });
  const loginEvents = async () => (await db.loginEvent.count({ where: { userId: knownId } }));

  it('answers from the snapshot (200) or 503 with Retry-After, never 500; liveness and readiness stay up; queued sign-ins are recorded afterwards', async () => {
    expect((await loginAs(known)).status).toBe(200);
    expect(await loginEvents()).toBe(1);

    pgCtl('stop');
    const answers: { what: string; status: number; retryAfter: string | null; body: string }[] = [];
    const deadline = Date.now() + 3_000;
    let n = 0;
    // A bounded load: 4 callers, each one request at a time, for 3 s of outage.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < deadline) {
          const i = n++;
          const [what, res] =
            i % 7 === 0
              ? (['first sign-in', await loginAs({ sub: `auth0|outage-new-${i}`, email: `new-${i}@example.test` })] as const)
              : i % 2 === 0
                ? (['login', await loginAs(known)] as const)
                : (['check', await checkKnown()] as const);
          answers.push({ what, status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() });
        }
      }),
    );

    const statuses = new Set(answers.map((a) => `${a.what} ${a.status}`));
    expect([...statuses].sort()).toEqual(['check 200', 'first sign-in 503', 'login 200']);
    for (const a of answers) if (a.status === 503) expect(a.retryAfter, a.body).toBe('5');
    const queued = answers.filter((a) => a.what === 'login').length;
    expect(queued).toBeGreaterThan(0);
    const login = answers.find((a) => a.what === 'login')!;
    expect(JSON.parse(login.body)).toMatchObject({ allow: true, reason: { code: 'open_application' } });

    const live = await fetch(`${base}/api/v1/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${base}/api/v1/health/ready`);
    expect(ready.status).toBe(200);
    const readiness = (await ready.json()) as { status: string; snapshotAgeMs: number; maxSnapshotAgeMs: number };
    expect(readiness).toMatchObject({ status: 'ok', maxSnapshotAgeMs: 300_000 });
    expect(readiness.snapshotAgeMs).toBeGreaterThan(1_500);
    // The same outage past a short configured maximum: not ready, still live.
    expect((await strict.inject({ url: '/api/v1/health/ready' })).statusCode).toBe(503);
    expect((await strict.inject({ url: '/api/v1/health/live' })).statusCode).toBe(200);

    pgCtl('start');
    const until = Date.now() + 20_000;
    while ((await loginEvents().catch(() => -1)) < 1 + queued && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(await loginEvents()).toBe(1 + queued);
    const user = await db.user.findUniqueOrThrow({ where: { id: knownId } });
    expect(user.loginCount).toBe(1 + queued);
  });
});
