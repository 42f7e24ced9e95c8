import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/context';
import { db } from '@/lib/db';
import { createRule, deleteRule } from '@/lib/data/rules';
import { CreateRuleInput } from '@/lib/schemas/rules';
import { createUser, randomSuffix } from '@/prisma/factories';
import { createDecisionServer, type DecisionServer } from './server';
import { call, insertApiKey, seedWorld, type World } from '@/tests/decision-api-fixtures';

/**
 * The decision API through HTTP (the server's handler through light-my-request, and a real socket once): every
 * answer of the contract, from the in-memory snapshot, on data this file makes with random names.
 */

let server: DecisionServer;
let w: World;
let checkKey: string;
let loginKey: string;
let ccKey: string;

beforeAll(async () => {
  server = createDecisionServer({ databaseUrl: inject('databaseUrl') });
  await server.ready();
  w = await seedWorld();
  const keys = await Promise.all([insertApiKey(['check']), insertApiKey(['decisions:login']), insertApiKey(['decisions:client_credentials'])]);
  [checkKey, loginKey, ccKey] = [keys[0].key, keys[1].key, keys[2].key];
  // Whatever was committed before refresh() is obeyed when it resolves.
  await server.snapshot.refresh();
});

afterAll(async () => {
  await server?.close();
});

const check = (body: unknown, key = checkKey) => call(server, '/check', { key, body });
const user = (sub: string) => ({ type: 'user', sub });
const canRead = { type: 'permission', audience: '', permission: 'read:reports' };

