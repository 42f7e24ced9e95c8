import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { APIRequestContext } from '@playwright/test';
import type { Db } from '@/lib/db';
import { ERROR_STATUS, type ErrorCode } from '@/lib/errors';
import { ORG_ACTION_POLICY, ORG_ROUTE_POLICY, PLATFORM_ACTION_POLICY, PLATFORM_ROUTE_POLICY } from '@/lib/authz/surface';
import { actionAnswer, fillDynamicSegments, pageRouteBelow, postAction, readBuiltActions, requestAs, type BuiltAction } from './probe';
import { expect, test, type SeededOrg } from './fixtures';

/**
 * The console fuzz suite (issue #12, item 7): every server action and route handler listed in lib/authz/surface.ts is
 * called directly over HTTP by a caller who HAS the power to call it (a platform SUPERADMIN for the platform area,
 * the org's OWNER for the org area), with generated malformed inputs: wrong types, huge strings, control and bidi
 * characters, forged ids and cursors, missing and extra fields. Every answer must be a typed error (one of
 * lib/errors.ts's codes other than INTERNAL/UNAVAILABLE), never a 5xx and never ok:true, and nothing may change.
 *
 * "Nothing changed" is read two ways, so the suite can run beside specs that write platform-wide tables: every
 * mutation writes an audit event with the caller as actor inside its own transaction, so no new audit event by the
 * fuzz callers (page views aside) means no write committed; and the fuzz org's own rows (the org, its members,
 * invitations and role assignments) are compared field by field before and after.
 *
 * Seeded (FUZZ_SEED, default below) and bounded (FUZZ_RUNS inputs per action, default 12), so a failure replays.
 * The decision API's operations are fuzzed from the OpenAPI document in lib/decision-api/openapi-fuzz.int.test.ts.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const VIEW_AUDIT_ACTION = 'platform.viewed';
/** The answers a refused input may get: every typed error a user can be shown. */
const TYPED = new Set<string>((Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => c !== 'INTERNAL' && c !== 'UNAVAILABLE'));

// ---------------------------------------------------------------------------------------------------------------
// Malformed inputs. Every leaf is hostile on its own (no plain, well-formed string or number slips in), so a
// generated input cannot be a valid request by chance: any ok:true is a real finding.

const FIELD_NAMES = [
  'id', 'orgId', 'userId', 'roleId', 'applicationId', 'apiId', 'ruleId', 'assignmentId', 'invitationId', 'membershipId',
  'name', 'slug', 'key', 'email', 'emails', 'tier', 'roleKeys', 'roleIds', 'applicationIds', 'permissionIds', 'value',
  'identifier', 'clientId', 'type', 'accessPolicy', 'connection', 'enabled', 'direction', 'position', 'cursor',
  'expiresAt', 'confirm', 'confirmation', 'reason', 'auth0OrgId', 'scopes', 'label', 'description', 'subject', 'grant',
  '__proto__', 'constructor',
] as const;

const hostileString = fc.oneof(
  // Control characters, NUL and bidi overrides inside otherwise ordinary text.
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\u0007', '\u001b[2J', '\u202e', '\u2066', '\ufeff', '\ud800'), fc.string({ maxLength: 20 }))
    .map(([a, bad, b]) => `${a}${bad}${b}`),
  // Far over any limit in lib/schemas.
  fc.integer({ min: 5_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  // Forged ids: a random UUID (matches nothing), a UUID-looking non-UUID, SQL and path tricks.
  fc.constant(null).map(() => randomUUID()),
  fc.constantFrom('00000000-0000-0000-0000-00000000000g', "' OR '1'='1", '../../etc/passwd', '%00', '\\u0000', '🙂'.repeat(300)),
  // Forged cursors: base64 of JSON that our cursor schema does not take, and garbage.
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.string({ minLength: 1, maxLength: 60 }).map((s) => `eyJ${Buffer.from(s).toString('base64')}`),
);

const hostileLeaf = fc.oneof(
  hostileString,
  fc.constantFrom(-1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, true, false, null),
  fc.constant({}),
  fc.constant([]),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileLeaf, hostileLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })), tie('value'), { maxKeys: 5 }),
})).value;

/** What a server action receives as its one argument: anything, most often an object with our field names. */
const actionInput = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), hostileValue, { minKeys: 1, maxKeys: 6 }) },
  { weight: 1, arbitrary: hostileValue },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 42, 'a', [], [[]], {}) },
);

