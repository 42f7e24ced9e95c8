import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { generateApiKey } from '@/lib/access/api-keys';
import { type ApiKeyScope } from '@/lib/access/api-key-scopes';
import { db } from '@/lib/db';
import { createDecisionServer, type DecisionServer } from '@/lib/decision-api/server';
import { addMember, createOrg, createUser, ensureBuiltInRoles, randomSuffix } from '@/prisma/factories';

/**
 * The Auth0 Actions, run as Auth0 runs them: the files are required as they are pasted into the dashboard and called
 * with the `event` and `api` objects Auth0 documents, against a live decision server on the integration database.
 * Every name here is random, so this runs in parallel with the other suites.
 *
 * The objects follow Auth0's reference:
 * - post-login event: https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object
 *   (`event.organization` { id, name, display_name, metadata } is optional; `event.resource_server.identifier` is the
 *   API the access token is requested for, optional; `event.transaction.protocol` is e.g. `oidc-basic-profile`, and
 *   `oauth2-refresh-token` when the trigger runs for a refresh-token exchange — the post-login trigger "runs when a
 *   user successfully authenticates … and when a refresh token is exchanged",
 *   https://auth0.com/docs/customize/actions/explore-triggers/post-login);
 * - post-login api: https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object
 *   (`api.access.deny(reason)`, whose reason may be shown to the end user; `api.idToken.setCustomClaim` and
 *   `api.accessToken.setCustomClaim`);
 * - credentials-exchange event and api: https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-event-object
 *   (`event.client.client_id`, `event.resource_server.identifier`, optional `event.organization`;
 *   `api.access.deny(code, reason)` with `invalid_scope`, `invalid_request` or `server_error`).
 * Auth0 organization ids are `org_` and letters and digits; names may hold underscores and 50 characters
 * (https://auth0.com/docs/manage-users/organizations/configure-organizations/create-organizations), which no
 * Gatehouse slug can, hence the link by id.
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
  /** The Auth0 organization as Auth0 names it, when it is not simply the Gatehouse org's slug. */
  auth0Org?: { id: string; name: string };
  /** The API the access token is requested for (`event.resource_server.identifier`). */
  audience?: string;
  /** `event.transaction.protocol`; `oauth2-refresh-token` for a refresh-token exchange. */
  protocol?: string;
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
    organization: opts.auth0Org
      ? { id: opts.auth0Org.id, name: opts.auth0Org.name, display_name: opts.auth0Org.name, metadata: {} }
      : opts.org
        ? { id: `org_${opts.org.id.slice(0, 8)}`, name: opts.org.slug, display_name: opts.org.name, metadata: {} }
        : undefined,
    resource_server: opts.audience ? { identifier: opts.audience } : undefined,
    transaction: { protocol: opts.protocol ?? 'oidc-basic-profile' },
    request: { ip: '127.0.0.1', method: 'GET', hostname: 'tenant.example.auth0.com' },
    secrets: opts.secrets,
  };
}

/** A credentials-exchange event as Auth0 documents it. */
function exchangeEvent(opts: {
  clientId: string;
  audience: string;
  org?: { slug: string; name: string };
  auth0Org?: { id: string; name: string };
  secrets: Secrets;
}) {
  return {
    client: { client_id: opts.clientId, name: 'Test M2M client', metadata: {} },
    resource_server: { identifier: opts.audience },
    organization: opts.auth0Org
      ? { id: opts.auth0Org.id, name: opts.auth0Org.name, display_name: opts.auth0Org.name, metadata: {} }
      : opts.org
        ? { id: 'org_test', name: opts.org.slug, display_name: opts.org.name, metadata: {} }
        : undefined,
    transaction: { requested_scopes: [] },
    request: { ip: '127.0.0.1', method: 'POST', hostname: 'tenant.example.auth0.com', body: {} },
    accessToken: { customClaims: {}, scope: [] },
    secrets: opts.secrets,
  };
}