describe('POST /check', () => {
  it('allows a member holding the mapped role, with the roles, the permissions and the reason', async () => {
    const app = await check({ subject: user(w.alice.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } });
    expect(app.status).toBe(200);
    expect(app.body).toEqual({
      allow: true,
      reason: { code: 'granted_by_role', message: `Allowed by the role ${w.portal.key}.`, via: [w.portal.key] },
      roles: ['org:employee', w.portal.key, w.reader.key].sort(),
      permissions: [{ audience: w.audience, value: 'read:reports' }],
    });

    const perm = await check({ subject: user(w.alice.sub), organization: w.orgA.slug, target: { ...canRead, audience: w.audience } });
    expect(perm.body).toMatchObject({ allow: true, reason: { code: 'granted_by_role', via: [w.reader.key] } });

    const member = await check({ subject: user(w.alice.sub), organization: w.orgA.slug });
    expect(member.body).toMatchObject({ allow: true, reason: { code: 'member' } });
    const open = await check({ subject: user(w.bob.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.openApp.clientId } });
    expect(open.body).toMatchObject({ allow: true, reason: { code: 'open_application' } });
  });

  it('denies with a 200 and the reason', async () => {
    const app = await check({ subject: user(w.bob.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } });
    expect(app.status).toBe(200);
    expect(app.body).toMatchObject({ allow: false, reason: { code: 'missing_role', missing: [w.portal.key] }, roles: ['org:employee'], permissions: [] });
    const perm = await check({ subject: user(w.bob.sub), organization: w.orgA.slug, target: { ...canRead, audience: w.audience } });
    expect(perm.body).toMatchObject({ allow: false, reason: { code: 'missing_permission' } });
  });

  it('denies a user or a client in another org', async () => {
    const carol = await check({ subject: user(w.carol.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.openApp.clientId } });
    expect(carol.body).toMatchObject({ allow: false, reason: { code: 'not_a_member' }, roles: [] });
    // Alice's roles in A count for nothing in B.
    const alice = await check({ subject: user(w.alice.sub), organization: w.orgB.slug, target: { ...canRead, audience: w.audience } });
    expect(alice.body).toMatchObject({ allow: false, reason: { code: 'missing_permission' }, roles: [], permissions: [] });
    const client = await check({ subject: { type: 'client', clientId: w.m2m.clientId }, organization: w.orgB.slug });
    expect(client.body).toMatchObject({ allow: false, reason: { code: 'not_a_member' } });
    const inA = await check({ subject: { type: 'client', clientId: w.m2m.clientId }, organization: w.orgA.slug, target: { ...canRead, audience: w.audience } });
    expect(inA.body).toMatchObject({ allow: true, roles: [w.reader.key] });
  });

  it('denies everything in a suspended org', async () => {
    const alice = await check({ subject: user(w.alice.sub), organization: w.orgS.slug, target: { type: 'application', clientId: w.openApp.clientId } });
    expect(alice.body).toMatchObject({ allow: false, reason: { code: 'org_suspended' } });
    const client = await check({ subject: { type: 'client', clientId: w.m2m.clientId }, organization: w.orgS.slug, target: { ...canRead, audience: w.audience } });
    expect(client.body).toMatchObject({ allow: false, reason: { code: 'org_suspended' }, roles: [] });
  });

  it('ignores an expired assignment', async () => {
    const late = await check({ subject: user(w.late.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } });
    expect(late.body).toMatchObject({ allow: false, reason: { code: 'missing_role' }, roles: ['org:employee'] });
  });

  it('denies a blocked user, who holds no roles', async () => {
    const blocked = await check({ subject: user(w.blocked.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ allow: false, reason: { code: 'user_blocked' }, roles: [], permissions: [] });
  });

  it('answers 404 for an unknown user, client, org or application', async () => {
    const cases = [
      [{ subject: user(`auth0|nobody-${w.s}`) }, 'No user has the sub'],
      [{ subject: { type: 'client', clientId: `ghost-${w.s}` } }, 'No M2M client has the client id'],
      // A web application is not an M2M client.
      [{ subject: { type: 'client', clientId: w.openApp.clientId } }, 'No M2M client has the client id'],
      [{ subject: user(w.alice.sub), organization: `ghost-${w.s}` }, 'No organization has the slug'],
      [{ subject: user(w.alice.sub), target: { type: 'application', clientId: `ghost-${w.s}` } }, 'No application has the client id'],
    ] as const;
    for (const [body, message] of cases) {
      const res = await check(body);
      expect(res.status, JSON.stringify(body)).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND' });
      expect(res.body.error!.message).toContain(message);
    }
  });

  it('filters the permissions by audience without changing allow', async () => {
    const other = await check({ subject: user(w.alice.sub), organization: w.orgA.slug, audience: `https://other-${w.s}.example.test` });
    expect(other.body).toMatchObject({ allow: true, reason: { code: 'member' }, permissions: [] });
    const mine = await check({ subject: user(w.alice.sub), organization: w.orgA.slug, audience: w.audience });
    expect(mine.body.permissions).toEqual([{ audience: w.audience, value: 'read:reports' }]);
  });
});

describe('POST /check/batch', () => {
  it('answers every item in order, with an error in place of an unknown subject', async () => {
    const portal = { type: 'application', clientId: w.portalApp.clientId };
    const res = await call(server, '/check/batch', {
      key: checkKey,
      body: {
        items: [
          { subject: user(w.alice.sub), organization: w.orgA.slug, target: portal },
          { subject: user(`auth0|nobody-${w.s}`), organization: w.orgA.slug },
          { subject: user(w.bob.sub), organization: w.orgA.slug, target: portal },
        ],
      },
    });
    expect(res.status).toBe(200);
    const results = res.body.results as Record<string, unknown>[];
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ allow: true });
    expect(results[1]).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(results[2]).toMatchObject({ allow: false, reason: { code: 'missing_role' } });
  });

  it('refuses more than 1,000 items with 413, and an empty batch with 400', async () => {
    const item = { subject: user(w.alice.sub) };
    const full = await call(server, '/check/batch', { key: checkKey, body: { items: Array.from({ length: 1000 }, () => item) } });
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(1000);
    const over = await call(server, '/check/batch', { key: checkKey, body: { items: Array.from({ length: 1001 }, () => item) } });
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const empty = await call(server, '/check/batch', { key: checkKey, body: { items: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await call(server, '/check/batch', {
      key: checkKey,
      body: { items: [{ subject: user('x'.repeat(200)) }], padding: 'x'.repeat(1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 1 MiB.' } });
  });
});

describe('POST /decisions/client-credentials', () => {
  const cc = (body: unknown, key = ccKey) => call(server, '/decisions/client-credentials', { key, body });

  it('allows an M2M client whose role grants a permission of the audience in that org, listing only that API', async () => {
    const res = await cc({ clientId: w.m2m.clientId, audience: w.audience, organization: w.orgA.slug });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      allow: true,
      reason: { code: 'granted_by_role', message: `any permission on ${w.audience} is granted by ${w.reader.key}.`, via: [w.reader.key] },
      roles: [w.reader.key],
      permissions: [{ audience: w.audience, value: 'read:reports' }],
    });
  });

  it('denies the client in another org, in a suspended org, and for another API', async () => {
    expect((await cc({ clientId: w.m2m.clientId, audience: w.audience, organization: w.orgB.slug })).body).toMatchObject({
      allow: false,
      reason: { code: 'missing_permission' },
      roles: [],
    });
    expect((await cc({ clientId: w.m2m.clientId, audience: w.audience, organization: w.orgS.slug })).body).toMatchObject({
      allow: false,
      reason: { code: 'org_suspended' },
    });
    expect((await cc({ clientId: w.m2m.clientId, audience: `https://other-${w.s}.example.test`, organization: w.orgA.slug })).body).toMatchObject({
      allow: false,
      permissions: [],
    });
  });

  it('answers 404 for an unknown client, a client that is not M2M, and an unknown org', async () => {
    expect((await cc({ clientId: `ghost-${w.s}`, audience: w.audience })).status).toBe(404);
    expect((await cc({ clientId: w.portalApp.clientId, audience: w.audience })).status).toBe(404);
    expect((await cc({ clientId: w.m2m.clientId, audience: w.audience, organization: `ghost-${w.s}` })).status).toBe(404);
  });
});

describe('POST /decisions/login', () => {
  const login = (body: unknown, key = loginKey) => call(server, '/decisions/login', { key, body });
  let operator: PlatformContext;
  const rules: string[] = [];

  beforeAll(async () => {
    const op = await createUser(db, { platformRole: 'OPERATOR' });
    operator = {
      user: { id: op.id, sub: op.sub, email: op.email, name: op.name, platformRole: 'OPERATOR', blocked: false },
      requestId: `req-${randomSuffix()}`,
      actor: { platformRole: 'OPERATOR' },
    };
  });
  afterAll(async () => {
    for (const ruleId of rules) await deleteRule(operator, { ruleId });
  });

  it('records the sign-in and answers with the active org’s roles, permissions and claims', async () => {
    const before = await db.user.findUniqueOrThrow({ where: { id: w.alice.id } });
    const res = await login({
      user: { sub: w.alice.sub, email: w.alice.email, email_verified: true, name: 'Alice', connection: 'corp-sso' },
      clientId: w.portalApp.clientId,
      organization: w.orgA.slug,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      allow: true,
      reason: { code: 'granted_by_role' },
      roles: ['org:employee', w.portal.key, w.reader.key].sort(),
      permissions: [{ audience: w.audience, value: 'read:reports' }],
      organization: { slug: w.orgA.slug, name: w.orgA.name, tier: 'EMPLOYEE' },
      claims: {
        'https://gatehouse.app/roles': ['org:employee', w.portal.key, w.reader.key].sort(),
        'https://gatehouse.app/permissions': ['read:reports'],
        'https://gatehouse.app/org': w.orgA.slug,
        // The suspended org S is left out.
        'https://gatehouse.app/orgs': [w.orgA.slug],
      },
    });
    const after = await db.user.findUniqueOrThrow({ where: { id: w.alice.id } });
    expect(after.loginCount).toBe(before.loginCount + 1);
    expect(after.name).toBe('Alice');
  });

  it('applies the default-role rules on the first sign-in, then decides with what they gave', async () => {
    const domain = `rule-${randomSuffix()}.test`;
    const rule = await createRule(
      operator,
      CreateRuleInput.parse({ name: `Portal for ${domain}`, emailDomain: domain, orgId: w.orgB.id, tier: 'EMPLOYEE', roles: [{ roleId: w.portal.id, global: false }] }),
    );
    rules.push(rule.id);
    const sub = `auth0|first-${randomSuffix()}`;
    const body = { user: { sub, email: `New.Person@${domain}`, email_verified: true }, clientId: w.portalApp.clientId, organization: w.orgB.slug };

    const first = await login(body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      allow: true,
      roles: ['org:employee', w.portal.key],
      organization: { slug: w.orgB.slug, tier: 'EMPLOYEE' },
      claims: { 'https://gatehouse.app/org': w.orgB.slug, 'https://gatehouse.app/orgs': [w.orgB.slug] },
    });
    const created = await db.user.findUniqueOrThrow({ where: { sub }, include: { memberships: true, assignments: true } });
    expect(created.email).toBe(`new.person@${domain}`);
    expect(created.memberships).toHaveLength(1);
    expect(created.assignments).toHaveLength(1);
    expect(await db.loginEvent.count({ where: { userId: created.id } })).toBe(1);

    // The second sign-in changes nothing but the counters, and /check knows the user within the second.
    await login(body);
    // Each login event says where the sign-in went: the org asked for and the application's client id.
    const events = await db.loginEvent.findMany({ where: { userId: created.id }, select: { orgId: true, clientId: true } });
    expect(events).toEqual([
      { orgId: w.orgB.id, clientId: w.portalApp.clientId },
      { orgId: w.orgB.id, clientId: w.portalApp.clientId },
    ]);
    const again = await db.user.findUniqueOrThrow({ where: { sub }, include: { memberships: true, assignments: true } });
    expect(again.loginCount).toBe(2);
    expect(again.memberships).toHaveLength(1);
    expect(again.assignments).toHaveLength(1);
    await server.snapshot.refresh();
    expect((await check({ subject: user(sub), organization: w.orgB.slug, target: { type: 'application', clientId: w.portalApp.clientId } })).body).toMatchObject({
      allow: true,
    });
  });

  it('denies a blocked user, a non-member of the org given, and a member without the application’s role', async () => {
    const blocked = await login({ user: { sub: w.blocked.sub, email: w.blocked.email }, clientId: w.openApp.clientId, organization: w.orgA.slug });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({
      allow: false,
      reason: { code: 'user_blocked' },
      roles: [],
      claims: { 'https://gatehouse.app/roles': [], 'https://gatehouse.app/org': null, 'https://gatehouse.app/orgs': [] },
    });
    const carol = await login({ user: { sub: w.carol.sub, email: w.carol.email }, clientId: w.openApp.clientId, organization: w.orgA.slug });
    expect(carol.body).toMatchObject({
      allow: false,
      reason: { code: 'not_a_member' },
      organization: { slug: w.orgA.slug, tier: null },
      claims: { 'https://gatehouse.app/org': null, 'https://gatehouse.app/orgs': [w.orgB.slug] },
    });
    const bob = await login({ user: { sub: w.bob.sub, email: w.bob.email }, clientId: w.portalApp.clientId, organization: w.orgA.slug });
    expect(bob.body).toMatchObject({ allow: false, reason: { code: 'missing_role' } });
  });

  it('answers 404 for an unknown application or org, without recording a sign-in', async () => {
    const sub = `auth0|never-${randomSuffix()}`;
    const app = await login({ user: { sub, email: `never-${w.s}@example.test` }, clientId: `ghost-${w.s}` });
    expect(app.status).toBe(404);
    expect(app.body.error).toEqual({ code: 'NOT_FOUND', message: `No application has the client id "ghost-${w.s}".` });
    const org = await login({ user: { sub, email: `never-${w.s}@example.test` }, clientId: w.openApp.clientId, organization: `ghost-${w.s}` });
    expect(org.body.error).toEqual({ code: 'NOT_FOUND', message: `No organization has the slug "ghost-${w.s}".` });
    expect(await db.user.findUnique({ where: { sub } })).toBeNull();
  });
});

describe('API keys', () => {
  const body = () => ({ subject: user(w.alice.sub), organization: w.orgA.slug });

  it('answers 401 without a key, with a malformed, unknown, wrong, revoked or expired key', async () => {
    const revoked = await insertApiKey(['check'], { revokedAt: new Date() });
    const expired = await insertApiKey(['check'], { expiresAt: new Date(Date.now() - 1000) });
    const valid = await insertApiKey(['check']);
    await server.snapshot.refresh();
    const wrongSecret = `gh_${valid.prefix}_${'A'.repeat(43)}`;
    const cases: [Record<string, string>, string][] = [
      [{}, 'Send a decision API key'],
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'Send a decision API key'],
      [{ authorization: 'Bearer not-a-key' }, 'This API key is not valid.'],
      [{ authorization: `Bearer gh_zzzzzzzz_${'A'.repeat(43)}` }, 'This API key is not valid.'],
      [{ authorization: `Bearer ${wrongSecret}` }, 'This API key is not valid.'],
      [{ authorization: `Bearer ${revoked.key}` }, 'This API key was revoked.'],
      [{ authorization: `Bearer ${expired.key}` }, 'This API key has expired.'],
    ];
    for (const [headers, message] of cases) {
      const res = await call(server, '/check', { body: body(), headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining(message) } });
    }
    // Auth comes before the body: a bad body without a key is still a 401.
    expect((await call(server, '/check', { rawBody: '{oops' })).status).toBe(401);
    expect((await call(server, '/check', { key: valid.key, body: body() })).status).toBe(200);
    expect((await call(server, '/check', { body: body(), headers: { authorization: `bearer   ${valid.key}` } })).status).toBe(200);
  });

  it('answers 403 when the key lacks the endpoint’s scope', async () => {
    for (const [path, key] of [
      ['/check', loginKey],
      ['/check/batch', ccKey],
      ['/decisions/login', checkKey],
      ['/decisions/client-credentials', loginKey],
    ] as const) {
      const res = await call(server, path, { key, body: {} });
      expect(res.status, path).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('records when each key was last used, in batches', async () => {
    const k = await insertApiKey(['check']);
    await server.snapshot.refresh();
    const before = Date.now();
    expect((await call(server, '/check', { key: k.key, body: body() })).status).toBe(200);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: k.id } })).lastUsedAt).toBeNull();
    await server.flushKeyUsage();
    const used = (await db.apiKey.findUniqueOrThrow({ where: { id: k.id } })).lastUsedAt;
    expect(used).not.toBeNull();
    expect(used!.getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  it('rate-limits per key with 429 and Retry-After, leaving other keys alone', async () => {
    const limited = createDecisionServer({ databaseUrl: inject('databaseUrl'), rateLimitPerSecond: 3, snapshot: { listen: false } });
    try {
      const [a, b] = await Promise.all([insertApiKey(['check']), insertApiKey(['check'])]);
      await limited.ready();
      const statuses: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 5; i++) {
        const res = await call(limited, '/check', { key: a.key, body: body() });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers['retry-after'];
          expect(res.body.error).toMatchObject({ code: 'RATE_LIMITED' });
        }
      }
      // Five requests well within a second; the window may roll over once, so at least one is refused.
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await call(limited, '/check', { key: b.key, body: body() })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('bad requests', () => {
  it('answers 400 BAD_INPUT for bad JSON, unknown fields, a wrong shape, a missing body and a non-JSON body', async () => {
    const cases: { rawBody?: string; body?: unknown; headers?: Record<string, string> }[] = [
      { rawBody: '{"subject": ' },
      { rawBody: '', headers: { 'content-type': 'application/json' } },
      { body: { subject: user(w.alice.sub), organisation: w.orgA.slug } },
      { body: { subject: { type: 'user', sub: w.alice.sub, admin: true } } },
      { body: { subject: { type: 'user' } } },
      { body: [] },
      {},
      { rawBody: 'subject=alice', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    ];
    for (const c of cases) {
      const res = await call(server, '/check', { key: checkKey, ...c });
      expect(res.status, JSON.stringify(c)).toBe(400);
      expect(res.body.error, JSON.stringify(c)).toMatchObject({ code: 'BAD_INPUT' });
    }
    const unknown = await check({ subject: user(w.alice.sub), organisation: w.orgA.slug });
    expect(unknown.body.error!.message).toContain('organisation');
    const json = await call(server, '/check', { key: checkKey, rawBody: '{"subject": ' });
    expect(json.body.error!.message).toBe('The body is not valid JSON.');
  });

  it('answers 404 for an unknown path, in the same error shape', async () => {
    const res = await call(server, '/decisions/logout', { key: loginKey, body: {} });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'There is no POST /api/v1/decisions/logout in the decision API.' } });
  });
});

describe('before it is ready and once it is closing', () => {
  it('answers 503 UNAVAILABLE with Retry-After and closes the connection', async () => {
    const { inject: lightInject } = await import('light-my-request');
    const fresh = createDecisionServer({ databaseUrl: inject('databaseUrl'), snapshot: { listen: false } });
    const ask = () => lightInject(fresh.handler, { method: 'GET', url: '/api/v1/health' });
    const starting = await ask();
    expect(starting.statusCode).toBe(503);
    expect(starting.headers['retry-after']).toBe('1');
    expect(starting.headers.connection).toBe('close');
    expect(JSON.parse(starting.body)).toEqual({ error: { code: 'UNAVAILABLE', message: 'The decision API is starting.' } });
    await fresh.ready();
    expect((await ask()).statusCode).toBe(200);
    await fresh.close();
    const closing = await ask();
    expect(closing.statusCode).toBe(503);
    expect(JSON.parse(closing.body).error.message).toBe('The decision API is shutting down.');
  });
});

describe('over a real socket', () => {
  it('serves health, the OpenAPI document and checks', async () => {
    const live = createDecisionServer({ databaseUrl: inject('databaseUrl'), snapshot: { listen: false } });
    try {
      const url = await live.start(0);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/api/v1/health`).then((r) => r.json());
      expect(health).toEqual({ status: 'ok', snapshotAgeMs: expect.any(Number) });
      const doc = await fetch(`${url}/api/v1/openapi.json`);
      expect(doc.headers.get('content-type')).toContain('application/json');
      expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
      const res = await fetch(`${url}/api/v1/check`, {
        method: 'POST',
        headers: { authorization: `Bearer ${checkKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: user(w.alice.sub), organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ allow: true, reason: { code: 'granted_by_role' } });
      const missing = await fetch(`${url}/api/v1/check`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(missing.status).toBe(401);
    } finally {
      await live.close();
    }
  });
});
