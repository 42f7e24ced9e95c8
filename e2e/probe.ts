import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import { sessionCookieFor, type TestUser } from './fixtures';

/**
 * The authorization probe harness, shared by the authorization suites (e2e/authorization.spec.ts,
 * e2e/platform-authorization.spec.ts) and the specs that call server actions directly (e2e/security.spec.ts):
 * finding the server actions in the production build and the pages and route handlers on disk, calling them as a
 * given user over plain HTTP, and reading what they answered.
 */

export const ROOT = path.resolve(__dirname, '..');

/**
 * Every folder below `dir` holding a file whose name matches `file` (page.tsx, route.ts), as its URL path below
 * `dir`: private folders (`_x`) are skipped, route groups `(x)` and slots `@x` stay out of the path.
 */
export function findRouteFiles(dir: string, file: RegExp): string[] {
  const found: string[] = [];
  const walk = (current: string, urlSegments: string[]) => {
    const entries = readdirSync(path.join(ROOT, current), { withFileTypes: true });
    if (entries.some((e) => e.isFile() && file.test(e.name))) found.push(urlSegments.join('/'));
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('_')) continue;
      const inUrl = !/^\(.*\)$/.test(e.name) && !e.name.startsWith('@');
      walk(`${current}/${e.name}`, inUrl ? [...urlSegments, e.name] : urlSegments);
    }
  };
  walk(dir, []);
  return [...new Set(found)].sort();
}

export const PAGE_FILE = /^page\.(tsx|ts|jsx|js|mdx)$/;
export const ROUTE_FILE = /^route\.(tsx|ts|jsx|js)$/;

/** The codes a probed action answers; an allowed caller gets BAD_INPUT, because the probe sends too little input. */
export type ActionCode = 'BAD_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';

/** The HTTP status a route handler answers where an action would answer the code. */
export const ROUTE_STATUS: Record<ActionCode, number> = { BAD_INPUT: 200, FORBIDDEN: 403, NOT_FOUND: 404, UNAUTHENTICATED: 401 };

export const SERVER_ACTIONS_MANIFEST = '.next/server/server-reference-manifest.json';

/** A server action of the production build. */
export interface BuiltAction {
  id: string;
  /** The exported name (the key of the *_ACTION_POLICY tables). */
  name: string;
  filename: string;
  /** The page that serves the action, below the area's base URL, e.g. '/settings' ('' is the area's index). */
  route: string;
}

type ManifestEntry = { workers?: Record<string, unknown>; filename?: string; exportedName?: string };
type Manifest = { node?: Record<string, ManifestEntry>; edge?: Record<string, ManifestEntry> };

/**
 * The server actions defined in files under `prefix`, from the build's manifest. `routeOfWorker` turns a worker
 * ('app/(console)/orgs/[orgSlug]/settings/page') into the route the action is posted to, or null to skip it.
 * Among several routes one without dynamic segments wins, so the probe needs no made-up id.
 */
export function readBuiltActions(prefix: string, routeOfWorker: (worker: string) => string | null): { actions: BuiltAction[]; problem?: string } {
  const file = path.join(ROOT, SERVER_ACTIONS_MANIFEST);
  if (!existsSync(file)) return { actions: [], problem: `${SERVER_ACTIONS_MANIFEST} is missing: run \`npx next build\` first.` };
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const actions: BuiltAction[] = [];
  for (const [id, entry] of [...Object.entries(manifest.node ?? {}), ...Object.entries(manifest.edge ?? {})]) {
    if (!entry.filename?.startsWith(prefix) || !entry.exportedName) continue;
    const routes = Object.keys(entry.workers ?? {})
      .map(routeOfWorker)
      .filter((r): r is string => r !== null)
      .sort((x, y) => Number(x.includes('[')) - Number(y.includes('[')) || x.localeCompare(y));
    actions.push({ id, name: entry.exportedName, filename: entry.filename, route: routes[0] ?? '' });
  }
  return { actions };
}

/**
 * The route below `base` (e.g. ['orgs', '[orgSlug]']) of a page worker such as
 * 'app/(console)/orgs/[orgSlug]/settings/page' ('/settings'; '' for the base itself), or null for a worker outside
 * `base` or one that is not a page (only pages can be posted to with an action id). Route groups and parallel-route
 * slots are not in URLs.
 */
