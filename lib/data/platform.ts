import 'server-only';
import { audit } from '@/lib/audit';
import type { PlatformContext } from '@/lib/authz/types';
import { db, type Db } from '@/lib/db';

export interface PlatformOverviewDto {
  orgs: number;
  suspendedOrgs: number;
  users: number;
  memberships: number;
  applications: number;
  roles: number;
  signInsLast7Days: number;
  newOrgsLast30Days: number;
}

/** Platform-wide counts. Cross-tenant: callers must hold platform:read (requirePlatform). */
export async function getPlatformOverview(_ctx: PlatformContext): Promise<PlatformOverviewDto> {
  const day = 24 * 60 * 60 * 1000;
  const now = Date.now();
  const [orgs, suspendedOrgs, users, memberships, applications, roles, signInsLast7Days, newOrgsLast30Days] = await Promise.all([
    db.org.count(),
    db.org.count({ where: { suspendedAt: { not: null } } }),
    db.user.count(),
    db.membership.count(),
    db.application.count(),
    db.role.count(),
    db.loginEvent.count({ where: { kind: 'SIGN_IN', at: { gt: new Date(now - 7 * day) } } }),
    db.org.count({ where: { createdAt: { gt: new Date(now - 30 * day) } } }),
  ]);
  return { orgs, suspendedOrgs, users, memberships, applications, roles, signInsLast7Days, newOrgsLast30Days };
}

/** A staff member's repeated look at the same view with the same filter within this window is one audit event. */
export const PLATFORM_VIEW_DEBOUNCE_MINUTES = 5;

/** Query parameters that page through a view rather than choose what it shows: a scrolled matrix is one look. */
const PAGING_PARAMS = new Set(['cursor', 'limit']);

/** A platform detail page about one user or one org: a look at it is recorded about that user or org. */
const SUBJECT_PAGE = /^\/platform\/(users|orgs)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * What a platform look is recorded as: the path and its filter (the query without paging parameters, sorted so the
 * same filter always gives the same target id), and, for a user's or an org's detail page, that user or org (so the
 * look shows in the user's audit trail, and under the org in the global audit log; never in the org's own log).
 */
export function platformViewOf(pathWithQuery: string): {
  id: string;
  path: string;
  filter: Record<string, string>;
  subject: { type: 'user' | 'org'; id: string } | null;
} {
  const url = new URL(pathWithQuery, 'http://gatehouse.invalid');
  const filter = Object.fromEntries(
    [...url.searchParams.entries()].filter(([k]) => !PAGING_PARAMS.has(k)).sort(([a], [b]) => a.localeCompare(b)),
  );
  const query = new URLSearchParams(filter).toString();
  const m = SUBJECT_PAGE.exec(url.pathname);
  const subject = m ? { type: m[1] === 'users' ? ('user' as const) : ('org' as const), id: m[2]!.toLowerCase() } : null;
  return { id: (url.pathname + (query ? `?${query}` : '')).slice(0, 500), path: url.pathname, filter, subject };
}

/**
 * Looks this process knows are recorded, with the time (this process's clock) until which their window stays open.
 * Sound because audit rows are never updated or deleted (the append-only triggers of the init migration): a look
 * found or written here stays recorded until its window closes, so asking the database again before then can only
 * answer "recorded". The window's end is counted from the row's age as the database tells it, so the app's and the
 * database's clocks need not agree. Bounded: the oldest entry goes first.
 */
const knownLooks = new Map<string, number>();
const KNOWN_LOOKS_MAX = 10_000;
/** Forget a known look this much before its window closes (a request in flight may straddle the end). */
const KNOWN_LOOK_MARGIN_MS = 1_000;
const WINDOW_MS = PLATFORM_VIEW_DEBOUNCE_MINUTES * 60_000;

function rememberLook(key: string, ageMs: number): void {
  knownLooks.delete(key);
  if (knownLooks.size >= KNOWN_LOOKS_MAX) knownLooks.delete(knownLooks.keys().next().value!);
  knownLooks.set(key, Date.now() + WINDOW_MS - ageMs - KNOWN_LOOK_MARGIN_MS);
}

function isKnownLook(key: string): boolean {
  const until = knownLooks.get(key);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  knownLooks.delete(key);
  return false;
}

/**
 * Records a staff member's look at tenant data (a platform page, route or export) as `platform.viewed`, with the
 * path and filter in `after`. Called by the platform page guard and route wrapper only (lib/authz/page.ts,
 * lib/actions/define-route.ts), so no view can forget it. Debounced in SQL, so it holds across app instances: a
 * transaction-scoped advisory lock per actor and view serializes concurrent looks, and the insert is skipped when
 * the same actor recorded the same view and filter within PLATFORM_VIEW_DEBOUNCE_MINUTES. True when a row was written.
 * A look at a user's or an org's detail page has that user or org as its target (and the org as its org).
 * A look this process already knows is recorded (`knownLooks`) costs no statement at all.
 */
export async function recordPlatformView(ctx: PlatformContext, pathWithQuery: string): Promise<boolean> {
  const view = platformViewOf(pathWithQuery);
  const target = view.subject ?? { type: 'platform_view', id: view.id };
  const key = `${ctx.user.id} ${target.type} ${target.id}`;
  if (isKnownLook(key)) return false;
  /** The age in ms of the newest recording of this look within the window, or null when there is none. */
  const recordedAge = async (q: Pick<Db, '$queryRaw'>) =>
    (
      await q.$queryRaw<{ age_ms: number }[]>`
        SELECT (extract(epoch FROM now() - at) * 1000)::float8 AS age_ms FROM audit_events
        WHERE actor_id = ${ctx.user.id}::uuid AND action = 'platform.viewed' AND target_type = ${target.type} AND target_id = ${target.id}
          AND at > now() - make_interval(mins => ${PLATFORM_VIEW_DEBOUNCE_MINUTES})
        ORDER BY at DESC LIMIT 1`
    )[0]?.age_ms ?? null;
  // Most looks repeat one recorded moments ago: one statement settles those, without a transaction or a lock (each
  // statement is a round trip, and a platform page is held to 50 ms). Only a look that may need recording takes
  // the lock and checks again under it, so concurrent first looks still write one row.
  const age = await recordedAge(db);
  if (age !== null) {
    rememberLook(key, age);
    return false;
  }
  const started = Date.now();
  const written = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${`platform.viewed ${ctx.user.id} ${view.id}`}))`;
    const ageUnderLock = await recordedAge(tx);
    if (ageUnderLock !== null) return { written: false, age: ageUnderLock };
    await audit(tx, ctx, {
      action: 'platform.viewed',
      orgId: view.subject?.type === 'org' ? view.subject.id : null,
      target,
      after: { path: view.path, filter: view.filter },
    });
    return { written: true, age: null };
  });
  // A row written here carries the transaction's start as its `at`, later than `started`: the time since is its
  // age at most (however long the lock was waited for).
  rememberLook(key, written.age ?? Date.now() - started);
  return written.written;
}
