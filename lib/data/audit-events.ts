import 'server-only';
import { z } from 'zod';
import { ORG_LOG_ACTIONS } from '@/lib/audit';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import type { AuditFilters } from '@/lib/schemas/audit';
import { cursorSchema, decodeCursor, pageSize, toPage, type Page } from './pagination';

/**
 * The audit logs: an org's own (scoped to the org and to ORG_LOG_ACTIONS) and the platform's global one (every event,
 * cross-tenant: callers hold platform_audit:read). Both page newest first by (at, id) with a row comparison, so each
 * page is a range scan of one of the (…, at, id) indexes (migration 20261203020000; plans in ADR 0010), and both
 * answer events with the people, orgs and things they name resolved to labels for the sentences of
 * lib/audit-sentences.ts.
 */

export interface AuditEventDto {
  id: string;
  at: string;
  action: string;
  actor: { type: string; id: string | null; label: string | null };
  /** The org the event belongs to; `known` false when it has been deleted since. */
  org: { id: string; label: string; slug: string | null; known: boolean } | null;
  /** `label` is the thing's current name when it still exists. */
  target: { type: string; id: string | null; label: string | null; known: boolean } | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

/** What a query is narrowed to: the URL's filters, a slug or an email looked up within the same statement. */
export interface AuditWhere {
  orgId?: string;
  /** The org with this slug (none: nothing matches). */
  orgSlug?: string;
  /** Only the actions an org's own log shows. */
  orgLogOnly?: boolean;
  actorId?: string;
  /** The user with this email, case-insensitive (none: nothing matches). */
  actorEmail?: string;
  /** Events by this user or about them (target user). */
  subjectUserId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

const Cursor = cursorSchema({ at: 'date', id: 'bigint' });
const UUID = z.string().uuid();

type Row = {
  id: bigint;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  org_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  ip: string | null;
  /** Current names, joined in by `eventsWithLabels`. */
  actor_name: string | null;
  org_name: string | null;
  org_slug: string | null;
  target_name: string | null;
};

const COLUMNS = Prisma.sql`id, at, actor_type, actor_id, actor_label, org_id, action, target_type, target_id, before, after, request_id, ip`;

function conditions(w: AuditWhere, cursor: { at: string; id: string } | undefined): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (w.orgId) c.push(Prisma.sql`org_id = ${w.orgId}::uuid`);
  // A name resolved inside the statement: the lookup is an InitPlan whose result bounds the index scan, so a
  // filter by slug or email costs no round trip of its own (an unknown one yields NULL and matches nothing).
  if (w.orgSlug) c.push(Prisma.sql`org_id = (SELECT id FROM orgs WHERE slug = ${w.orgSlug.toLowerCase()})`);
  if (w.orgLogOnly) c.push(Prisma.sql`action = ANY(${[...ORG_LOG_ACTIONS]}::text[])`);
  if (w.actorId) c.push(Prisma.sql`actor_id = ${w.actorId}::uuid`);
  if (w.actorEmail) {
    c.push(Prisma.sql`actor_id = (SELECT id FROM users WHERE lower(email) COLLATE "C" = ${w.actorEmail.toLowerCase()} ORDER BY id LIMIT 1)`);
  }
  if (w.action) c.push(Prisma.sql`action = ${w.action}`);
  if (w.targetType) c.push(Prisma.sql`target_type = ${w.targetType}`);
  if (w.targetId) c.push(Prisma.sql`target_id = ${w.targetId}`);
  if (w.from) c.push(Prisma.sql`at >= ${w.from}`);
  if (w.to) c.push(Prisma.sql`at < ${w.to}`);
  // A row comparison, not "at < x OR (at = x AND id < y)": PostgreSQL turns it into an index bound.
  if (cursor) c.push(Prisma.sql`(at, id) < (${new Date(cursor.at)}::timestamptz, ${BigInt(cursor.id)}::bigint)`);
  return c;
}

function whereSql(c: Prisma.Sql[]): Prisma.Sql {
  return c.length > 0 ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty;
}

/**
 * A page of events (`source`: a SELECT of COLUMNS) with the current names of the people, orgs and catalog things
 * they name, in one statement: a page is one round trip, however many kinds of names it shows. A target id that is
 * not a uuid (a platform view's path, say) names nothing.
 */
function eventsWithLabels(source: Prisma.Sql): Prisma.Sql {
  // Scalar subqueries by primary key, each run only for the rows whose type asks for it: cheaper to plan and run
  // than joins (measured side by side: ADR 0009).
  return Prisma.sql`
    WITH e AS (${source})
    SELECT e.*,
      CASE WHEN e.actor_type = 'user' THEN (SELECT coalesce(nullif(name, ''), email) FROM users WHERE id = e.actor_id) END AS actor_name,
      (SELECT name FROM orgs WHERE id = e.org_id) AS org_name,
      (SELECT slug FROM orgs WHERE id = e.org_id) AS org_slug,
      CASE WHEN e.target_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN CASE e.target_type
        WHEN 'user' THEN (SELECT coalesce(nullif(name, ''), email) FROM users WHERE id = e.target_id::uuid)
        WHEN 'org' THEN (SELECT name FROM orgs WHERE id = e.target_id::uuid)
        WHEN 'role' THEN (SELECT name FROM roles WHERE id = e.target_id::uuid)
        WHEN 'api' THEN (SELECT name FROM apis WHERE id = e.target_id::uuid)
        WHEN 'application' THEN (SELECT name FROM applications WHERE id = e.target_id::uuid)
        WHEN 'rule' THEN (SELECT name FROM default_role_rules WHERE id = e.target_id::uuid)
        WHEN 'api_key' THEN (SELECT name FROM api_keys WHERE id = e.target_id::uuid)
      END END AS target_name
    FROM e
    ORDER BY e.at DESC, e.id DESC`;
}

async function selectRows(w: AuditWhere, cursor: { at: string; id: string } | undefined, take: number): Promise<Row[]> {
  if (!w.subjectUserId) {
    return db.$queryRaw<Row[]>(
      eventsWithLabels(Prisma.sql`SELECT ${COLUMNS} FROM audit_events ${whereSql(conditions(w, cursor))} ORDER BY at DESC, id DESC LIMIT ${take}`),
    );
  }
  // "By or about" as two index range scans (actor_id, at, id) and (target_type, target_id, at, id), merged.
  const base = conditions(w, cursor);
  const by = whereSql([...base, Prisma.sql`actor_id = ${w.subjectUserId}::uuid`]);
  const about = whereSql([...base, Prisma.sql`target_type = 'user'`, Prisma.sql`target_id = ${w.subjectUserId}`]);
  return db.$queryRaw<Row[]>(
    eventsWithLabels(Prisma.sql`
      SELECT * FROM (
        (SELECT ${COLUMNS} FROM audit_events ${by} ORDER BY at DESC, id DESC LIMIT ${take})
        UNION
        (SELECT ${COLUMNS} FROM audit_events ${about} ORDER BY at DESC, id DESC LIMIT ${take})
      ) e ORDER BY at DESC, id DESC LIMIT ${take}`),
  );
}

function toDto(r: Row): AuditEventDto {
  return {
    id: r.id.toString(),
    at: r.at.toISOString(),
    action: r.action,
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_name ?? r.actor_label },
    org: r.org_id ? { id: r.org_id, label: r.org_name ?? 'a deleted organization', slug: r.org_slug, known: r.org_name !== null } : null,
    target: r.target_type ? { type: r.target_type, id: r.target_id, label: r.target_name, known: r.target_name !== null } : null,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
    ip: r.ip,
  };
}

