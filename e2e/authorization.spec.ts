import type { APIRequestContext } from '@playwright/test';
import type { Db } from '@/lib/db';
import { TIER_PERMISSIONS, type OrgPermission, type Tier } from '@/lib/authz/permissions';
import { can } from '@/lib/authz/policy';
import { ORG_ACTION_POLICY, ORG_PAGE_POLICY, ORG_ROUTE_POLICY } from '@/lib/authz/surface';
import { randomSuffix } from '@/prisma/factories';
import {
  actionAnswer,
  fillDynamicSegments,
  findRouteFiles,
  PAGE_FILE,
  pageAnswer,
  pageRouteBelow,
  postAction,
  readBuiltActions,
  requestAs,
  ROUTE_FILE,
  ROUTE_STATUS,
  signInRedirect,
  type ActionCode,
  type BuiltAction,
} from './probe';
import { expect, test, type SeededOrg, type TestUser } from './fixtures';

/**
 * The authorization suite: every org server action found in the production build and every org page found on disk
 * is called directly over HTTP (never through the UI) as each kind of caller, and the answer is compared with the
 * answer derived from ORG_ACTION_POLICY / ORG_PAGE_POLICY, TIER_PERMISSIONS and `can`. Nothing here lists actions,
 * pages or expected outcomes by hand, so a new action or page without a policy row fails its own test, and so does a
 * policy row with nothing behind it.
 *
 * The action probe sends only `{ orgSlug }`. `orgAction` authorizes before it parses the rest of the input, and every
 * org action needs more than the slug, so a caller with the power gets BAD_INPUT and nothing is written; an action
 * that answers ok:true to the probe changed something with no input, and fails.
 */

const ORG_ROUTES_PREFIX = 'app/(console)/orgs/';
const ORG_DIR = 'app/(console)/orgs/[orgSlug]';
/** Stands in for dynamic segments below [orgSlug]; no record has this id, so an allowed caller may get 404. */
const PLACEHOLDER = 'authz-probe';

// ---------------------------------------------------------------------------------------------------------------
// Discovery (synchronous: the tests are generated from it)

function readOrgActions() {
  return readBuiltActions(ORG_ROUTES_PREFIX, (worker) => pageRouteBelow(worker, ['orgs', '[orgSlug]']));
}

function readOrgPages(): string[] {
  return findRouteFiles(ORG_DIR, PAGE_FILE);
}

function readOrgRoutes(): string[] {
  return findRouteFiles(ORG_DIR, ROUTE_FILE);
}

const built = readOrgActions();
const routesOnDisk = readOrgRoutes();
const routeKeys = [...new Set([...routesOnDisk, ...Object.keys(ORG_ROUTE_POLICY)])].sort();
const actionNames = [...new Set([...built.actions.map((a) => a.name), ...Object.keys(ORG_ACTION_POLICY)])].sort();
const pagesOnDisk = readOrgPages();
const pageKeys = [...new Set([...pagesOnDisk, ...Object.keys(ORG_PAGE_POLICY)])].sort();

function actionPermission(name: string): OrgPermission | undefined {
  return (ORG_ACTION_POLICY as Record<string, OrgPermission>)[name];
}

function pagePermission(key: string): OrgPermission | undefined {
  return (ORG_PAGE_POLICY as Record<string, OrgPermission>)[key];
}

