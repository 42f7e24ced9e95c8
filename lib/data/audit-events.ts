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

/** What a query is narrowed to, after the URL's filters were resolved to ids. */
export interface AuditWhere {
  orgId?: string;
  /** Only the actions an org's own log shows. */
  orgLogOnly?: boolean;
  actorId?: string;
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
};

const COLUMNS = Prisma.sql`id, at, actor_type, actor_id, actor_label, org_id, action, target_type, target_id, before, after, request_id, ip`;

function conditions(w: AuditWhere, cursor: { at: string; id: string } | undefined): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (w.orgId) c.push(Prisma.sql`org_id = ${w.orgId}::uuid`);
  if (w.orgLogOnly) c.push(Prisma.sql`action = ANY(${[...ORG_LOG_ACTIONS]}::text[])`);
  if (w.actorId) c.push(Prisma.sql`actor_id = ${w.actorId}::uuid`);
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

async function selectRows(w: AuditWhere, cursor: { at: string; id: string } | undefined, take: number): Promise<Row[]> {
  if (!w.subjectUserId) {
    return db.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM audit_events ${whereSql(conditions(w, cursor))} ORDER BY at DESC, id DESC LIMIT ${take}`;
  }
  // "By or about" as two index range scans (actor_id, at, id) and (target_type, target_id, at, id), merged.
  const base = conditions(w, cursor);
  const by = whereSql([...base, Prisma.sql`actor_id = ${w.subjectUserId}::uuid`]);
  const about = whereSql([...base, Prisma.sql`target_type = 'user'`, Prisma.sql`target_id = ${w.subjectUserId}`]);
  return db.$queryRaw<Row[]>`
    SELECT * FROM (
      (SELECT ${COLUMNS} FROM audit_events ${by} ORDER BY at DESC, id DESC LIMIT ${take})
      UNION
      (SELECT ${COLUMNS} FROM audit_events ${about} ORDER BY at DESC, id DESC LIMIT ${take})
    ) e ORDER BY at DESC, id DESC LIMIT ${take}`;
}

const uuidsOf = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v && UUID.safeParse(v).success))];

/** Current labels of the people, orgs and catalog things a page of events names (one query per kind, by id). */
async function resolve(rows: Row[]): Promise<AuditEventDto[]> {
  const targetIds = (type: string) => uuidsOf(rows.filter((r) => r.target_type === type).map((r) => r.target_id));
  const userIds = uuidsOf([...rows.filter((r) => r.actor_type === 'user').map((r) => r.actor_id), ...targetIds('user')]);
  const orgIds = uuidsOf([...rows.map((r) => r.org_id), ...targetIds('org')]);
  const kinds = { role: targetIds('role'), api: targetIds('api'), application: targetIds('application'), rule: targetIds('rule'), api_key: targetIds('api_key') };
  // One statement for every kind of name a page shows (a round trip each would cost more than the rows).
  const labels =
    userIds.length + orgIds.length + Object.values(kinds).reduce((n, ids) => n + ids.length, 0) === 0
      ? []
      : await db.$queryRaw<{ kind: string; id: string; label: string; slug: string | null }[]>`
          SELECT 'user' AS kind, id::text, coalesce(nullif(name, ''), email) AS label, NULL AS slug FROM users WHERE id = ANY(${userIds}::uuid[])
          UNION ALL SELECT 'org', id::text, name, slug FROM orgs WHERE id = ANY(${orgIds}::uuid[])
          UNION ALL SELECT 'role', id::text, name, NULL FROM roles WHERE id = ANY(${kinds.role}::uuid[])
          UNION ALL SELECT 'api', id::text, name, NULL FROM apis WHERE id = ANY(${kinds.api}::uuid[])
          UNION ALL SELECT 'application', id::text, name, NULL FROM applications WHERE id = ANY(${kinds.application}::uuid[])
          UNION ALL SELECT 'rule', id::text, name, NULL FROM default_role_rules WHERE id = ANY(${kinds.rule}::uuid[])
          UNION ALL SELECT 'api_key', id::text, name, NULL FROM api_keys WHERE id = ANY(${kinds.api_key}::uuid[])`;
  const userLabel = new Map(labels.filter((l) => l.kind === 'user').map((l) => [l.id, l.label]));
  const orgById = new Map(labels.filter((l) => l.kind === 'org').map((l) => [l.id, { id: l.id, name: l.label, slug: l.slug! }]));
  const names = new Map(labels.filter((l) => l.kind !== 'user' && l.kind !== 'org').map((l) => [`${l.kind}:${l.id}`, l.label]));
  const targetLabel = (type: string, id: string): string | null => {
    if (type === 'user') return userLabel.get(id) ?? null;
    if (type === 'org') return orgById.get(id)?.name ?? null;
    return names.get(`${type}:${id}`) ?? null;
  };
  return rows.map((r) => {
    const org = r.org_id ? orgById.get(r.org_id) : undefined;
    const tLabel = r.target_type && r.target_id ? targetLabel(r.target_type, r.target_id) : null;
    return {
      id: r.id.toString(),
      at: r.at.toISOString(),
      action: r.action,
      actor: {
        type: r.actor_type,
        id: r.actor_id,
        label: (r.actor_type === 'user' && r.actor_id ? userLabel.get(r.actor_id) : undefined) ?? r.actor_label,
      },
      org: r.org_id ? { id: r.org_id, label: org?.name ?? 'a deleted organization', slug: org?.slug ?? null, known: !!org } : null,
      target: r.target_type ? { type: r.target_type, id: r.target_id, label: tLabel, known: tLabel !== null } : null,
      before: r.before,
      after: r.after,
      requestId: r.request_id,
      ip: r.ip,
    };
  });
}

async function queryEvents(w: AuditWhere, params: { cursor?: string; limit?: number }): Promise<Page<AuditEventDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const rows = await selectRows(w, cursor, limit + 1);
  const page = toPage(rows, limit, (last) => ({ at: last.at.toISOString(), id: last.id.toString() }));
  return { nextCursor: page.nextCursor, items: await resolve(page.items) };
}

/** The first instant of a `YYYY-MM-DD` day (UTC), and of the day after (for an inclusive `to`). */
function dayStart(day: string | undefined, plusDays = 0): Date | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d;
}

/** A user id, or the id of the user with this email (case-insensitive); null when no one matches. */
async function resolveUser(term: string): Promise<string | null> {
  if (UUID.safeParse(term).success) return term;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE lower(email) COLLATE "C" = ${term.toLowerCase()} ORDER BY id LIMIT 1`;
  return rows[0]?.id ?? null;
}

/** `type:id`, or a bare id (of any type). */
function parseTarget(term: string): { targetType?: string; targetId: string } {
  const m = /^([a-z_]+):(.+)$/.exec(term);
  return m ? { targetType: m[1]!, targetId: m[2]! } : { targetId: term };
}

/** Thrown away by the lists: a filter that names no one matches nothing. */
const NOTHING: Page<AuditEventDto> = { items: [], nextCursor: null };

/**
 * The org's own audit log, newest first: only its events, and only the actions its members see (ORG_LOG_ACTIONS).
 * Filters: actor (id or email), action, days. Another org's events, events without an org and the platform's records
 * about this org (staff looks, suspensions, operators' rules and assignments) never appear.
 */
export async function listOrgAuditEvents(ctx: OrgContext, filters: Omit<AuditFilters, 'org' | 'target'> & { limit?: number }): Promise<Page<AuditEventDto>> {
  const actorId = filters.actor ? await resolveUser(filters.actor) : undefined;
  if (actorId === null) return NOTHING;
  return queryEvents(
    { orgId: ctx.org.id, orgLogOnly: true, actorId, action: filters.action, from: dayStart(filters.from), to: dayStart(filters.to, 1) },
    filters,
  );
}

/** The resolved form of the global log's filter, or null when a filter names no org or person. */
export async function resolvePlatformAuditFilters(filters: AuditFilters): Promise<AuditWhere | null> {
  let orgId: string | undefined;
  if (filters.org) {
    if (UUID.safeParse(filters.org).success) orgId = filters.org;
    else {
      // A plain statement (the unique index on slug): the query builder's planning cost more than the lookup.
      const [org] = await db.$queryRaw<{ id: string }[]>`SELECT id FROM orgs WHERE slug = ${filters.org.toLowerCase()}`;
      if (!org) return null;
      orgId = org.id;
    }
  }
  const actorId = filters.actor ? await resolveUser(filters.actor) : undefined;
  if (actorId === null) return null;
  return {
    orgId,
    actorId,
    action: filters.action,
    ...(filters.target ? parseTarget(filters.target) : {}),
    from: dayStart(filters.from),
    to: dayStart(filters.to, 1),
  };
}

/** The global audit log, newest first, every org and the platform's own events. Cross-tenant: platform_audit:read. */
export async function listPlatformAuditEvents(_ctx: PlatformContext, filters: AuditFilters & { limit?: number }): Promise<Page<AuditEventDto>> {
  const where = await resolvePlatformAuditFilters(filters);
  return where ? queryEvents(where, filters) : NOTHING;
}

/** Events by a user or about them, newest first (the user detail's audit trail). Cross-tenant: platform:read. */
export async function listUserAuditTrail(_ctx: PlatformContext, userId: string, params: { cursor?: string; limit?: number } = {}): Promise<Page<AuditEventDto>> {
  if (!UUID.safeParse(userId).success) return NOTHING;
  return queryEvents({ subjectUserId: userId }, params);
}

/** One event of the global log by id, or null. */
export async function getPlatformAuditEvent(_ctx: PlatformContext, eventId: string): Promise<AuditEventDto | null> {
  if (!/^\d{1,18}$/.test(eventId)) return null;
  const rows = await db.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM audit_events WHERE id = ${BigInt(eventId)}`;
  return rows.length ? (await resolve(rows))[0]! : null;
}