/** Query strings for the GET route handlers: our parameter names with hostile values, and stray parameters. */
const routeQuery = fc
  .dictionary(fc.constantFrom('q', 'cursor', 'before', 'after', 'org', 'role', 'application', 'tier', 'limit', 'sort', 'filter', 'x'), hostileString, { maxKeys: 4 })
  .map((params) => new URLSearchParams(params).toString());

/**
 * The value as React's encodeReply puts it on the wire: a string that starts with `$` is escaped as `$$` (unescaped,
 * `$1`, `$@1`… are references to other parts of the reply, and React's decoder fails the whole request before any of
 * our code runs). A browser always sends the escaped form; the fuzz is about what our actions do with the values.
 */
function asReactSends(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('$') ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(asReactSends);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asReactSends(v)]));
  return value;
}

function sample<T>(arb: fc.Arbitrary<T>, salt: number): T[] {
  return fc.sample(arb, { seed: SEED + salt, numRuns: RUNS });
}

// ---------------------------------------------------------------------------------------------------------------
// The surface

const platformActions = readBuiltActions('app/(platform)/platform/', (w) => pageRouteBelow(w, ['platform']));
const orgActions = readBuiltActions('app/(console)/orgs/', (w) => pageRouteBelow(w, ['orgs', '[orgSlug]']));

// ---------------------------------------------------------------------------------------------------------------
// Proof that nothing changed

async function auditBy(db: Db, actorIds: string[]): Promise<string[]> {
  const events = await db.auditEvent.findMany({
    where: { actorId: { in: actorIds }, action: { not: VIEW_AUDIT_ACTION } },
    select: { action: true, targetType: true, targetId: true },
    orderBy: { id: 'asc' },
    take: 20,
  });
  return events.map((e) => `${e.action} on ${e.targetType ?? '?'} ${e.targetId ?? ''}`.trim());
}

async function orgRows(db: Db, orgId: string) {
  const [org, memberships, invitations, assignments] = await Promise.all([
    db.org.findUniqueOrThrow({ where: { id: orgId } }),
    db.membership.findMany({ where: { orgId }, orderBy: { userId: 'asc' } }),
    db.invitation.findMany({ where: { orgId }, orderBy: { id: 'asc' } }),
    db.roleAssignment.findMany({ where: { orgId }, orderBy: { id: 'asc' } }),
  ]);
  return JSON.stringify({ org, memberships, invitations, assignments });
}

// ---------------------------------------------------------------------------------------------------------------

const fuzzTest = test.extend<{ scene: { org: SeededOrg; owner: APIRequestContext; superadmin: APIRequestContext; actorIds: string[] } }>({
  scene: async ({ seedOrg, seedUser, playwright, baseURL }, use) => {
    const [org, superadminUser] = await Promise.all([seedOrg(), seedUser({ platformRole: 'SUPERADMIN' })]);
    const [owner, superadmin] = await Promise.all([requestAs(playwright, baseURL!, org.owner), requestAs(playwright, baseURL!, superadminUser)]);
    try {
      await use({ org, owner, superadmin, actorIds: [org.owner.id, superadminUser.id] });
    } finally {
      await Promise.all([owner.dispose(), superadmin.dispose()]);
    }
  },
});

async function fuzzActions(
  db: Db,
  scene: { org: SeededOrg; actorIds: string[] },
  api: APIRequestContext,
  actions: BuiltAction[],
  urlOf: (action: BuiltAction) => string,
  salt: number,
) {
  const auditBefore = await auditBy(db, scene.actorIds);
  const orgBefore = await orgRows(db, scene.org.org.id);
  const findings: string[] = [];
  for (const [i, action] of actions.entries()) {
    const url = urlOf(action);
    for (const input of sample(actionInput, salt + i)) {
      const answer = await actionAnswer(await postAction(api, url, action.id, asReactSends(input)));
      if (!TYPED.has(answer)) findings.push(`${action.name} (${url}) answered ${answer.slice(0, 160)} to ${JSON.stringify(input)?.slice(0, 160)}`);
    }
  }
  expect(findings, 'every malformed input gets a typed error (no 5xx, no ok:true)').toEqual([]);
  expect(await auditBy(db, scene.actorIds), 'no write committed (audit events by the fuzz callers)').toEqual(auditBefore);
  expect(await orgRows(db, scene.org.org.id), "the fuzz org's rows are unchanged").toBe(orgBefore);
}