/** An HTTP server that answers every request with the status and body the test sets (a Gatehouse in trouble). */
function scriptedServer() {
  const answer = { status: 500, body: '{"error":{"code":"INTERNAL","message":"Something went wrong on our side."}}' };
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  return { server, answer };
}

describe('Auth0 Actions against a live decision server', () => {
  const s = randomSuffix();
  let server: DecisionServer | undefined;
  let url: string;
  /** The same database behind a decision server that lets logins to unknown applications through. */
  let allowServer: DecisionServer | undefined;
  let allowUrl: string;
  const scripted = scriptedServer();
  let scriptedUrl: string;
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
    /** Linked to the Auth0 organization `linkedId`, whose name (`auth0Name`) no slug could be. */
    orgC: { id: string; slug: string; name: string };
    linkedId: string;
    auth0Name: string;
    /** Linked to another Auth0 organization than the one whose name is its slug in the test. */
    orgD: { id: string; slug: string; name: string };
    reports: { key: string };
    billing: { key: string };
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
    const readInvoices = await db.permission.create({ data: { apiId: other.id, value: 'read:invoices' } });
    const billing = await db.role.create({
      data: { key: `billing-reader-${s}`, name: `Billing reader ${s}`, permissions: { create: [{ permissionId: readInvoices.id }] } },
    });
    const reports = await db.role.create({
      data: { key: `reports-reader-${s}`, name: `Reports reader ${s}`, permissions: { create: [{ permissionId: readReports.id }] } },
    });
    const portal = await db.role.create({ data: { key: `portal-user-${s}`, name: `Portal user ${s}` } });
    const openApp = await db.application.create({ data: { name: `Open ${s}`, type: 'SPA', clientId: `open-${s}`, accessPolicy: 'OPEN' } });
    const restricted = await db.application.create({
      data: { name: `Portal ${s}`, type: 'REGULAR_WEB', clientId: `portal-${s}`, accessPolicy: 'ANY_ROLE', roles: { create: [{ roleId: portal.id }] } },
    });
    const m2m = await db.application.create({ data: { name: `Worker ${s}`, type: 'M2M', clientId: `worker-${s}` } });

    const [orgA, orgB, orgC, orgD] = await Promise.all([createOrg(db), createOrg(db), createOrg(db), createOrg(db)]);
    const linkedId = `org_${randomSuffix(8)}`;
    await db.org.update({ where: { id: orgC.id }, data: { auth0OrgId: linkedId } });
    await db.org.update({ where: { id: orgD.id }, data: { auth0OrgId: `org_${randomSuffix(8)}` } });
    const [alice, bob, blocked] = await Promise.all([createUser(db), createUser(db), createUser(db, { blocked: true })]);
    // Alice: employee of A with the portal role there; admin of B with the reports role there only.
    await addMember(db, orgA.id, alice.id, 'EMPLOYEE');
    await addMember(db, orgB.id, alice.id, 'ADMIN');
    await addMember(db, orgA.id, bob.id, 'EMPLOYEE');
    await addMember(db, orgA.id, blocked.id, 'EMPLOYEE');
    // Alice is also an employee of C (linked by id) and D (linked to another Auth0 organization).
    await addMember(db, orgC.id, alice.id, 'EMPLOYEE');
    await addMember(db, orgD.id, alice.id, 'EMPLOYEE');
    await db.roleAssignment.createMany({
      data: [
        { roleId: portal.id, userId: alice.id, orgId: orgA.id },
        { roleId: reports.id, userId: alice.id, orgId: orgB.id },
        // In B Alice may also read invoices, on another API: an access token carries one API's permissions only.
        { roleId: billing.id, userId: alice.id, orgId: orgB.id },
        // The M2M client may read reports in orgs A and C only.
        { roleId: reports.id, clientAppId: m2m.id, orgId: orgA.id },
        { roleId: reports.id, clientAppId: m2m.id, orgId: orgC.id },
      ],
    });

    Object.assign(fx, {
      audience: api.identifier,
      otherAudience: other.identifier,
      orgA,
      orgB,
      orgC,
      linkedId,
      // Auth0 organization names allow underscores (and 50 characters); Gatehouse slugs never do.
      auth0Name: `acme_eu_${s}`,
      orgD,
      reports,
      billing,
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

    server = createDecisionServer({ databaseUrl: process.env.DATABASE_URL!, unknownApplications: 'deny' });
    url = await server.start(0);
    allowServer = createDecisionServer({ databaseUrl: process.env.DATABASE_URL!, unknownApplications: 'allow' });
    allowUrl = await allowServer.start(0);
    await new Promise<void>((resolve) => scripted.server.listen(0, '127.0.0.1', resolve));
    scriptedUrl = `http://127.0.0.1:${(scripted.server.address() as { port: number }).port}`;

    hanging = createHttpServer(() => {
      // Never answers: the Action's own 2 s timeout must end the call.
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    hanging?.closeAllConnections();
    await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
    scripted.server.closeAllConnections();
    await new Promise<void>((resolve) => (scripted.server.listening ? scripted.server.close(() => resolve()) : resolve()));
    await Promise.all([server?.close(), allowServer?.close()]);
  });

  describe('post-login', () => {
    it('an allowed login gets the claims of the active org only, on both tokens (permissions in the access token only)', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, audience: fx.audience, secrets: secrets() }), api);
      expect(seen.denied).toEqual([]);
      const roles = seen.idToken[`${NS}roles`] as string[];
      expect(roles).toEqual(expect.arrayContaining(['org:employee', fx.portal.key]));
      // Org B's tier and role are not in a token for org A.
      expect(roles).not.toContain('org:admin');
      expect(roles).not.toContain(fx.reports.key);
      expect(seen.accessToken[`${NS}permissions`]).toEqual([]);
      expect(seen.idToken[`${NS}org`]).toBe(fx.orgA.slug);
      expect(seen.idToken[`${NS}orgs`]).toEqual(expect.arrayContaining([fx.orgA.slug, fx.orgB.slug]));
      expect(seen.idToken[`${NS}connection`]).toBe('Username-Password-Authentication');
      // The ID token is the access token without permissions.
      expect(seen.idToken).not.toHaveProperty(`${NS}permissions`);
      expect(seen.accessToken).toEqual({ ...seen.idToken, [`${NS}permissions`]: [] });
    });

    it('in the other org the same user gets that org’s roles and permissions', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(
        loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, audience: fx.audience, connection: 'corp-sso', secrets: secrets() }),
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

    it('an access token carries only the permissions of the API it is for, and the ID token none', async () => {
      // In org B Alice reads reports (one API) and invoices (another).
      const forReports = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, audience: fx.audience, secrets: secrets() }), forReports.api);
      expect(forReports.seen.accessToken[`${NS}permissions`]).toEqual(['read:reports']);
      expect(forReports.seen.idToken).not.toHaveProperty(`${NS}permissions`);

      const forBilling = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, audience: fx.otherAudience, secrets: secrets() }), forBilling.api);
      expect(forBilling.seen.accessToken[`${NS}permissions`]).toEqual(['read:invoices']);
      expect(forBilling.seen.idToken).not.toHaveProperty(`${NS}permissions`);

      // No API asked for (an ID token and a /userinfo access token): no permissions anywhere, the roles still.
      const noApi = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, secrets: secrets() }), noApi.api);
      expect(noApi.seen.denied).toEqual([]);
      expect(noApi.seen.accessToken).not.toHaveProperty(`${NS}permissions`);
      expect(noApi.seen.idToken).not.toHaveProperty(`${NS}permissions`);
      expect(noApi.seen.accessToken[`${NS}roles`]).toEqual(expect.arrayContaining([fx.reports.key, fx.billing.key]));
    });

    it('an Auth0 organization linked by id is found by its id, whatever its name', async () => {
      const { api, seen } = postLoginApi();
      await onExecutePostLogin(
        loginEvent({ user: fx.alice, clientId: fx.openApp, auth0Org: { id: fx.linkedId, name: fx.auth0Name }, audience: fx.audience, secrets: secrets() }),
        api,
      );
      expect(seen.denied).toEqual([]);
      // The claim is Gatehouse's slug, not the Auth0 name.
      expect(seen.idToken[`${NS}org`]).toBe(fx.orgC.slug);
      expect(seen.accessToken[`${NS}org`]).toBe(fx.orgC.slug);
    });

    it('falls back to the name as a slug only where no org has the id, and says what it tried', async () => {
      const unlinked = `org_${randomSuffix(8)}`;
      // No org has this id, and org A (not linked) has the name as its slug: org A.
      const byName = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, auth0Org: { id: unlinked, name: fx.orgA.slug }, secrets: secrets() }), byName.api);
      expect(byName.seen.denied).toEqual([]);
      expect(byName.seen.idToken[`${NS}org`]).toBe(fx.orgA.slug);

      // Org D has the name as its slug but is linked to another Auth0 organization: the link wins, no match.
      const linkedElsewhere = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, auth0Org: { id: unlinked, name: fx.orgD.slug }, secrets: secrets() }), linkedElsewhere.api);
      expect(linkedElsewhere.seen.denied).toEqual([
        `No organization is linked to the Auth0 organization "${unlinked}"; the organization with the slug "${fx.orgD.slug}" is linked to another Auth0 organization.`,
      ]);

      // Neither the id nor the name: both named in the reason.
      const neither = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, auth0Org: { id: unlinked, name: fx.auth0Name }, secrets: secrets() }), neither.api);
      expect(neither.seen.denied).toEqual([`No organization is linked to the Auth0 organization "${unlinked}", and none has the slug "${fx.auth0Name}".`]);
      expect(neither.seen.idToken).toEqual({});
    });

    it('a refresh-token exchange is decided like a sign-in but recorded as a refresh', async () => {
      const before = await db.user.findUniqueOrThrow({ where: { id: fx.alice.id }, select: { loginCount: true, lastLoginAt: true } });
      const since = new Date();
      for (let i = 0; i < 3; i++) {
        const { api, seen } = postLoginApi();
        await onExecutePostLogin(
          loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, audience: fx.audience, protocol: 'oauth2-refresh-token', secrets: secrets() }),
          api,
        );
        expect(seen.denied).toEqual([]);
        expect(seen.accessToken[`${NS}permissions`]).toEqual(['read:reports']);
      }
      const after = await db.user.findUniqueOrThrow({ where: { id: fx.alice.id }, select: { loginCount: true, lastLoginAt: true } });
      expect(after).toEqual(before);
      const events = await db.loginEvent.findMany({ where: { userId: fx.alice.id, at: { gte: since } }, select: { kind: true, orgId: true } });
      expect(events).toEqual([1, 2, 3].map(() => ({ kind: 'REFRESH', orgId: fx.orgB.id })));

      // A sign-in still counts.
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgB, secrets: secrets() }), postLoginApi().api);
      expect((await db.user.findUniqueOrThrow({ where: { id: fx.alice.id } })).loginCount).toBe(before.loginCount + 1);

      // A blocked user loses access on refresh.
      const blocked = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.blocked, clientId: fx.openApp, org: fx.orgA, protocol: 'oauth2-refresh-token', secrets: secrets() }), blocked.api);
      expect(blocked.seen.denied).toHaveLength(1);
      expect(blocked.seen.denied[0]).toMatch(/blocked/i);
      expect(blocked.seen.accessToken).toEqual({});
    });

    it('an unregistered application is denied by default, and let through without claims where the deployment allows it', async () => {
      const unknownClient = `unregistered-${s}`;
      const denied = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: unknownClient, org: fx.orgA, audience: fx.audience, secrets: secrets() }), denied.api);
      expect(denied.seen.denied).toEqual([`No application has the client id "${unknownClient}".`]);

      const allowed = postLoginApi();
      const event = loginEvent({ user: fx.alice, clientId: unknownClient, org: fx.orgA, audience: fx.audience, secrets: secrets({ GATEHOUSE_URL: allowUrl }) });
      await onExecutePostLogin(event, allowed.api);
      expect(allowed.seen.denied).toEqual([]);
      expect(allowed.seen.idToken).toEqual({});
      expect(allowed.seen.accessToken).toEqual({});

      const direct = await fetch(`${allowUrl}/api/v1/decisions/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${loginKey}` },
        body: JSON.stringify({ user: { sub: fx.alice.sub, email: fx.alice.email }, clientId: unknownClient }),
      }).then((r) => r.json() as Promise<{ allow: boolean; reason: { code: string }; claims: object }>);
      expect(direct).toMatchObject({ allow: true, reason: { code: 'unknown_application_allowed' }, claims: {} });

      // A known application is decided as always on that deployment.
      const blocked = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.blocked, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_URL: allowUrl }) }), blocked.api);
      expect(blocked.seen.denied[0]).toMatch(/blocked/i);
    });

    it('accepts international addresses (RFC 5321 / RFC 6531), and never blames configuration for the account’s own details', async () => {
      // RFC 5321 §4.1.2: `!` is atext in a Dot-string local part; RFC 6531 §3.3 adds UTF-8 to atext and U-labels to
      // domains (https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2, https://www.rfc-editor.org/rfc/rfc6531#section-3.3).
      for (const email of [`o!reilly-${s}@example.com`, `josé-${s}@example.com`, `user-${s}@bücher.example`]) {
        const person = { sub: `auth0|intl-${randomSuffix()}`, email, name: null };
        const { api, seen } = postLoginApi();
        await onExecutePostLogin(loginEvent({ user: person, clientId: fx.openApp, secrets: secrets() }), api);
        expect(seen.denied, email).toEqual([]);
        expect((await db.user.findUniqueOrThrow({ where: { sub: person.sub } })).email).toBe(email);
      }

      // An address Gatehouse cannot take is the account's problem, not the Action settings'.
      const bad = postLoginApi();
      await onExecutePostLogin(
        loginEvent({ user: { sub: `auth0|bad-${randomSuffix()}`, email: 'two@at@example.com', name: null }, clientId: fx.openApp, secrets: secrets() }),
        bad.api,
      );
      expect(bad.seen.denied).toEqual([
        "Access could not be checked because Gatehouse cannot accept this account's email address. Sign in with another account, or ask your administrator for help.",
      ]);
      expect(bad.seen.denied[0]).not.toMatch(/settings/);
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
      expect(unknownOrg.seen.denied).toEqual([`No organization is linked to the Auth0 organization "org_00000000", and none has the slug "ghost-${s}".`]);
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

    it('with GATEHOUSE_FAIL_OPEN=true, fails open only on 503 and 429; any other answer, 500 included, denies', async () => {
      const event = () =>
        loginEvent({ user: fx.alice, clientId: fx.openApp, org: fx.orgA, secrets: secrets({ GATEHOUSE_URL: scriptedUrl, GATEHOUSE_FAIL_OPEN: 'true' }) });
      const answers: [number, string, string | null][] = [
        [503, '{"error":{"code":"UNAVAILABLE","message":"The decision API is starting."}}', null],
        [429, '{"error":{"code":"RATE_LIMITED","message":"Too many requests."}}', null],
        // A 500 may be caused by the request itself (a name the database refuses): never a way in.
        [500, '{"error":{"code":"INTERNAL","message":"Something went wrong on our side."}}', 'answered with an error'],
        [502, '<html>Bad gateway</html>', 'answered with an error'],
        [504, '', 'answered with an error'],
        [400, '{"error":{"code":"BAD_INPUT","message":"kind: Invalid option"}}', 'must fix the Gatehouse Action settings'],
        [404, '<html>Not found</html>', 'must fix the Gatehouse Action settings'],
      ];
      for (const [status, body, denial] of answers) {
        Object.assign(scripted.answer, { status, body });
        const { api, seen } = postLoginApi();
        await onExecutePostLogin(event(), api);
        if (denial === null) {
          expect(seen.denied, String(status)).toEqual([]);
          expect(seen.idToken, String(status)).toEqual({});
        } else {
          expect(seen.denied, String(status)).toHaveLength(1);
          expect(seen.denied[0], String(status)).toContain(denial);
        }
      }
      // Without the setting, even an unavailable Gatehouse denies.
      Object.assign(scripted.answer, { status: 503, body: '{"error":{"code":"UNAVAILABLE","message":"Starting."}}' });
      const closed = postLoginApi();
      await onExecutePostLogin(loginEvent({ user: fx.alice, clientId: fx.openApp, secrets: secrets({ GATEHOUSE_URL: scriptedUrl }) }), closed.api);
      expect(closed.seen.denied).toEqual(['Access could not be checked because Gatehouse is unavailable. Try again in a moment.']);
    });

    it('the decision API answers 405 with Allow for a method an endpoint does not have', async () => {
      for (const [method, path, allow] of [
        ['GET', '/api/v1/decisions/login', 'POST'],
        ['PUT', '/api/v1/decisions/client-credentials', 'POST'],
        ['POST', '/api/v1/health', 'GET, HEAD'],
      ] as const) {
        const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${loginKey}` } });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe(allow);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
      }
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

    it('finds an Auth0 organization linked by id, and puts the Gatehouse slug in the org claim', async () => {
      const { api, seen } = credentialsApi();
      await onExecuteCredentialsExchange(
        exchangeEvent({ clientId: fx.m2m, audience: fx.audience, auth0Org: { id: fx.linkedId, name: fx.auth0Name }, secrets: m2mSecrets() }),
        api,
      );
      expect(seen.denied).toEqual([]);
      expect(seen.accessToken).toEqual({
        [`${NS}roles`]: [fx.reports.key],
        [`${NS}permissions`]: ['read:reports'],
        [`${NS}org`]: fx.orgC.slug,
      });

      const unlinked = `org_${randomSuffix(8)}`;
      const none = credentialsApi();
      await onExecuteCredentialsExchange(
        exchangeEvent({ clientId: fx.m2m, audience: fx.audience, auth0Org: { id: unlinked, name: fx.auth0Name }, secrets: m2mSecrets() }),
        none.api,
      );
      expect(none.seen.denied).toEqual([
        { code: 'invalid_request', reason: `No organization is linked to the Auth0 organization "${unlinked}", and none has the slug "${fx.auth0Name}".` },
      ]);
    });

    it('with GATEHOUSE_FAIL_OPEN=true, issues the token only on 503 and 429; a 500 denies', async () => {
      const event = () =>
        exchangeEvent({ clientId: fx.m2m, audience: fx.audience, org: fx.orgA, secrets: m2mSecrets({ GATEHOUSE_URL: scriptedUrl, GATEHOUSE_FAIL_OPEN: 'true' }) });
      for (const [status, issued] of [
        [503, true],
        [429, true],
        [500, false],
        [502, false],
        [400, false],
      ] as const) {
        Object.assign(scripted.answer, { status, body: '{"error":{"code":"SOMETHING","message":"x"}}' });
        const { api, seen } = credentialsApi();
        await onExecuteCredentialsExchange(event(), api);
        if (issued) expect(seen.denied, String(status)).toEqual([]);
        else expect(seen.denied.map((d) => d.code), String(status)).toEqual(['server_error']);
        expect(seen.accessToken, String(status)).toEqual({});
      }
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
