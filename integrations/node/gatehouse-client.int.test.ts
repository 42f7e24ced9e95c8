import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@/lib/access/api-keys';
import { type ApiKeyScope } from '@/lib/access/api-key-scopes';
import { db } from '@/lib/db';
import { runImport } from '@/lib/provisioning/import/jobs';
import { createDecisionServer, type DecisionServer } from '@/lib/decision-api/server';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';
import { createGatehouseClient, GatehouseError, isCheckError, type CheckRequest, type GatehouseClientOptions } from './gatehouse-client';

/**
 * The Node client against a live decision server on the integration database. Requests are counted by wrapping
 * fetch, so "served from the cache" means no request left the process.
 */

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function insertKey(scopes: ApiKeyScope[]): Promise<string> {
  const { key, prefix, secretHash } = generateApiKey();
  await db.apiKey.create({ data: { name: `client test ${randomSuffix()}`, prefix, secretHash, scopes } });
  return key;
}

/** A fetch that counts calls and keeps the bodies it sent. */
function countingFetch() {
  const sent: { url: string; body: unknown }[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    sent.push({ url: String(input), body: typeof init?.body === 'string' && init.body.startsWith('{') ? JSON.parse(init.body) : undefined });
    return fetch(input, init);
  };
  return { fetchFn, sent };
}

/** Runs `p` and returns the GatehouseError it rejects with (fails the test otherwise). */
async function gatehouseError(p: Promise<unknown>): Promise<GatehouseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GatehouseError) return e;
    throw new Error(`expected a GatehouseError, got ${String(e)}`);
  }
  throw new Error('expected a GatehouseError, but the call resolved');
}

