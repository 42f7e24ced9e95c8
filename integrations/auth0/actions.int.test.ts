import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { generateApiKey, type ApiKeyScope } from '@/lib/access/api-keys';
import { db } from '@/lib/db';
import { createDecisionServer, type DecisionServer } from '@/lib/decision-api/server';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';

/**
 * The Auth0 Actions, run as Auth0 runs them: the files are required as they are pasted into the dashboard and called
 * with the `event` and `api` objects Auth0 documents, against a live decision server on the integration database.
 * Every name here is random, so this runs in parallel with the other suites.
 */

type Secrets = Record<string, string | undefined>;

const require = createRequire(import.meta.url);
const { onExecutePostLogin } = require('./post-login.js') as {
  onExecutePostLogin: (event: unknown, api: unknown) => Promise<void>;
};
const { onExecuteCredentialsExchange } = require('./credentials-exchange.js') as {
  onExecuteCredentialsExchange: (event: unknown, api: unknown) => Promise<void>;
};

const NS = 'https://gatehouse.app/';

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function insertKey(scopes: ApiKeyScope[]): Promise<string> {
  const { key, prefix, secretHash } = generateApiKey();
  await db.apiKey.create({ data: { name: `actions test ${randomSuffix()}`, prefix, secretHash, scopes } });
  return key;
}

/** The post-login `api` object, recording what the Action asked for. */
function postLoginApi() {
  const seen = { denied: [] as string[], idToken: {} as Record<string, unknown>, accessToken: {} as Record<string, unknown> };
  const api = {
    access: {
      deny: (reason: string) => {
        seen.denied.push(reason);
        return api;
      },
    },
    idToken: {
      setCustomClaim: (name: string, value: unknown) => {
        seen.idToken[name] = value;
        return api;
      },
    },
    accessToken: {
      setCustomClaim: (name: string, value: unknown) => {
        seen.accessToken[name] = value;
        return api;
      },
    },
  };
  return { api, seen };
}

/** The credentials-exchange `api` object, recording what the Action asked for. */
function credentialsApi() {
  const seen = { denied: [] as { code: string; reason: string }[], accessToken: {} as Record<string, unknown> };
  const api = {
    access: {
      deny: (code: string, reason: string) => {
        seen.denied.push({ code, reason });
        return api;
      },
    },
    accessToken: {
      setCustomClaim: (name: string, value: unknown) => {
        seen.accessToken[name] = value;
        return api;
      },
    },
  };
  return { api, seen };
}

/** A post-login event as Auth0 documents it (only the parts a real login always has, plus the org when given). */
function loginEvent(opts: {
  user: { sub: string; email: string; name: string | null };
  clientId: string;
  org?: { id: string; slug: string; name: string };
  connection?: string;
  secrets: Secrets;
}) {
  return {
    user: {
      user_id: opts.user.sub,
      email: opts.user.email,
      email_verified: true,
      name: opts.user.name ?? undefined,
      app_metadata: {},
      user_metadata: {},
      identities: [],
    },
    connection: { id: 'con_test', name: opts.connection ?? 'Username-Password-Authentication', strategy: 'auth0' },
    client: { client_id: opts.clientId, name: 'Test application', metadata: {} },
    organization: opts.org ? { id: `org_${opts.org.id.slice(0, 8)}`, name: opts.org.slug, display_name: opts.org.name, metadata: {} } : undefined,
    transaction: { protocol: 'oidc-basic-profile' },
    request: { ip: '127.0.0.1', method: 'GET', hostname: 'tenant.example.auth0.com' },
    secrets: opts.secrets,
  };
}

/** A credentials-exchange event as Auth0 documents it. */
function exchangeEvent(opts: { clientId: string; audience: string; org?: { slug: string; name: string }; secrets: Secrets }) {
  return {
    client: { client_id: opts.clientId, name: 'Test M2M client', metadata: {} },
    resource_server: { identifier: opts.audience },
    organization: opts.org ? { id: 'org_test', name: opts.org.slug, display_name: opts.org.name, metadata: {} } : undefined,
    transaction: { requested_scopes: [] },
    request: { ip: '127.0.0.1', method: 'POST', hostname: 'tenant.example.auth0.com', body: {} },
    accessToken: { customClaims: {}, scope: [] },
    secrets: opts.secrets,
  };
}

