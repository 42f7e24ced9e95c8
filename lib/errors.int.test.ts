import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PlatformContext } from '@/lib/authz/types';
import { createApi } from '@/lib/data/catalog/apis';
import { createApplication } from '@/lib/data/catalog/applications';
import { createRole } from '@/lib/data/catalog/roles';
import { createOrg, updateOrgSettings } from '@/lib/data/orgs';
import { createApiKey } from '@/lib/data/api-keys';
import { createRule } from '@/lib/data/rules';
import { createDecisionServer, type DecisionServer } from '@/lib/decision-api/server';
import { db } from '@/lib/db';
import { asAppError, toPublicError } from '@/lib/errors';
import { identityFromClaims } from '@/lib/provisioning/identity';
import { recordSignIn } from '@/lib/provisioning/sign-in';
import { addMember, createOrg as makeOrg, createUser, randomSuffix } from '@/prisma/factories';
import { orgContext, userContext } from '@/tests/contexts';
import { call, insertApiKey } from '@/tests/decision-api-fixtures';

/**
 * A NUL in a name used to answer 500: the schemas let it through and PostgreSQL refuses the byte (SQLSTATE 22021).
 * The schemas refuse it now (lib/schemas/text.test.ts); here, the second line: a caller that skips the schema gets
 * BAD_INPUT from the database's refusal, never INTERNAL, and nothing is written. And the decision API's login answers
 * 400 for a NUL in the name or sub, and records no one.
 */

const NUL = 'a\u0000b';

async function operator(): Promise<PlatformContext> {
  const user = await createUser(db, { platformRole: 'OPERATOR' });
  const base = userContext(user);
  return { ...base, user: { ...base.user, platformRole: 'OPERATOR' }, actor: { platformRole: 'OPERATOR' } };
}

/** The public error a caller gets for a rejection (what actions, routes and the decision API answer with). */
async function publicCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return toPublicError(error).code;
  }
}

