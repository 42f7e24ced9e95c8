import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import type { Db } from '@/lib/db';
import { PLATFORM_ROLE_PERMISSIONS, PLATFORM_ROLES, type PlatformPermission, type PlatformRole } from '@/lib/authz/permissions';
import { can, canEnterPlatform } from '@/lib/authz/policy';
import { PLATFORM_ACTION_POLICY, PLATFORM_PAGE_POLICY, PLATFORM_ROUTE_POLICY } from '@/lib/authz/surface';
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
  ROOT,
  ROUTE_FILE,
  ROUTE_STATUS,
  signInRedirect,
  type ActionCode,
  type BuiltAction,
} from './probe';
import { expect, test, type TestUser } from './fixtures';

/**
 * The platform authorization suite: every platform server action found in the production build and every platform
 * page found on disk is called directly over HTTP (never through the UI) as each kind of caller, and the answer is
 * compared with the answer derived from PLATFORM_ACTION_POLICY / PLATFORM_PAGE_POLICY and `can`. Nothing here lists
 * actions, pages or expected outcomes by hand, so a new platform action or page without a policy row fails its own
 * test, and so does a policy row with nothing behind it ("stale row").
 *
 * `platformAction` authorizes (requirePlatform) before it parses the input: someone with no platform role gets
 * NOT_FOUND (the platform area does not exist for them), a platform role without the permission gets FORBIDDEN.
 * The probe sends an empty input `{}`, and every platform action needs some field, so a caller with the power gets
 * BAD_INPUT and nothing is written; an action that answers ok:true to the probe changed something with no input,
 * and fails.
 */

const PLATFORM_ROUTES_PREFIX = 'app/(platform)/platform/';
const PLATFORM_DIR = 'app/(platform)/platform';
const PAGES_MANIFEST = '.next/server/app-paths-manifest.json';
/** Page views of /platform are audited on purpose; the "nothing changed" check leaves them out. */
const VIEW_AUDIT_ACTION = 'platform.viewed';

// ---------------------------------------------------------------------------------------------------------------
// Discovery (synchronous: the tests are generated from it)

const PLATFORM_BASE = ['platform'];

function readPlatformActions() {
  return readBuiltActions(PLATFORM_ROUTES_PREFIX, (worker) => pageRouteBelow(worker, PLATFORM_BASE));
}

function readPlatformPages(): string[] {
  return findRouteFiles(PLATFORM_DIR, PAGE_FILE);
}

/** The platform pages in the build, keyed like PLATFORM_PAGE_POLICY (null when the manifest is missing). */
function readBuiltPages(): Set<string> | null {
  const file = path.join(ROOT, PAGES_MANIFEST);
  if (!existsSync(file)) return null;
  const keys = new Set<string>();
  for (const entry of Object.keys(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)) {
    const route = pageRouteBelow(`app${entry}`, PLATFORM_BASE);
    if (route !== null) keys.add(route.slice(1));
  }
  return keys;
}

function readPlatformRoutes(): string[] {
  return findRouteFiles(PLATFORM_DIR, ROUTE_FILE);
}

const built = readPlatformActions();
const routesOnDisk = readPlatformRoutes();
const routeKeys = [...new Set([...routesOnDisk, ...Object.keys(PLATFORM_ROUTE_POLICY)])].sort();
const builtPages = readBuiltPages();
const actionNames = [...new Set([...built.actions.map((a) => a.name), ...Object.keys(PLATFORM_ACTION_POLICY)])].sort();
const pagesOnDisk = readPlatformPages();
const pageKeys = [...new Set([...pagesOnDisk, ...Object.keys(PLATFORM_PAGE_POLICY)])].sort();

function actionPermission(name: string): PlatformPermission | undefined {
  return (PLATFORM_ACTION_POLICY as Record<string, PlatformPermission>)[name];
}

function pagePermission(key: string): PlatformPermission | undefined {
  return (PLATFORM_PAGE_POLICY as Record<string, PlatformPermission>)[key];
}

/**
 * '/platform' + route, with every dynamic segment filled with `id`. The probes use a fresh random UUID, which no
 * record has, so an allowed caller may get not-found on such a page (it passed authorization and found nothing).
 */