describe('Gatehouse Node client against a live decision server', () => {
  const s = randomSuffix();
  let server: DecisionServer | undefined;
  let url: string;
  let checkKey: string;
  let loginOnlyKey: string;
  let hanging: Server;
  let hangingUrl: string;
  const fx = {} as { audience: string; orgA: string; orgB: string; aliceSub: string; bobSub: string; m2m: string; portal: string };

  const client = (opts: Partial<GatehouseClientOptions> = {}) => {
    const counter = countingFetch();
    return { gatehouse: createGatehouseClient({ baseUrl: url, apiKey: checkKey, fetch: counter.fetchFn, ...opts }), sent: counter.sent };
  };
  const canRead = (sub: string, org: string): CheckRequest => ({
    subject: { type: 'user', sub },
    organization: org,
    target: { type: 'permission', audience: fx.audience, permission: 'read:reports' },
  });

  beforeAll(async () => {
    await ensureBuiltInRoles(db);
    const api = await db.api.create({ data: { identifier: `https://reports-${s}.example.test`, name: `Reports ${s}` } });
    const readReports = await db.permission.create({ data: { apiId: api.id, value: 'read:reports' } });
    const reader = await db.role.create({
      data: { key: `reports-reader-${s}`, name: `Reports reader ${s}`, permissions: { create: [{ permissionId: readReports.id }] } },
    });
    const portalRole = await db.role.create({ data: { key: `portal-user-${s}`, name: `Portal user ${s}` } });
    const portal = await db.application.create({
      data: { name: `Portal ${s}`, type: 'SPA', clientId: `portal-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: portalRole.id }] } },
    });
    const m2m = await db.application.create({ data: { name: `Worker ${s}`, type: 'M2M', clientId: `worker-${s}` } });
    const [orgA, orgB] = await Promise.all([createOrg(db), createOrg(db)]);
    const [alice, bob] = await Promise.all([createUser(db), createUser(db)]);
    await addMember(db, orgA.id, alice.id, 'EMPLOYEE');
    await addMember(db, orgA.id, bob.id, 'EMPLOYEE');
    await db.roleAssignment.createMany({
      data: [
        { roleId: reader.id, userId: alice.id, orgId: orgA.id },
        { roleId: portalRole.id, userId: alice.id, orgId: orgA.id },
        { roleId: reader.id, clientAppId: m2m.id, orgId: orgA.id },
      ],
    });
    Object.assign(fx, {
      audience: api.identifier,
      orgA: orgA.slug,
      orgB: orgB.slug,
      aliceSub: alice.sub,
      bobSub: bob.sub,
      m2m: m2m.clientId,
      portal: portal.clientId,
    });
    [checkKey, loginOnlyKey] = await Promise.all([insertKey(['check']), insertKey(['decisions:login'])]);

    server = createDecisionServer({ databaseUrl: process.env.DATABASE_URL! });
    url = await server.start(0);

    hanging = createHttpServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    hanging?.closeAllConnections();
    await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
    await server?.close();
  });

  it('allows and denies, with the reason and the roles', async () => {
    const { gatehouse } = client({ cacheTtlMs: 0 });
    const allowed = await gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    expect(allowed).toMatchObject({ allow: true, reason: { code: 'granted_by_role' } });
    expect(allowed.roles).toEqual(expect.arrayContaining(['org:employee', `reports-reader-${s}`]));
    expect(allowed.permissions).toContainEqual({ audience: fx.audience, value: 'read:reports' });

    const noRole = await gatehouse.check(canRead(fx.bobSub, fx.orgA));
    expect(noRole).toMatchObject({ allow: false, reason: { code: 'missing_permission' } });
    // In an org she does not belong to, her org A role counts for nothing.
    const otherOrg = await gatehouse.check(canRead(fx.aliceSub, fx.orgB));
    expect(otherOrg).toMatchObject({ allow: false, reason: { code: 'missing_permission' } });
    expect(otherOrg.roles).toEqual([]);
    const membership = await gatehouse.check({ subject: { type: 'user', sub: fx.aliceSub }, organization: fx.orgB });
    expect(membership).toMatchObject({ allow: false, reason: { code: 'not_a_member' } });

    const app = await gatehouse.check({ subject: { type: 'user', sub: fx.bobSub }, organization: fx.orgA, target: { type: 'application', clientId: fx.portal } });
    expect(app).toMatchObject({ allow: false, reason: { code: 'missing_role' } });
    const machine = await gatehouse.check({
      subject: { type: 'client', clientId: fx.m2m },
      organization: fx.orgA,
      target: { type: 'permission', audience: fx.audience, permission: 'read:reports' },
    });
    expect(machine.allow).toBe(true);
  });

  it('answers the same question from its cache, whatever the order of the properties', async () => {
    const { gatehouse, sent } = client();
    const first = await gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    const again = await gatehouse.check({
      target: { permission: 'read:reports', audience: fx.audience, type: 'permission' },
      organization: fx.orgA,
      subject: { sub: fx.aliceSub, type: 'user' },
    });
    expect(again).toEqual(first);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${url}/api/v1/check`);

    // Another question is another request; clearCache forgets.
    await gatehouse.check(canRead(fx.bobSub, fx.orgA));
    expect(sent).toHaveLength(2);
    gatehouse.clearCache();
    await gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    expect(sent).toHaveLength(3);
  });

  it('expires answers after the TTL, and cacheTtlMs 0 turns the cache off', async () => {
    const short = client({ cacheTtlMs: 150 });
    await short.gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    await short.gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    expect(short.sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 250));
    await short.gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    expect(short.sent).toHaveLength(2);

    const off = client({ cacheTtlMs: 0 });
    await off.gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    await off.gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    expect(off.sent).toHaveLength(2);
  });

  it('keeps at most maxCacheEntries, dropping the least recently used', async () => {
    const { gatehouse, sent } = client({ maxCacheEntries: 2 });
    const a = canRead(fx.aliceSub, fx.orgA);
    const b = canRead(fx.bobSub, fx.orgA);
    const c = canRead(fx.aliceSub, fx.orgB);
    await gatehouse.check(a);
    await gatehouse.check(b);
    await gatehouse.check(a); // hit: a is now the most recently used
    expect(sent).toHaveLength(2);
    await gatehouse.check(c); // full: b goes
    await gatehouse.check(a); // still cached
    expect(sent).toHaveLength(3);
    await gatehouse.check(b); // was dropped
    expect(sent).toHaveLength(4);
  });

  it('checks a batch in order, asks only for what it has not cached, and returns item errors', async () => {
    const { gatehouse, sent } = client();
    await gatehouse.check(canRead(fx.aliceSub, fx.orgA));
    const items: CheckRequest[] = [
      canRead(fx.bobSub, fx.orgA),
      canRead(fx.aliceSub, fx.orgA),
      { subject: { type: 'user', sub: `auth0|nobody-${s}` }, organization: fx.orgA },
      { subject: { type: 'client', clientId: fx.m2m }, organization: fx.orgA },
    ];
    const results = await gatehouse.checkBatch(items);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.url).toBe(`${url}/api/v1/check/batch`);
    // The cached item was not sent again.
    expect((sent[1]!.body as { items: unknown[] }).items).toHaveLength(3);

    expect(results).toHaveLength(4);
    const [bob, alice, nobody, machine] = results;
    expect(bob).toMatchObject({ allow: false, reason: { code: 'missing_permission' } });
    expect(alice).toMatchObject({ allow: true });
    expect(isCheckError(nobody!)).toBe(true);
    expect(nobody).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(machine).toMatchObject({ allow: true, reason: { code: 'member' } });

    // Answers from the batch are cached too; the item error is not.
    await gatehouse.check(canRead(fx.bobSub, fx.orgA));
    expect(sent).toHaveLength(2);
    await gatehouse.checkBatch([items[2]!]);
    expect(sent).toHaveLength(3);
  });

  it('sends more than 1,000 items in several calls', async () => {
    const { gatehouse, sent } = client({ cacheTtlMs: 0 });
    const items = Array.from({ length: 1001 }, (_, i) => (i % 2 === 0 ? canRead(fx.aliceSub, fx.orgA) : canRead(fx.bobSub, fx.orgA)));
    const results = await gatehouse.checkBatch(items);
    expect(sent.map((x) => (x.body as { items: unknown[] }).items.length)).toEqual([1000, 1]);
    expect(results).toHaveLength(1001);
    expect(results.map((r) => !isCheckError(r) && r.allow).slice(0, 4)).toEqual([true, false, true, false]);
    expect(results[1000]).toMatchObject({ allow: true });
  });

  it('throws typed errors, and never caches them', async () => {
    const wrong = client({ apiKey: generateApiKey().key });
    const unauthenticated = await gatehouseError(wrong.gatehouse.check(canRead(fx.aliceSub, fx.orgA)));
    expect(unauthenticated).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, retryable: false });
    await gatehouseError(wrong.gatehouse.check(canRead(fx.aliceSub, fx.orgA)));
    expect(wrong.sent).toHaveLength(2);

    const scope = client({ apiKey: loginOnlyKey });
    expect(await gatehouseError(scope.gatehouse.check(canRead(fx.aliceSub, fx.orgA)))).toMatchObject({ code: 'FORBIDDEN', status: 403 });

    const { gatehouse } = client();
    const unknown = await gatehouseError(gatehouse.check(canRead(`auth0|nobody-${s}`, fx.orgA)));
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const badInput = await gatehouseError(gatehouse.check({ subject: { type: 'user', sub: '' }, organization: fx.orgA }));
    expect(badInput).toMatchObject({ code: 'BAD_INPUT', status: 400 });

    const closed = client({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const unreachable = await gatehouseError(closed.gatehouse.check(canRead(fx.aliceSub, fx.orgA)));
    expect(unreachable).toMatchObject({ code: 'UNREACHABLE', status: null, retryable: true });

    const slow = client({ baseUrl: hangingUrl, timeoutMs: 200 });
    const started = performance.now();
    const timeout = await gatehouseError(slow.gatehouse.check(canRead(fx.aliceSub, fx.orgA)));
    expect(timeout).toMatchObject({ code: 'TIMEOUT', status: null, retryable: true });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(timeout).toBeInstanceOf(Error);
    expect(timeout.name).toBe('GatehouseError');
  });
  it('imports a file: dry run, run, wait, report pages; bad files and keys without the scope throw typed errors', async () => {
    const importKey = await insertKey(['import']);
    await server!.snapshot.refresh();
    const { gatehouse } = client({ apiKey: importKey });
    const people = [`n1-${s}@example.test`, `n2-${s}@example.test`, `n3-${s}@example.test`];
    const csv = `email,org,roles\n${people.map((e) => `${e},${fx.orgA},portal-user-${s}`).join('\n')}\n`;
    const planned = await gatehouse.importFile(csv, { name: 'people.csv' });
    expect(planned).toMatchObject({ status: 'PLANNED', fileName: 'people.csv', plan: { create: 3, roleGrants: 3 } });

    const queued = await gatehouse.importFile(new TextEncoder().encode(csv), { name: 'people.csv', run: true });
    expect(queued.status).toBe('QUEUED');
    // No worker in this test: the run is applied here, while the client waits.
    const waited = gatehouse.waitForImport(queued.id, { intervalMs: 50, timeoutMs: 30_000 });
    await runImport(db, queued.id, { batchSize: 2 });
    expect(await waited).toMatchObject({ status: 'SUCCEEDED', done: 3, applied: { newUsers: 3, roleGrants: 3 } });
    const first = await gatehouse.getImport(queued.id, { limit: 2 });
    expect(first.rows.map((r) => r.row)).toEqual([2, 3]);
    const second = await gatehouse.getImport(queued.id, { after: first.nextAfter!, limit: 2 });
    expect(second).toMatchObject({ rows: [{ row: 4, outcome: 'create', applied: true }], nextAfter: null });

    const bad = await gatehouseError(gatehouse.importFile('email,org\na@example.test,"x\n'));
    expect(bad).toMatchObject({ code: 'BAD_INPUT', status: 400 });
    expect(bad.message).toMatch(/^Row 2, column org: a quoted cell is not closed/);
    expect(await gatehouseError(client().gatehouse.importFile(csv))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});