describe('a control character that reaches the database', () => {
  it('in an org name (create, rename): BAD_INPUT, nothing written', async () => {
    const owner = await createUser(db);
    const slug = `nul-${randomSuffix()}`;
    expect(await publicCode(createOrg(userContext(owner), { name: NUL, slug }))).toBe('BAD_INPUT');
    expect(await db.org.count({ where: { slug } })).toBe(0);
    expect(await db.membership.count({ where: { userId: owner.id } })).toBe(0);

    const org = await makeOrg(db);
    await addMember(db, org.id, owner.id, 'OWNER');
    const ctx = await orgContext(org, owner);
    expect(await publicCode(updateOrgSettings(ctx, { name: NUL, invitationTtlDays: 3 }))).toBe('BAD_INPUT');
    expect(await db.org.findUniqueOrThrow({ where: { id: org.id }, select: { name: true, invitationTtlDays: true } })).toEqual({
      name: org.name,
      invitationTtlDays: org.invitationTtlDays,
    });
    expect(await db.auditEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('in a role, API, application, rule or API key name: BAD_INPUT, nothing written', async () => {
    const ctx = await operator();
    const s = randomSuffix();
    const attempts: (() => Promise<unknown>)[] = [
      () => createRole(ctx, { key: `nul-${s}`, name: NUL, description: '' }),
      () => createApi(ctx, { name: NUL, identifier: `https://nul-${s}.example.test`, description: '' }),
      () => createApplication(ctx, { name: NUL, type: 'SPA', clientId: `nul-client-${s}`, accessPolicy: 'OPEN', description: '' }),
      () =>
        createRule(ctx, {
        name: NUL,
        enabled: true,
        connection: `nul-${s}`,
        emailDomain: null,
        requireVerifiedEmail: false,
        orgId: null,
        tier: null,
        roles: [],
        stop: false,
      }),
      () => createApiKey(ctx, { name: NUL, scopes: ['check'] }),
      // A description too (multi-line text): a NUL is refused there as well.
      () => createRole(ctx, { key: `nul-d-${s}`, name: 'Fine', description: `line one\n${NUL}` }),
    ];
    for (const attempt of attempts) expect(await publicCode(attempt())).toBe('BAD_INPUT');
    expect(await db.role.count({ where: { key: { in: [`nul-${s}`, `nul-d-${s}`] } } })).toBe(0);
    expect(await db.api.count({ where: { identifier: `https://nul-${s}.example.test` } })).toBe(0);
    expect(await db.application.count({ where: { clientId: `nul-client-${s}` } })).toBe(0);
    expect(await db.defaultRoleRule.count({ where: { connection: `nul-${s}` } })).toBe(0);
    expect(await db.auditEvent.count({ where: { actorId: ctx.user.id } })).toBe(0);
  });

  it("in a person's name at sign-in: the name is dropped from the claims, and the data layer alone answers BAD_INPUT", async () => {
    const sub = `auth0|nul-${randomSuffix()}`;
    const email = `nul-${randomSuffix()}@example.test`;
    expect(identityFromClaims({ sub, email, name: NUL }).name).toBeNull();
    const identity = { sub, email, emailVerified: true, name: NUL, connection: null };
    expect(await publicCode(recordSignIn(db, { requestId: 'nul' }, identity))).toBe('BAD_INPUT');
    expect(await db.user.count({ where: { sub } })).toBe(0);
  });
});

describe('asAppError on errors straight from pg', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool({ connectionString: inject('databaseUrl'), max: 1 });
  });
  afterAll(async () => {
    await pool.end();
  });

  const refusal = (sql: string, params: unknown[]) => pool.query(sql, params).then(() => null, (e: unknown) => e);

  it('maps the input refusals to BAD_INPUT', async () => {
    // A value too long for a varchar column (an explicit cast would truncate it silently instead).
    const client = await pool.connect();
    try {
      await client.query('CREATE TEMP TABLE short_text (v varchar(2))');
      const error = await client.query('INSERT INTO short_text (v) VALUES ($1)', ['abcd']).then(() => null, (e: unknown) => e);
      expect((error as { code?: string } | null)?.code).toBe('22001');
      expect(asAppError(error)?.code).toBe('BAD_INPUT');
    } finally {
      client.release(true);
    }
    const cases = [
      ['SELECT $1::text', ['a\u0000b'], '22021'],
      ['SELECT $1::uuid', ['not-a-uuid'], '22P02'],
    ] as const;
    for (const [sql, params, state] of cases) {
      const error = await refusal(sql, [...params]);
      expect((error as { code?: string } | null)?.code, sql).toBe(state);
      expect(asAppError(error)?.code, sql).toBe('BAD_INPUT');
    }
  });

  it('leaves a real failure alone (it is logged and answered INTERNAL)', async () => {
    const error = await refusal('SELECT * FROM no_such_table_here', []);
    expect((error as { code?: string }).code).toBe('42P01');
    expect(asAppError(error)).toBeNull();
    expect(toPublicError(error).code).toBe('INTERNAL');
  });
});

describe('the decision API login with a control character', () => {
  let server: DecisionServer;
  let key: string;
  beforeAll(async () => {
    server = createDecisionServer({ databaseUrl: inject('databaseUrl') });
    await server.ready();
    key = (await insertApiKey(['decisions:login'])).key;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 400 BAD_INPUT for a NUL in the name, the sub or the connection, and records no one', async () => {
    const s = randomSuffix();
    const app = await db.application.create({ data: { name: `Open ${s}`, type: 'SPA', clientId: `open-${s}`, accessPolicy: 'OPEN' } });
    await server.snapshot.refresh();
    const sub = `auth0|nul-${s}`;
    const user = { sub, email: `nul-${s}@example.test`, email_verified: true, connection: 'corp', name: 'Ada' };
    for (const bad of [{ name: NUL }, { sub: `auth0|${NUL}-${s}` }, { connection: NUL }]) {
      const res = await call(server, '/decisions/login', { key, body: { user: { ...user, ...bad }, clientId: app.clientId } });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error?.code).toBe('BAD_INPUT');
    }
    expect(await db.user.count({ where: { email: user.email } })).toBe(0);
    // The same login without the NUL goes through, so the 400s above were about the NUL.
    const ok = await call(server, '/decisions/login', { key, body: { user, clientId: app.clientId } });
    expect(ok.status).toBe(200);
    expect(await db.user.count({ where: { sub } })).toBe(1);
  });
});