/** '/orgs/<slug>' + route, with any dynamic segment below the slug filled with the placeholder. */
function orgUrl(slug: string, route: string): string {
  const rest = fillDynamicSegments(route, PLACEHOLDER);
  return `/orgs/${encodeURIComponent(slug)}${rest}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Callers and what each of them should get

interface Caller {
  label: string;
  user: TestUser | null;
  /** The caller's tier in org A; null for signed-out, non-members and members of another org. */
  tier: Tier | null;
  api: APIRequestContext;
}

interface Scene {
  a: SeededOrg;
  b: SeededOrg;
  callers: Caller[];
  /** The owner of A, for the unknown and malformed slug probes (holds every org permission, so only the slug can fail). */
  ownerOfA: Caller;
}

function expectedActionCode(caller: Caller, permission: OrgPermission): ActionCode {
  if (!caller.user) return 'UNAUTHENTICATED';
  if (!caller.tier) return 'NOT_FOUND';
  return can({ platformRole: 'NONE', tier: caller.tier }, permission) ? 'BAD_INPUT' : 'FORBIDDEN';
}

function expectedPageAnswers(caller: Caller, permission: OrgPermission, url: string, dynamic: boolean): string[] {
  if (!caller.user) return [signInRedirect(url)];
  if (!caller.tier) return ['404'];
  if (!can({ platformRole: 'NONE', tier: caller.tier }, permission)) return ['403'];
  // A page below a dynamic segment is probed with an id that matches no record: authorized, then not found.
  return dynamic ? ['200', '404'] : ['200'];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the answers

async function callAction(api: APIRequestContext, action: BuiltAction, orgSlug: string): Promise<string> {
  return actionAnswer(await postAction(api, orgUrl(orgSlug, action.route), action.id, { orgSlug }));
}

// ---------------------------------------------------------------------------------------------------------------
// Proof that the probes changed nothing

async function orgState(db: Db, orgId: string) {
  const [org, memberships, invitations, assignments, auditEvents, outbox] = await Promise.all([
    db.org.findUniqueOrThrow({
      where: { id: orgId },
      select: { slug: true, name: true, invitationTtlDays: true, suspendedAt: true, updatedAt: true },
    }),
    db.membership.findMany({ where: { orgId }, select: { userId: true, tier: true, updatedAt: true }, orderBy: { userId: 'asc' } }),
    db.invitation.count({ where: { orgId } }),
    db.roleAssignment.count({ where: { orgId } }),
    db.auditEvent.count({ where: { orgId } }),
    db.outboxMessage.count({ where: { orgId } }),
  ]);
  return { org, memberships, invitations, assignments, auditEvents, outbox };
}

// ---------------------------------------------------------------------------------------------------------------

const authzTest = test.extend<{ scene: Scene }>({
  scene: async ({ seedOrg, seedUser, playwright, baseURL }, use) => {
    const [a, b, outsider] = await Promise.all([seedOrg(), seedOrg(), seedUser()]);
    const specs: Omit<Caller, 'api'>[] = [
      { label: 'owner of A', user: a.owner, tier: 'OWNER' },
      { label: 'admin of A', user: a.admin, tier: 'ADMIN' },
      { label: 'employee of A', user: a.employee, tier: 'EMPLOYEE' },
      { label: 'user with no membership', user: outsider, tier: null },
      { label: 'owner of another org (B)', user: b.owner, tier: null },
      { label: 'signed out', user: null, tier: null },
    ];
    const callers = await Promise.all(specs.map(async (s) => ({ ...s, api: await requestAs(playwright, baseURL!, s.user) })));
    try {
      await use({ a, b, callers, ownerOfA: callers[0]! });
    } finally {
      await Promise.all(callers.map((c) => c.api.dispose()));
    }
  },
});

authzTest.describe('authorization: every org action and page, called directly as every kind of caller', () => {
  authzTest('the tables can tell callers apart', () => {
    // If every tier held every permission, the FORBIDDEN / 403 expectations below could never arise.
    const permissions = new Set<OrgPermission>([...Object.values(ORG_ACTION_POLICY), ...Object.values(ORG_PAGE_POLICY)]);
    const refusedSomewhere = [...permissions].filter((p) => Object.values(TIER_PERMISSIONS).some((list) => !(list as readonly string[]).includes(p)));
    expect(refusedSomewhere.length, 'some permission in the policy tables is withheld from some tier').toBeGreaterThan(0);
    expect(built.problem, 'the production build is readable').toBeUndefined();
    expect(pagesOnDisk, 'org pages were found on disk').not.toHaveLength(0);
  });

  for (const name of actionNames) {
    const found = built.actions.filter((a) => a.name === name);
    const permission = actionPermission(name);
    authzTest(`action ${name} (${permission ?? 'no policy row'})`, async ({ scene, db }) => {
      expect(built.problem, 'the production build is readable').toBeUndefined();
      expect(
        found.map((a) => a.filename),
        `ORG_ACTION_POLICY has a row for "${name}" but the build has no such action under ${ORG_ROUTES_PREFIX} (stale row, or build out of date)`,
      ).not.toHaveLength(0);
      expect(permission, `${found[0]?.filename} exports "${name}" but ORG_ACTION_POLICY has no row for it`).toBeDefined();
      const before = await Promise.all([orgState(db, scene.a.org.id), orgState(db, scene.b.org.id)]);

      for (const action of found) {
        const where = `${name} (${action.filename}, posted to ${orgUrl(scene.a.org.slug, action.route)})`;
        const probes = [
          ...scene.callers.map((caller) => ({ who: caller.label, api: caller.api, slug: scene.a.org.slug, expected: expectedActionCode(caller, permission!) })),
          { who: 'owner of A, unknown slug', api: scene.ownerOfA.api, slug: `no-such-org-${randomSuffix()}`, expected: 'NOT_FOUND' },
          { who: 'owner of A, malformed slug', api: scene.ownerOfA.api, slug: `Not a slug! ${scene.a.org.slug}`, expected: 'NOT_FOUND' },
        ];
        const answers = await Promise.all(probes.map((p) => callAction(p.api, action, p.slug)));
        probes.forEach((p, i) => {
          expect.soft(answers[i], `${where} as ${p.who}${answers[i] === 'ok:true' ? ': it did something with no input' : ''}`).toBe(p.expected);
        });
      }

      const after = await Promise.all([orgState(db, scene.a.org.id), orgState(db, scene.b.org.id)]);
      expect(after, 'the probes changed nothing in org A or org B').toEqual(before);
    });
  }

  for (const key of pageKeys) {
    const onDisk = pagesOnDisk.includes(key);
    const permission = pagePermission(key);
    const route = key === '' ? '' : `/${key}`;
    const dynamic = route.includes('[');
    authzTest(`page /orgs/<slug>${route} (${permission ?? 'no policy row'})`, async ({ scene, db, baseURL }) => {
      expect(onDisk, `ORG_PAGE_POLICY has a row for "${key}" but there is no page.tsx at ${ORG_DIR}/${key} (stale row)`).toBe(true);
      expect(permission, `${ORG_DIR}/${key} has a page but ORG_PAGE_POLICY has no row "${key}"`).toBeDefined();
      const before = await Promise.all([orgState(db, scene.a.org.id), orgState(db, scene.b.org.id)]);

      const own = orgUrl(scene.a.org.slug, route);
      const unknown = orgUrl(`no-such-org-${randomSuffix()}`, route);
      const malformed = orgUrl(`Not a slug! ${scene.a.org.slug}`, route);
      const probes = [
        ...scene.callers.map((caller) => ({
          who: caller.label,
          api: caller.api,
          url: own,
          expected: expectedPageAnswers(caller, permission!, own, dynamic),
          member: caller.tier !== null,
        })),
        { who: 'owner of A, unknown slug', api: scene.ownerOfA.api, url: unknown, expected: ['404'], member: false },
        { who: 'owner of A, malformed slug', api: scene.ownerOfA.api, url: malformed, expected: ['404'], member: false },
      ];
      const answers = await Promise.all(probes.map((p) => pageAnswer(p.api, p.url, baseURL!)));
      probes.forEach((p, i) => {
        const { answer, body } = answers[i]!;
        expect.soft(p.expected, `GET ${p.url} as ${p.who} answered ${answer}`).toContain(answer);
        // A not-found must not give away that the org exists.
        if (!p.member && p.url === own) expect.soft(body, `GET ${p.url} as ${p.who} names org A`).not.toContain(scene.a.org.name);
      });

      const after = await Promise.all([orgState(db, scene.a.org.id), orgState(db, scene.b.org.id)]);
      expect(after, 'the probes changed nothing in org A or org B').toEqual(before);
    });
  }

  // Route handlers (GET): allowed callers get 200 (the probe sends no filter, so they just read), the others the
  // status of the code an action would answer.
  for (const key of routeKeys) {
    const onDisk = routesOnDisk.includes(key);
    const permission = (ORG_ROUTE_POLICY as Record<string, OrgPermission>)[key];
    authzTest(`route GET /orgs/<slug>/${key} (${permission ?? 'no policy row'})`, async ({ scene, db }) => {
      expect(onDisk, `ORG_ROUTE_POLICY has a row for "${key}" but there is no route.ts at ${ORG_DIR}/${key} (stale row)`).toBe(true);
      expect(permission, `${ORG_DIR}/${key} has a route but ORG_ROUTE_POLICY has no row "${key}"`).toBeDefined();
      const before = await Promise.all([orgState(db, scene.a.org.id), orgState(db, scene.b.org.id)]);
      const probes = [
        ...scene.callers.map((caller) => ({ who: caller.label, api: caller.api, slug: scene.a.org.slug, expected: ROUTE_STATUS[expectedActionCode(caller, permission!)] })),
        { who: 'owner of A, unknown slug', api: scene.ownerOfA.api, slug: `no-such-org-${randomSuffix()}`, expected: 404 },
      ];
      const answers = await Promise.all(probes.map((p) => p.api.get(orgUrl(p.slug, `/${key}`), { maxRedirects: 0 })));
      for (const [i, p] of probes.entries()) {
        const res = answers[i]!;
        // A route below a dynamic segment is probed with a placeholder id: an allowed caller passes authorization
        // and finds nothing (404), as on the pages.
        const expected = p.expected === 200 && key.includes('[') ? [200, 404] : [p.expected];
        expect.soft(expected, `GET /orgs/${p.slug}/${key} as ${p.who} answered ${res.status()}`).toContain(res.status());
        if (p.expected !== 200) expect.soft(await res.text(), `GET ${key} as ${p.who} names org A`).not.toContain(scene.a.org.name);
      }
      const after = await Promise.all([orgState(db, scene.a.org.id), orgState(db, scene.b.org.id)]);
      expect(after, 'the probes changed nothing in org A or org B').toEqual(before);
    });
  }
});