describe('Auth0 Actions against a live decision server', () => {
  const s = randomSuffix();
  let server: DecisionServer | undefined;
  let url: string;
  let loginKey: string;
  let m2mKey: string;
  let checkOnlyKey: string;
  /** An HTTP server that accepts requests and never answers. */
  let hanging: Server;
  let hangingUrl: string;

  const fx = {} as {
    audience: string;
    otherAudience: string;
    orgA: { id: string; slug: string; name: string };
    orgB: { id: string; slug: string; name: string };
    reports: { key: string };
    portal: { key: string };
    openApp: string;
    restrictedApp: string;
    m2m: string;
    alice: { id: string; sub: string; email: string; name: string | null };
    bob: { id: string; sub: string; email: string; name: string | null };
    blocked: { id: string; sub: string; email: string; name: string | null };
  };

  // The Actions log what went wrong (Auth0 shows it in the Action's logs); kept quiet here, and read by some tests.
  let consoleError: MockInstance<typeof console.error>;
  let consoleWarn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    return () => {
      consoleError.mockRestore();
      consoleWarn.mockRestore();
    };
  });

  const secrets = (extra: Secrets = {}): Secrets => ({ GATEHOUSE_URL: url, GATEHOUSE_API_KEY: loginKey, ...extra });
  const m2mSecrets = (extra: Secrets = {}): Secrets => ({ GATEHOUSE_URL: url, GATEHOUSE_API_KEY: m2mKey, ...extra });

  beforeAll(async () => {
    await ensureBuiltInRoles(db);
    const api = await db.api.create({ data: { identifier: `https://reports-${s}.example.test`, name: `Reports ${s}` } });
    const other = await db.api.create({ data: { identifier: `https://billing-${s}.example.test`, name: `Billing ${s}` } });
    const readReports = await db.permission.create({ data: { apiId: api.id, value: 'read:reports' } });
    await db.permission.create({ data: { apiId: other.id, value: 'read:invoices' } });
    const reports = await db.role.create({
      data: { key: `reports-reader-${s}`, name: `Reports reader ${s}`, permissions: { create: [{ permissionId: readReports.id }] } },
    });
    const portal = await db.role.create({ data: { key: `portal-user-${s}`, name: `Portal user ${s}` } });
    const openApp = await db.application.create({ data: { name: `Open ${s}`, type: 'SPA', clientId: `open-${s}`, accessPolicy: 'OPEN' } });
    const restricted = await db.application.create({
      data: { name: `Portal ${s}`, type: 'REGULAR_WEB', clientId: `portal-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: portal.id }] } },
    });
    const m2m = await db.application.create({ data: { name: `Worker ${s}`, type: 'M2M', clientId: `worker-${s}` } });

    const [orgA, orgB] = await Promise.all([createOrg(db), createOrg(db)]);
    const [alice, bob, blocked] = await Promise.all([createUser(db), createUser(db), createUser(db, { blocked: true })]);
    // Alice: employee of A with the portal role there; admin of B with the reports role there only.
    await addMember(db, orgA.id, alice.id, 'EMPLOYEE');
    await addMember(db, orgB.id, alice.id, 'ADMIN');
    await addMember(db, orgA.id, bob.id, 'EMPLOYEE');
    await addMember(db, orgA.id, blocked.id, 'EMPLOYEE');
    await db.roleAssignment.createMany({
      data: [
        { roleId: portal.id, userId: alice.id, orgId: orgA.id },
        { roleId: reports.id, userId: alice.id, orgId: orgB.id },
        // The M2M client may read reports in org A only.
        { roleId: reports.id, clientAppId: m2m.id, orgId: orgA.id },
      ],
    });

    Object.assign(fx, {
      audience: api.identifier,
      otherAudience: other.identifier,
      orgA,
      orgB,
      reports,
      portal,
      openApp: openApp.clientId,
      restrictedApp: restricted.clientId,
      m2m: m2m.clientId,
      alice,
      bob,
      blocked,
    });

    [loginKey, m2mKey, checkOnlyKey] = await Promise.all([
      insertKey(['decisions:login']),
      insertKey(['decisions:client_credentials']),
      insertKey(['check']),
    ]);

    server = createDecisionServer({ databaseUrl: process.env.DATABASE_URL! });
    url = await server.start(0);

    hanging = createHttpServer(() => {
      // Never answers: the Action's own 2 s timeout must end the call.
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    hanging?.closeAllConnections();
    await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
    await server?.close();
  });

  describe('post-login', () => {
    it('an allowed login gets the claims of the active org only, on both tokens', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets() }), api);
      expect(seen.denied).toEqual([]);
      const roles = seen.idToken[`${NS}roles`] as string[];
      expect(roles).toEqual(expect.arrayContaining(['org:employee', fx.portal.key]));
      // Org B's tier and role are not in a token for org A.
      expect(roles).not.toContain('org:admin');
      expect(roles).not.toContain(fx.reports.key);
      expect(seen.idToken[`${NS}permissions`]).not.toContain('read:reports');
      expect(seen.idToken[`${NS}org`]).toBe(fx.orgA.slug);
      expect(seen.idToken[`${NS}orgs`]).toEqual(expect.arrayContaining([fx.orgA.slug, fx.orgB.slug]));
      expect(seen.idToken[`${NS}connection`]).toBe('Username-Password-Authentication');
      expect(seen.accessToken).toEqual(seen.idToken);
    });

    it('in the other org the same user gets that org’s roles and permissions', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(
        loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, connection: 'corp-sso', secrets: secrets() }),
        api,
      );
      expect(seen.denied).toEqual([]);
      const roles = seen.accessToken[`${NS}roles`] as string[];
      expect(roles).toEqual(expect.arrayContaining(['org:admin', fx.reports.key]));
      expect(roles).not.toContain(fx.portal.key);
      expect(JSON.stringify(seen.accessToken[`${NS}permissions`])).toContain('read:reports');
      expect(seen.accessToken[`${NS}org`]).toBe(fx.orgB.slug);
      expect(seen.accessToken[`${NS}connection`]).toBe('corp-sso');
    });

    it('an ANY_ROLE application denies a member without its role, with Gatehouse’s reason', async () => {
      const body = { user: { sub: fx.bob.sub, email: fx.bob.email }, clientId: fx.restrictedApp, organization: fx.orgA.slug };
      const direct = await fetch(`${url}/api/v1/decisions/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${loginKey}` },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ allow: boolean; reason: { code: string; message: string } }>);
      expect(direct.allow).toBe(false);

      const { api, seen } = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.bob, clientId: fx.restrictedApp, org: fx.orgA, secrets: secrets() }), api);
      expect(seen.denied).toEqual([direct.reason.message]);
      expect(direct.reason.message).toContain(fx.portal.key);
      expect(seen.idToken).toEqual({});
      expect(seen.accessToken).toEqual({});

      // Alice holds the role in org A, so the same application lets her in.
      const alice = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.restrictedApp, org: fx.orgA, secrets: secrets() }), alice.api);
      expect(alice.seen.denied).toEqual([]);
      expect(alice.seen.idToken[`${NS}roles`]).toContain(fx.portal.key);
    });

    it('an application or org Gatehouse does not know denies with Gatehouse’s message', async () => {
      const unknownApp = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: `unknown-${s}`, org: fx.orgA, secrets: secrets() }), unknownApp.api);
      expect(unknownApp.seen.denied).toEqual([`No application has the client id "unknown-${s}".`]);

      const unknownOrg = postLoginApi();
      const ghost = { id: '00000000-0000-0000-0000-000000000000', slug: `ghost-${s}`, name: 'Ghost' };
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: ghost, secrets: secrets() }), unknownOrg.api);
      expect(unknownOrg.seen.denied).toEqual([`No organization has the slug "ghost-${s}".`]);
      expect(unknownOrg.seen.idToken).toEqual({});
    });

    it('an account without an email address is denied before asking Gatehouse', async () => {
      const { api, seen } = postLoginApi();
      const event = loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets() });
      await onExecutePostLogin({ ...event, user: { ...event.user, email: undefined } }, api);
      expect(seen.denied).toHaveLength(1);
      expect(seen.denied[0]).toMatch(/no email address/);
    });

    it('a blocked user is denied', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.blocked, clientId: fx.openApp, org: fx.orgA, secrets: secrets() }), api);
      expect(seen.denied).toHaveLength(1);
      expect(seen.denied[0]).toMatch(/blocked/i);
      expect(seen.idToken).toEqual({});
    });

    it('fails closed, within 3 s, when Gatehouse is unreachable', async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const { api, seen } = postLoginApi();
      const started = performance.now();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_URL: closed }) }), api);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(seen.denied).toEqual(['Access could not be checked because Gatehouse is unavailable. Try again in a moment.']);
      expect(seen.idToken).toEqual({});
      // The details are for the Action's logs, not for the person signing in.
      expect(String(consoleError.mock.calls[0]?.[0])).toContain(`Gatehouse is unreachable at ${closed}`);
    });

    it('fails closed after its 2 s timeout when Gatehouse does not answer', async () => {
      const { api, seen } = postLoginApi();
      const started = performance.now();
      await onExecutePostLogin(
        loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_URL: hangingUrl }) }),
        api,
      );
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(3000);
      expect(seen.denied).toEqual(['Access could not be checked because Gatehouse is unavailable. Try again in a moment.']);
    });

    it('lets the login through without claims when Gatehouse is unreachable and GATEHOUSE_FAIL_OPEN=true', async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(
        loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_URL: closed, GATEHOUSE_FAIL_OPEN: 'true' }) }),
        api,
      );
      expect(seen.denied).toEqual([]);
      expect(seen.idToken).toEqual({});
      expect(seen.accessToken).toEqual({});
      expect(String(consoleWarn.mock.calls[0]?.[0])).toContain('GATEHOUSE_FAIL_OPEN=true');
    });

    it('a wrong API key denies, also with GATEHOUSE_FAIL_OPEN=true', async () => {
      const wrong = generateApiKey().key;
      for (const extra of [{}, { GATEHOUSE_FAIL_OPEN: 'true' }]) {
        const { api, seen } = postLoginApi();
        await onExecutePostLogin(
          loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_API_KEY: wrong, ...extra }) }),
          api,
        );
        expect(seen.denied).toEqual([
          'Access could not be checked because Gatehouse refused this sign-in check. An administrator must fix the Gatehouse Action settings.',
        ]);
        expect(seen.idToken).toEqual({});
      }
      expect(String(consoleError.mock.calls[0]?.[0])).toContain('HTTP 401 (UNAUTHENTICATED)');
    });

    it('a key without the decisions:login scope denies', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(
        loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_API_KEY: checkOnlyKey }) }),
        api,
      );
      expect(seen.denied).toHaveLength(1);
      expect(seen.denied[0]).toMatch(/refused/);
    });

    it('missing secrets deny', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, secrets: { GATEHOUSE_FAIL_OPEN: 'true' } }), api);
      expect(seen.denied).toHaveLength(1);
    });
  });

  describe('credentials exchange', () => {
    it('allows a client whose role grants a permission of that API in the org, with claims', async () => {
      const { api, seen } = credentialsApi();
      await onExecuteCredentialsExchange(exchangeEvent({ clientId: fx.m2m, audience: fx.audience, org: fx.orgA, secrets: m2mSecrets() }), api);
      expect(seen.denied).toEqual([]);
      expect(seen.accessToken).toEqual({
        [`${NS}roles`]: [fx.reports.key],
        [`${NS}permissions`]: ['read:reports'],
        [`${NS}org`]: fx.orgA.slug,
      });
    });

    it('denies with invalid_request in another org, for another API, and without an org', async () => {
      const cases = [
        exchangeEvent({ clientId: fx.m2m, audience: fx.audience, org: fx.orgB, secrets: m2mSecrets() }),
        exchangeEvent({ clientId: fx.m2m, audience: fx.otherAudience, org: fx.orgA, secrets: m2mSecrets() }),
        exchangeEvent({ clientId: fx.m2m, audience: fx.audience, secrets: m2mSecrets() }),
      ];
      for (const event of cases) {
        const { api, seen } = credentialsApi();
        await onExecuteCredentialsExchange(event, api);
        expect(seen.denied).toHaveLength(1);
        expect(seen.denied[0]!.code).toBe('invalid_request');
        expect(seen.denied[0]!.reason.length).toBeGreaterThan(0);
        expect(seen.accessToken).toEqual({});
      }
    });

    it('fails closed with server_error when Gatehouse is unreachable, and issues the token with GATEHOUSE_FAIL_OPEN=true', async () => {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const closedEvent = (extra: Secrets) =>
        exchangeEvent({ clientId: fx.m2m, audience: fx.audience, org: fx.orgA, secrets: m2mSecrets({ GATEHOUSE_URL: closed, ...extra }) });

      const denied = credentialsApi();
      const started = performance.now();
      await onExecuteCredentialsExchange(closedEvent({}), denied.api);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(denied.seen.denied).toEqual([
        { code: 'server_error', reason: 'Access could not be checked because Gatehouse is unavailable. Try again in a moment.' },
      ]);

      const open = credentialsApi();
      await onExecuteCredentialsExchange(closedEvent({ GATEHOUSE_FAIL_OPEN: 'true' }), open.api);
      expect(open.seen.denied).toEqual([]);
      expect(open.seen.accessToken).toEqual({});
    });

    it('a wrong API key, or the login key, denies with server_error', async () => {
      for (const key of [generateApiKey().key, loginKey]) {
        const { api, seen } = credentialsApi();
        await onExecuteCredentialsExchange(
          exchangeEvent({ clientId: fx.m2m, audience: fx.audience, org: fx.orgA, secrets: m2mSecrets({ GATEHOUSE_API_KEY: key, GATEHOUSE_FAIL_OPEN: 'true' }) }),
          api,
        );
        expect(seen.denied).toHaveLength(1);
        expect(seen.denied[0]!.code).toBe('server_error');
        expect(seen.accessToken).toEqual({});
      }
    });
  });
});