function platformUrl(route: string, id: string): string {
  return `/platform${fillDynamicSegments(route, id)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Callers and what each of them should get

interface Caller {
  label: string;
  user: TestUser | null;
  platformRole: PlatformRole;
  blocked: boolean;
  api: APIRequestContext;
}

function expectedActionCode(caller: Caller, permission: PlatformPermission): ActionCode {
  if (!caller.user) return 'UNAUTHENTICATED';
  if (caller.blocked) return 'FORBIDDEN'; // requireUser refuses a blocked account before any power is looked at
  const actor = { platformRole: caller.platformRole, tier: null };
  if (!canEnterPlatform(actor)) return 'NOT_FOUND';
  return can(actor, permission) ? 'BAD_INPUT' : 'FORBIDDEN';
}

function expectedPageAnswers(caller: Caller, permission: PlatformPermission, url: string, dynamic: boolean): string[] {
  if (!caller.user) return [signInRedirect(url)];
  if (caller.blocked) return ['307 → /signed-out?error=blocked'];
  const actor = { platformRole: caller.platformRole, tier: null };
  if (!canEnterPlatform(actor)) return ['404'];
  if (!can(actor, permission)) return ['403'];
  // A page below a dynamic segment is probed with an id that matches no record: authorized, then not found.
  return dynamic ? ['200', '404'] : ['200'];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the answers

async function callAction(api: APIRequestContext, action: BuiltAction, url: string): Promise<string> {
  return actionAnswer(await postAction(api, url, action.id, {}));
}

// ---------------------------------------------------------------------------------------------------------------
// Proof that the probes changed nothing. Every platform mutation writes an audit event in its own transaction with
// the caller as actor, so "no new audit event by any probe caller" (page views aside) proves no probe changed
// anything, without counting platform-wide tables that other specs write while this one runs.

async function platformState(db: Db, actorIds: string[]) {
  const events = await db.auditEvent.findMany({
    where: { actorId: { in: actorIds }, action: { not: VIEW_AUDIT_ACTION } },
    select: { action: true, actorLabel: true, targetType: true, targetId: true },
    orderBy: { id: 'asc' },
    take: 20,
  });
  return events.map((e) => `${e.action} by ${e.actorLabel ?? '?'} on ${e.targetType ?? '?'} ${e.targetId ?? ''}`.trim());
}

async function expectNothingChanged(db: Db, before: string[], actorIds: string[]): Promise<void> {
  const after = await platformState(db, actorIds);
  expect(after, 'the probes changed platform data (audit events written by the probe callers)').toEqual(before);
}

// ---------------------------------------------------------------------------------------------------------------

interface Scene {
  callers: Caller[];
}

const authzTest = test.extend<{ scene: Scene }>({
  scene: async ({ seedOrg, seedUser, playwright, baseURL }, use) => {
    const [org, staff, operator, superadmin, blockedSuperadmin] = await Promise.all([
      seedOrg(),
      seedUser({ platformRole: 'STAFF' }),
      seedUser({ platformRole: 'OPERATOR' }),
      seedUser({ platformRole: 'SUPERADMIN' }),
      seedUser({ platformRole: 'SUPERADMIN', blocked: true }),
    ]);
    const specs: Omit<Caller, 'api'>[] = [
      // Owning an org gives no platform power: for this user the platform area does not exist.
      { label: 'org owner with platform role NONE', user: org.owner, platformRole: 'NONE', blocked: false },
      { label: 'platform STAFF', user: staff, platformRole: 'STAFF', blocked: false },
      { label: 'platform OPERATOR', user: operator, platformRole: 'OPERATOR', blocked: false },
      { label: 'platform SUPERADMIN', user: superadmin, platformRole: 'SUPERADMIN', blocked: false },
      { label: 'blocked SUPERADMIN', user: blockedSuperadmin, platformRole: 'SUPERADMIN', blocked: true },
      { label: 'signed out', user: null, platformRole: 'NONE', blocked: false },
    ];
    const callers = await Promise.all(specs.map(async (s) => ({ ...s, api: await requestAs(playwright, baseURL!, s.user) })));
    try {
      await use({ callers });
    } finally {
      await Promise.all(callers.map((c) => c.api.dispose()));
    }
  },
});

authzTest.describe('platform authorization: every platform action and page, called directly as every kind of caller', () => {
  authzTest('the tables can tell callers apart', () => {
    // Without a permission that some platform role lacks, the FORBIDDEN expectations below could never arise;
    // without a role that cannot enter, NOT_FOUND could not.
    const inPlatform = PLATFORM_ROLES.filter((r) => canEnterPlatform({ platformRole: r }));
    const actionPermissions = new Set<PlatformPermission>(Object.values(PLATFORM_ACTION_POLICY));
    const refusedSomewhere = [...actionPermissions].filter((p) =>
      inPlatform.some((r) => !(PLATFORM_ROLE_PERMISSIONS[r] as readonly string[]).includes(p)),
    );
    expect(refusedSomewhere.length, 'some permission in PLATFORM_ACTION_POLICY is withheld from some platform role').toBeGreaterThan(0);
    expect(PLATFORM_ROLES.filter((r) => !canEnterPlatform({ platformRole: r })), 'some platform role cannot enter').toEqual(['NONE']);
    expect(built.problem, 'the production build is readable').toBeUndefined();
    expect(pagesOnDisk, 'platform pages were found on disk').toContain('');
  });

  for (const name of actionNames) {
    const found = built.actions.filter((a) => a.name === name);
    const permission = actionPermission(name);
    authzTest(`action ${name} (${permission ?? 'no policy row'})`, async ({ scene, db }) => {
      expect(built.problem, 'the production build is readable').toBeUndefined();
      expect(
        found.map((a) => a.filename),
        `PLATFORM_ACTION_POLICY has a row for "${name}" but the build has no such action under ${PLATFORM_ROUTES_PREFIX} (stale row, or build out of date)`,
      ).not.toHaveLength(0);
      expect(permission, `${found[0]?.filename} exports "${name}" but PLATFORM_ACTION_POLICY has no row for it`).toBeDefined();
      const actorIds = scene.callers.flatMap((c) => (c.user ? [c.user.id] : []));
      const before = await platformState(db, actorIds);

      for (const action of found) {
        const url = platformUrl(action.route, randomUUID());
        const where = `${name} (${action.filename}, posted to ${url})`;
        const answers = await Promise.all(scene.callers.map((c) => callAction(c.api, action, url)));
        scene.callers.forEach((caller, i) => {
          expect
            .soft(answers[i], `${where} as ${caller.label}${answers[i] === 'ok:true' ? ': it did something with no input' : ''}`)
            .toBe(expectedActionCode(caller, permission!));
        });
      }

      await expectNothingChanged(db, before, actorIds);
    });
  }

  for (const key of pageKeys) {
    const onDisk = pagesOnDisk.includes(key);
    const permission = pagePermission(key);
    const route = key === '' ? '' : `/${key}`;
    const dynamic = route.includes('[');
    authzTest(`page /platform${route} (${permission ?? 'no policy row'})`, async ({ scene, db, baseURL }) => {
      expect(onDisk, `PLATFORM_PAGE_POLICY has a row for "${key}" but there is no page.tsx at ${PLATFORM_DIR}/${key} (stale row)`).toBe(true);
      expect(permission, `${PLATFORM_DIR}/${key} has a page but PLATFORM_PAGE_POLICY has no row "${key}"`).toBeDefined();
      // Otherwise every caller would get 404 from a build made before the page was written.
      expect(builtPages?.has(key), `${PLATFORM_DIR}/${key} is not in ${PAGES_MANIFEST}: build out of date, run \`npx next build\``).toBe(true);
      const actorIds = scene.callers.flatMap((c) => (c.user ? [c.user.id] : []));
      const before = await platformState(db, actorIds);

      // Dynamic segments get a random UUID: an allowed caller may then get 404 (see expectedPageAnswers).
      const url = platformUrl(route, randomUUID());
      const answers = await Promise.all(scene.callers.map((c) => pageAnswer(c.api, url, baseURL!)));
      scene.callers.forEach((caller, i) => {
        const { answer, body } = answers[i]!;
        const expected = expectedPageAnswers(caller, permission!, url, dynamic);
        expect.soft(expected, `GET ${url} as ${caller.label} answered ${answer}`).toContain(answer);
        // Whoever may not enter must not see the platform's navigation either (a 403 is for those who may enter).
        if (expected.every((e) => e !== '200' && e !== '403')) expect.soft(body, `GET ${url} as ${caller.label} shows the platform navigation`).not.toContain('Platform sections');
      });

      await expectNothingChanged(db, before, actorIds);
    });
  }

  // Route handlers (GET): allowed callers read (200); the others get the status of the code an action would answer.
  for (const key of routeKeys) {
    const onDisk = routesOnDisk.includes(key);
    const permission = (PLATFORM_ROUTE_POLICY as Record<string, PlatformPermission>)[key];
    authzTest(`route GET /platform/${key} (${permission ?? 'no policy row'})`, async ({ scene, db }) => {
      expect(onDisk, `PLATFORM_ROUTE_POLICY has a row for "${key}" but there is no route.ts at ${PLATFORM_DIR}/${key} (stale row)`).toBe(true);
      expect(permission, `${PLATFORM_DIR}/${key} has a route but PLATFORM_ROUTE_POLICY has no row "${key}"`).toBeDefined();
      const actorIds = scene.callers.flatMap((c) => (c.user ? [c.user.id] : []));
      const before = await platformState(db, actorIds);
      // Dynamic segments get a random UUID.
      const url = platformUrl(`/${key}`, randomUUID());
      const answers = await Promise.all(scene.callers.map((c) => c.api.get(url, { maxRedirects: 0 })));
      scene.callers.forEach((caller, i) => {
        const status = ROUTE_STATUS[expectedActionCode(caller, permission!)];
        // An allowed caller gets the data (200), or a refusal of the missing input (400: an export that needs a
        // filter), or not-found below a dynamic segment.
        const expected = status === 200 ? [200, 400, ...(key.includes('[') ? [404] : [])] : [status];
        expect.soft(expected, `GET ${url} as ${caller.label} answered ${answers[i]!.status()}`).toContain(answers[i]!.status());
      });
      await expectNothingChanged(db, before, actorIds);
    });
  }
});
