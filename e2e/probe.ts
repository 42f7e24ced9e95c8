import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { APIResponse } from '@playwright/test';

/**
 * Shared by the authorization suites (e2e/authorization.spec.ts, e2e/platform-authorization.spec.ts): finding the
 * pages and route handlers on disk, and reading what a server action answered.
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