async function queryEvents(w: AuditWhere, params: { cursor?: string; limit?: number }): Promise<Page<AuditEventDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const rows = await selectRows(w, cursor, limit + 1);
  const page = toPage(rows, limit, (last) => ({ at: last.at.toISOString(), id: last.id.toString() }));
  return { nextCursor: page.nextCursor, items: page.items.map(toDto) };
}

/** The first instant of a `YYYY-MM-DD` day (UTC), and of the day after (for an inclusive `to`). */
function dayStart(day: string | undefined, plusDays = 0): Date | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d;
}

/** An actor filter: a user id, or an email (case-insensitive). */
function actorWhere(term: string | undefined): Pick<AuditWhere, 'actorId' | 'actorEmail'> {
  if (!term) return {};
  return UUID.safeParse(term).success ? { actorId: term } : { actorEmail: term };
}

/** `type:id`, or a bare id (of any type). */
function parseTarget(term: string): { targetType?: string; targetId: string } {
  const m = /^([a-z_]+):(.+)$/.exec(term);
  return m ? { targetType: m[1]!, targetId: m[2]! } : { targetId: term };
}

/**
 * The org's own audit log, newest first: only its events, and only the actions its members see (ORG_LOG_ACTIONS).
 * Filters: actor (id or email), action, days. Another org's events, events without an org and the platform's records
 * about this org (staff looks, suspensions, operators' rules and assignments) never appear.
 */
export async function listOrgAuditEvents(ctx: OrgContext, filters: Omit<AuditFilters, 'org' | 'target'> & { limit?: number }): Promise<Page<AuditEventDto>> {
  return queryEvents(
    { orgId: ctx.org.id, orgLogOnly: true, ...actorWhere(filters.actor), action: filters.action, from: dayStart(filters.from), to: dayStart(filters.to, 1) },
    filters,
  );
}

/** The global log's filter as conditions (an org by id or slug, a person by id or email). */
function platformAuditWhere(filters: AuditFilters): AuditWhere {
  const org = filters.org ? (UUID.safeParse(filters.org).success ? { orgId: filters.org } : { orgSlug: filters.org }) : {};
  return {
    ...org,
    ...actorWhere(filters.actor),
    action: filters.action,
    ...(filters.target ? parseTarget(filters.target) : {}),
    from: dayStart(filters.from),
    to: dayStart(filters.to, 1),
  };
}

/** The global audit log, newest first, every org and the platform's own events. Cross-tenant: platform_audit:read. */
export async function listPlatformAuditEvents(_ctx: PlatformContext, filters: AuditFilters & { limit?: number }): Promise<Page<AuditEventDto>> {
  return queryEvents(platformAuditWhere(filters), filters);
}

/** Events by a user or about them, newest first (the user detail's audit trail). Cross-tenant: platform:read. */
export async function listUserAuditTrail(_ctx: PlatformContext, userId: string, params: { cursor?: string; limit?: number } = {}): Promise<Page<AuditEventDto>> {
  if (!UUID.safeParse(userId).success) return { items: [], nextCursor: null };
  return queryEvents({ subjectUserId: userId }, params);
}

/** One event of the global log by id, or null. */
export async function getPlatformAuditEvent(_ctx: PlatformContext, eventId: string): Promise<AuditEventDto | null> {
  if (!/^\d{1,18}$/.test(eventId)) return null;
  const [row] = await db.$queryRaw<Row[]>(eventsWithLabels(Prisma.sql`SELECT ${COLUMNS} FROM audit_events WHERE id = ${BigInt(eventId)}`));
  return row ? toDto(row) : null;
}