export function pageRouteBelow(worker: string, base: readonly string[]): string | null {
  const segments = worker.split('/');
  if (segments[0] !== 'app' || segments.at(-1) !== 'page') return null;
  const url = segments.slice(1, -1).filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  if (base.some((b, i) => url[i] !== b)) return null;
  return url.slice(base.length).map((s) => `/${s}`).join('');
}

/** `route` with every dynamic segment (`[id]`, `[...rest]`, `[[...opt]]`) replaced by `value`. */
export function fillDynamicSegments(route: string, value: string): string {
  return route.replace(/\[\[?\.{0,3}[^\]]+\]\]?/g, value);
}

/** A request context that is signed in as `user` (a session made the way the SDK makes it), or signed out. */
export async function requestAs(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string,
  user: TestUser | null,
  extraHTTPHeaders?: Record<string, string>,
): Promise<APIRequestContext> {
  const host = new URL(baseURL).hostname;
  return playwright.request.newContext({
    baseURL,
    extraHTTPHeaders,
    storageState: {
      cookies: user
        ? [{ name: '__session', value: await sessionCookieFor(user), domain: host, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }]
        : [],
      origins: [],
    },
  });
}

/** The Origin a browser sends with a server action from one of our pages (the proxy refuses any other). */
export const APP_ORIGIN = new URL(process.env.E2E_BASE_URL!).origin;

/**
 * Posts a server action the way React does (one argument, JSON-encoded, with our Origin) to the page at `url`;
 * `headers` may replace any of those headers, or drop one with an empty string.
 */
export async function postAction(
  api: APIRequestContext,
  url: string,
  actionId: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  const sent = Object.fromEntries(
    Object.entries({ 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', origin: APP_ORIGIN, ...headers }).filter(
      ([, v]) => v !== '',
    ),
  );
  return api.post(url, {
    headers: sent,
    data: JSON.stringify([input]),
    maxRedirects: 0,
  });
}

export function signInRedirect(url: string): string {
  return `307 → /auth/login?returnTo=${encodeURIComponent(url)}`;
}

/** A page's answer as `200`, `404`, or `307 → /path?query`, with its body. */
export async function pageAnswer(api: APIRequestContext, url: string, baseURL: string): Promise<{ answer: string; body: string }> {
  const res = await api.get(url, { maxRedirects: 0 });
  const body = await res.text();
  if (res.status() >= 300 && res.status() < 400) {
    const location = new URL(res.headers().location ?? '', baseURL);
    return { answer: `${res.status()} → ${location.pathname}${location.search}`, body };
  }
  return { answer: String(res.status()), body };
}

/** The action result inside a React Flight response: rows like `1:{"ok":false,"error":{"code":"FORBIDDEN",...}}`. */
export function findActionResult(value: unknown, depth = 0): string | null {
  if (depth > 6 || value === null || typeof value !== 'object') return null;
  const v = value as { ok?: unknown; error?: { code?: unknown } };
  if (v.ok === true) return 'ok:true';
  if (v.ok === false && typeof v.error?.code === 'string') return v.error.code;
  for (const child of Object.values(value)) {
    const found = findActionResult(child, depth + 1);
    if (found) return found;
  }
  return null;
}

/** What the action answered: its error code, 'ok:true', or a description of an answer that is not an action result. */
export async function actionAnswer(res: APIResponse): Promise<string> {
  const body = await res.text();
  const redirect = res.headers()['x-action-redirect'];
  if (res.status() !== 200 || redirect) return `HTTP ${res.status()}${redirect ? ` redirect to ${redirect}` : ''}: ${body.slice(0, 200)}`;
  for (const line of body.split('\n')) {
    const row = /^[0-9a-f]+:(.*)$/.exec(line)?.[1];
    if (!row) continue;
    try {
      const found = findActionResult(JSON.parse(row));
      if (found) return found;
    } catch {
      // Not a JSON row (text or binary chunk); keep looking.
    }
  }
  return `no action result in: ${body.slice(0, 200)}`;
}