fuzzTest.describe('console fuzz: malformed input to every action and route of surface.ts, as a caller with the power', () => {
  fuzzTest('the build and surface.ts agree, so the fuzz covers every listed action', () => {
    expect(platformActions.problem ?? orgActions.problem, 'the production build is readable').toBeUndefined();
    const builtNames = new Set([...platformActions.actions, ...orgActions.actions].map((a) => a.name));
    const listed = [...Object.keys(PLATFORM_ACTION_POLICY), ...Object.keys(ORG_ACTION_POLICY)];
    expect(listed.filter((n) => !builtNames.has(n)), 'listed in surface.ts but not in the build').toEqual([]);
  });

  fuzzTest('platform actions, as a SUPERADMIN', async ({ db, scene }) => {
    test.setTimeout(240_000);
    const listed = new Set(Object.keys(PLATFORM_ACTION_POLICY));
    const actions = platformActions.actions.filter((a) => listed.has(a.name));
    expect(actions.length).toBeGreaterThan(0);
    await fuzzActions(db, scene, scene.superadmin, actions, (a) => `/platform${fillDynamicSegments(a.route, randomUUID())}`, 1_000);
  });

  fuzzTest("org actions, as the org's OWNER", async ({ db, scene }) => {
    test.setTimeout(240_000);
    const listed = new Set(Object.keys(ORG_ACTION_POLICY));
    const actions = orgActions.actions.filter((a) => listed.has(a.name));
    expect(actions.length).toBeGreaterThan(0);
    await fuzzActions(db, scene, scene.owner, actions, (a) => `/orgs/${scene.org.org.slug}${fillDynamicSegments(a.route, randomUUID())}`, 2_000);
  });

  fuzzTest('route handlers, with hostile query strings', async ({ db, scene }) => {
    // The exports stream everything their filter matches (a refused filter means no filter): seconds each.
    test.setTimeout(600_000);
    const routes = [
      ...Object.keys(PLATFORM_ROUTE_POLICY).map((r) => ({ api: scene.superadmin, path: `/platform/${fillDynamicSegments(r, randomUUID())}` })),
      ...Object.keys(ORG_ROUTE_POLICY).map((r) => ({ api: scene.owner, path: `/orgs/${scene.org.org.slug}/${fillDynamicSegments(r, randomUUID())}` })),
    ];
    const auditBefore = await auditBy(db, scene.actorIds);
    const findings: string[] = [];
    for (const [i, route] of routes.entries()) {
      for (const query of sample(routeQuery, 3_000 + i).slice(0, 6)) {
        const res = await route.api.get(`${route.path}?${query}`, { maxRedirects: 0 });
        // A route reads: a hostile filter either narrows the answer (200) or is refused as bad input (400); a route
        // below a dynamic segment (filled with a random id) finds nothing (404). A query longer than Node's header
        // limit (16 KiB) is refused by the HTTP server itself with 431 (or 414).
        if (![200, 400, 404, 414, 431].includes(res.status())) findings.push(`GET ${route.path}?${query.slice(0, 160)} answered ${res.status()}`);
      }
    }
    expect(findings, 'no hostile query gets a 5xx (or anything but 200/400/404/414/431)').toEqual([]);
    expect(await auditBy(db, scene.actorIds)).toEqual(auditBefore);
  });

  fuzzTest('route handlers refuse other methods with 405 and an Allow header (RFC 9110 §15.5.6)', async ({ scene }) => {
    // "The origin server MUST generate an Allow header field in a 405 (Method Not Allowed) response":
    // https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed
    const routes = [
      ...Object.keys(PLATFORM_ROUTE_POLICY).map((r) => ({ api: scene.superadmin, path: `/platform/${fillDynamicSegments(r, randomUUID())}` })),
      ...Object.keys(ORG_ROUTE_POLICY).map((r) => ({ api: scene.owner, path: `/orgs/${scene.org.org.slug}/${fillDynamicSegments(r, randomUUID())}` })),
      { api: scene.owner, path: '/api/health' },
    ];
    const answers: string[] = [];
    for (const { api, path } of routes) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        const res = await api.fetch(path, { method, data: '{}', headers: { 'content-type': 'application/json' }, maxRedirects: 0 });
        answers.push(`${method} ${path}: ${res.status()} Allow=${res.headers()['allow'] ?? '(none)'}`);
      }
    }
    expect(answers).toEqual(answers.map((a) => a.replace(/: .*$/, ': 405 Allow=GET, HEAD, OPTIONS')));
  });
});
