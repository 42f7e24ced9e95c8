import { generateApiKey } from '@/lib/access/api-keys';
import { type ApiKeyScope } from '@/lib/access/api-key-scopes';
import { db } from '@/lib/db';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';
import { inject } from 'vitest';
import { createDecisionServer, type DecisionServer } from '@/lib/decision-api/server';

/**
 * Shared by the decision API's integration tests: API keys inserted directly (the console screens make them in real
 * life), an HTTP helper over `server.inject`, and a small world with random names so the files run in parallel on the
 * shared integration database.
 */

export async function insertApiKey(
  scopes: readonly ApiKeyScope[],
  opts: { expiresAt?: Date | null; revokedAt?: Date | null } = {},
): Promise<{ id: string; key: string; prefix: string }> {
  const { key, prefix, secretHash } = generateApiKey();
  const row = await db.apiKey.create({
    data: { name: `decision API test ${randomSuffix()}`, prefix, secretHash, scopes: [...scopes], expiresAt: opts.expiresAt ?? null, revokedAt: opts.revokedAt ?? null },
  });
  return { id: row.id, key, prefix };
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Record<string, string | string[] | number | undefined>;
}

/** One request through the server's own handler (real routing, key checks, body parsing and answers; no socket). */
export async function call(
  server: DecisionServer,
  path: string,
  opts: { key?: string; body?: unknown; rawBody?: string; method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD'; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers };
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await server.inject({ method: opts.method ?? 'POST', url: `/api/v1${path}`, headers, ...(payload !== undefined ? { payload } : {}) });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Answer['body']) : {}, headers: res.headers };
}

/**
 * Two APIs' worth of catalog and three orgs:
 * - `reader` grants read:reports on `audience`; `portal` is mapped to the ANY_ROLE application `portalApp`;
 *   `openApp` is OPEN; `m2m` is an M2M client.
 * - alice: employee of A with reader and portal there; member of the suspended org S too.
 * - bob: employee of A without roles. carol: employee of B only. blocked: employee of A, blocked.
 * - late: employee of A whose portal role in A expired yesterday.
 * - m2m: reader in A and in S.
 */
export async function seedWorld() {
  await ensureBuiltInRoles(db);
  const s = randomSuffix();
  const audience = `https://reports-${s}.example.test`;
  const api = await db.api.create({
    data: { identifier: audience, name: `Reports ${s}`, permissions: { create: [{ value: 'read:reports' }, { value: 'write:reports' }] } },
    include: { permissions: true },
  });
  const read = api.permissions.find((p) => p.value === 'read:reports')!;
  const reader = await db.role.create({ data: { key: `reader-${s}`, name: `Reader ${s}`, permissions: { create: [{ permissionId: read.id }] } } });
  const portal = await db.role.create({ data: { key: `portal-${s}`, name: `Portal ${s}` } });
  const openApp = await db.application.create({ data: { name: `Open ${s}`, type: 'SPA', clientId: `open-${s}`, accessPolicy: 'OPEN' } });
  const portalApp = await db.application.create({
    data: { name: `Portal ${s}`, type: 'REGULAR_WEB', clientId: `portal-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: portal.id }] } },
  });
  const m2m = await db.application.create({ data: { name: `Worker ${s}`, type: 'M2M', clientId: `worker-${s}` } });

  const [orgA, orgB, orgS] = await Promise.all([createOrg(db), createOrg(db), createOrg(db, { suspended: true })]);
  const [alice, bob, carol, blocked, late] = await Promise.all([
    createUser(db),
    createUser(db),
    createUser(db),
    createUser(db, { blocked: true }),
    createUser(db),
  ]);
  await Promise.all([
    addMember(db, orgA.id, alice.id, 'EMPLOYEE'),
    addMember(db, orgS.id, alice.id, 'ADMIN'),
    addMember(db, orgA.id, bob.id, 'EMPLOYEE'),
    addMember(db, orgB.id, carol.id, 'EMPLOYEE'),
    addMember(db, orgA.id, blocked.id, 'EMPLOYEE'),
    addMember(db, orgA.id, late.id, 'EMPLOYEE'),
  ]);
  const yesterday = new Date(Date.now() - 86_400_000);
  await db.roleAssignment.createMany({
    data: [
      { roleId: reader.id, userId: alice.id, orgId: orgA.id },
      { roleId: portal.id, userId: alice.id, orgId: orgA.id },
      { roleId: portal.id, userId: blocked.id, orgId: orgA.id },
      { roleId: portal.id, userId: late.id, orgId: orgA.id, expiresAt: yesterday },
      { roleId: reader.id, clientAppId: m2m.id, orgId: orgA.id },
      { roleId: reader.id, clientAppId: m2m.id, orgId: orgS.id },
    ],
  });
  return { s, audience, reader, portal, openApp, portalApp, m2m, orgA, orgB, orgS, alice, bob, carol, blocked, late };
}
export type World = Awaited<ReturnType<typeof seedWorld>>;

/**
 * For the property tests that compare /check with an in-memory answer (check.property, matrix-agreement): the
 * built-in tier roles, a decision server on the integration database that does not listen for changes (each
 * property run writes its own world, then asks), and a key with `scopes`. Close the server in afterAll.
 */
export async function startPropertyServer(scopes: readonly ApiKeyScope[]) {
  await ensureBuiltInRoles(db);
  const tierRoles = await db.role.findMany({ where: { tier: { not: null } }, orderBy: { key: 'asc' } });
  const server = createDecisionServer({ databaseUrl: inject('databaseUrl'), snapshot: { listen: false } });
  await server.ready();
  const { key } = await insertApiKey(scopes);
  return { server, key, tierRoles };
}
