import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
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
      organization: { slug: w.orgA.slug, name: w.orgA.name },
    });
  });

  it('finds the org by its Auth0 organization id first, then by a name that is an unlinked org’s slug', async () => {
    const linkedId = `org_${randomSuffix(8)}`;
    await db.org.update({ where: { id: w.orgB.id }, data: { auth0OrgId: linkedId } });
    try {
      await server.snapshot.refresh();
      // A linked org matches by id, whatever the name; the m2m client holds nothing in B.
      const linked = await cc({ clientId: w.m2m.clientId, audience: w.audience, auth0OrganizationId: linkedId, organization: 'acme_eu' });
      expect(linked.body).toMatchObject({ allow: false, organization: { slug: w.orgB.slug } });
      // An unknown id with the name of unlinked org A: org A.
      const byName = await cc({ clientId: w.m2m.clientId, audience: w.audience, auth0OrganizationId: 'org_unknown1', organization: w.orgA.slug });
      expect(byName.body).toMatchObject({ allow: true, organization: { slug: w.orgA.slug } });
      // An unknown id with the name of org B, which is linked to another Auth0 organization: no match.
      const elsewhere = await cc({ clientId: w.m2m.clientId, audience: w.audience, auth0OrganizationId: 'org_unknown1', organization: w.orgB.slug });
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body.error!.message).toBe(
        `No organization is linked to the Auth0 organization "org_unknown1"; the organization with the slug "${w.orgB.slug}" is linked to another Auth0 organization.`,
      );
      // Without an id, a slug is a slug (backends and older Actions).
      expect((await cc({ clientId: w.m2m.clientId, audience: w.audience, organization: w.orgB.slug })).body).toMatchObject({ organization: { slug: w.orgB.slug } });
    } finally {
      await db.org.update({ where: { id: w.orgB.id }, data: { auth0OrgId: null } });
      await server.snapshot.refresh();
    }
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
      CreateRuleInput.parse({ name: `Portal for ${domain}`, enabled: true, emailDomain: domain, orgId: w.orgB.id, tier: 'EMPLOYEE', roles: [{ roleId: w.portal.id, global: false }] }),
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

  it('lists only the permissions of the audience asked for, in the answer and the claim', async () => {
    const body = { user: { sub: w.alice.sub, email: w.alice.email }, clientId: w.openApp.clientId, organization: w.orgA.slug };
    const mine = await login({ ...body, audience: w.audience });
    expect(mine.body).toMatchObject({ permissions: [{ audience: w.audience, value: 'read:reports' }], claims: { 'https://gatehouse.app/permissions': ['read:reports'] } });
    const other = await login({ ...body, audience: `https://other-${w.s}.example.test` });
    expect(other.body).toMatchObject({ allow: true, permissions: [], claims: { 'https://gatehouse.app/permissions': [] } });
  });

  it('records a refresh as a refresh: decided, but no sign-in counted', async () => {
    const body = { user: { sub: w.bob.sub, email: w.bob.email }, clientId: w.openApp.clientId, organization: w.orgA.slug, kind: 'refresh' };
    const before = await db.user.findUniqueOrThrow({ where: { id: w.bob.id } });
    const res = await login(body);
    expect(res.body).toMatchObject({ allow: true, reason: { code: 'open_application' } });
    const after = await db.user.findUniqueOrThrow({ where: { id: w.bob.id } });
    expect([after.loginCount, after.lastLoginAt]).toEqual([before.loginCount, before.lastLoginAt]);
    const last = await db.loginEvent.findFirstOrThrow({ where: { userId: w.bob.id }, orderBy: { id: 'desc' } });
    expect(last).toMatchObject({ kind: 'REFRESH', orgId: w.orgA.id, clientId: w.openApp.clientId });
    // The blocked user is denied on refresh too.
    const blocked = await login({ ...body, user: { sub: w.blocked.sub, email: w.blocked.email } });
    expect(blocked.body).toMatchObject({ allow: false, reason: { code: 'user_blocked' } });
  });

  it('lets an unknown application through without claims only where the deployment allows it', async () => {
    const allowing = createDecisionServer({ databaseUrl: inject('databaseUrl'), unknownApplications: 'allow', snapshot: { listen: false } });
    try {
      const body = { user: { sub: w.alice.sub, email: w.alice.email }, clientId: `unregistered-${w.s}`, organization: `ghost-${w.s}` };
      const res = await call(allowing, '/decisions/login', { key: loginKey, body });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        allow: true,
        reason: {
          code: 'unknown_application_allowed',
          message: `No application has the client id "unregistered-${w.s}"; this deployment lets sign-ins to applications Gatehouse does not know through, without Gatehouse claims.`,
        },
        roles: [],
        permissions: [],
        organization: null,
        claims: {},
      });
      // The sign-in is recorded, with the client id it named.
      const last = await db.loginEvent.findFirstOrThrow({ where: { userId: w.alice.id }, orderBy: { id: 'desc' } });
      expect(last).toMatchObject({ kind: 'SIGN_IN', clientId: `unregistered-${w.s}`, orgId: null });
      expect((await login(body)).status).toBe(404);
    } finally {
      await allowing.close();
    }
  });

  it('accepts international addresses (RFC 5321 / RFC 6531) and names the refused fields of a bad one', async () => {
    // https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2 and https://www.rfc-editor.org/rfc/rfc6531#section-3.3
    for (const email of [`o!reilly-${w.s}@example.com`, `josé-${w.s}@example.com`, `user-${w.s}@bücher.example`]) {
      const res = await login({ user: { sub: `auth0|intl-${randomSuffix()}`, email }, clientId: w.openApp.clientId });
      expect(res.status, email).toBe(200);
    }
    const bad = await login({ user: { sub: `auth0|bad-${randomSuffix()}`, email: 'two@at@example.com', admin: true }, clientId: w.openApp.clientId });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_INPUT', fields: ['user.email', 'user.admin'] });
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

  it('answers 405 with Allow for a method a path does not have (RFC 9110 §15.5.6), before looking at the key', async () => {
    const cases = [
      ['GET', '/check', 'POST'],
      ['DELETE', '/check/batch', 'POST'],
      ['PUT', '/decisions/login', 'POST'],
      ['GET', '/decisions/client-credentials', 'POST'],
      ['POST', '/health', 'GET, HEAD'],
      ['DELETE', '/openapi.json', 'GET, HEAD'],
    ] as const;
    for (const [method, path, allow] of cases) {
      const res = await call(server, path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow, `${method} ${path}`).toBe(allow);
      expect(res.body).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: `/api/v1${path} answers ${allow}, not ${method}.` } });
    }
    const head = await call(server, '/health', { method: 'HEAD' });
    expect(head.status).toBe(200);
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
      expect(await fetch(`${url}/api/v1/health/live`).then((r) => r.json())).toEqual({ status: 'ok', snapshotAgeMs: expect.any(Number) });
      const ready = await fetch(`${url}/api/v1/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', snapshotAgeMs: expect.any(Number), maxSnapshotAgeMs: 300_000 });
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
