import 'server-only';
import { z } from 'zod';
import { decide } from '@/lib/access/decide';
import { loadAssignments, loadCatalog, loadMemberships, loadUserFacts, prismaReader, type LoadedCatalog } from '@/lib/access/load';
import { reasonText } from '@/lib/access/reason-text';
import type { CatalogApplication, OrgFact, Tier } from '@/lib/access/types';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import type { AppType } from '@/lib/vocabulary';
import { decodeCursor, encodeCursor, pageSize } from './pagination';
import { isId } from './recipes';

/**
 * What people can reach, seen from either end: a member's "Your applications" on their org home, and an
 * application's "Who can reach this" on its platform page. Both ask `decide` (lib/access) over the facts the one
 * loader reads, so they agree with the matrix and /api/v1/check; reasons name roles by their names (reasonText).
 */

export interface MyApplicationDto {
  id: string;
  name: string;
  type: AppType;
  url: string | null;
  allow: boolean;
  code: string;
  /** decide's reason with roles by name. */
  reason: string;
  /** When denied: the roles that would grant access (the roles mapped to it), by name. */
  wouldGrant: string[];
}

/**
 * Every application (not M2M clients) the signed-in member can reach in this org, and the ones they cannot with the
 * roles that would let them in. Reachable ones first, each group by name.
 */
export async function listMyApplications(ctx: OrgContext): Promise<MyApplicationDto[]> {
  const reader = prismaReader(db);
  const [catalog, facts, urls] = await Promise.all([
    loadCatalog(reader),
    loadUserFacts(reader, ctx.user.id),
    db.application.findMany({ where: { url: { not: null } }, select: { id: true, url: true } }),
  ]);
  const urlOf = new Map(urls.map((u) => [u.id, u.url]));
  const m = facts.memberships.find((x) => x.orgId === ctx.org.id) ?? null;
  const org: OrgFact = { id: ctx.org.id, slug: ctx.org.slug, suspended: m?.suspended ?? false };
  const subject = {
    kind: 'user' as const,
    id: ctx.user.id,
    blocked: ctx.user.blocked,
    membership: m ? { orgId: m.orgId, tier: m.tier } : null,
    assignments: facts.assignments,
  };
  const now = new Date();
  const apps = catalog.applications
    .filter((a) => a.type !== 'M2M')
    .map((a): MyApplicationDto => {
      const d = decide({ subject, org, target: { kind: 'application', application: a }, now, catalog });
      return {
        id: a.id,
        name: a.name,
        type: a.type,
        url: urlOf.get(a.id) ?? null,
        allow: d.allow,
        code: d.reason.code,
        reason: reasonText(d.reason, catalog, a.name),
        wouldGrant: d.allow ? [] : wouldGrant(catalog, a),
      };
    });
  return [...apps.filter((a) => a.allow), ...apps.filter((a) => !a.allow)];
}

function wouldGrant(catalog: LoadedCatalog, app: CatalogApplication): string[] {
  if (app.accessPolicy === 'OPEN') return [];
  return app.roleIds.map((id) => catalog.roles.get(id)?.name ?? id);
}

// ---------------------------------------------------------------------------------------------------------------
// Who can reach an application

/**
 * How many people an application would let in if it were Open: decide's OPEN rule allows any member of the org
 * asked about who is not blocked, in an org that is not suspended. So it is the people, not blocked, with at least
 * one membership in an org that is not suspended (the reach integration test checks it against decide).
 */
export async function countOpenReach(_ctx: PlatformContext): Promise<{ people: number; orgs: number }> {
  const [row] = await db.$queryRaw<{ people: bigint; orgs: bigint }[]>`
    SELECT count(DISTINCT m.user_id) AS people, count(DISTINCT m.org_id) AS orgs
    FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id
    WHERE u.blocked_at IS NULL AND o.suspended_at IS NULL`;
  return { people: Number(row?.people ?? 0), orgs: Number(row?.orgs ?? 0) };
}

export interface ReachRowDto {
  orgId: string;
  orgSlug: string;
  orgName: string;
  userId: string;
  email: string;
  name: string | null;
  tier: Tier;
  /** decide's reason with roles by name. */
  reason: string;
}

export interface ReachPage {
  items: ReachRowDto[];
  nextCursor: string | null;
}

const ReachCursor = z.object({ s: z.string().refine((s) => !s.includes('\u0000')), e: z.string().refine((s) => !s.includes('\u0000')), id: z.string().uuid() });

type Candidate = { org_id: string; org_slug: string; org_name: string; user_id: string; email: string; name: string | null; tier: Tier; email_key: string };

/**
 * The people who can reach an application, per org (ordered by org slug, then email), keyset-paginated. SQL picks
 * the candidates (members, not blocked, of orgs not suspended, who hold a mapped role through their tier or an
 * unexpired assignment, or everyone for Open); `decide` has the last word (All mapped roles) and gives the reason.
 * `orgSlug` narrows it to one org. Null for an unknown application or an M2M client.
 */
export async function listWhoCanReach(
  _ctx: PlatformContext,
  applicationId: string,
  params: { orgSlug?: string; cursor?: string; limit?: number } = {},
): Promise<ReachPage | null> {
  if (!isId(applicationId)) return null;
  const reader = prismaReader(db);
  const catalog = await loadCatalog(reader);
  const app = catalog.applications.find((a) => a.id === applicationId);
  if (!app || app.type === 'M2M') return null;
  const limit = pageSize(params.limit);
  if (app.accessPolicy !== 'OPEN' && app.roleIds.length === 0) return { items: [], nextCursor: null };
  const mapped = app.roleIds;
  const tiers = mapped.map((id) => catalog.roles.get(id)?.tier).filter((t): t is Tier => Boolean(t));
  const holds =
    app.accessPolicy === 'OPEN'
      ? Prisma.empty
      : Prisma.sql` AND (${tiers.length > 0 ? Prisma.sql`m.tier::text = ANY(${tiers}::text[]) OR ` : Prisma.empty}EXISTS (
          SELECT 1 FROM role_assignments a WHERE a.user_id = m.user_id AND a.role_id = ANY(${mapped}::uuid[])
            AND (a.org_id IS NULL OR a.org_id = m.org_id) AND (a.expires_at IS NULL OR a.expires_at > now())))`;
  const bySlug = params.orgSlug ? Prisma.sql` AND o.slug = ${params.orgSlug}` : Prisma.empty;
  const out: ReachRowDto[] = [];
  let cursor = decodeCursor(ReachCursor, params.cursor);
  const now = new Date();
  // decide may drop candidates (All mapped roles), so read batches until the page is full or the rows run out.
  for (;;) {
    const keyset = cursor ? Prisma.sql` AND (o.slug, lower(u.email), u.id) > (${cursor.s}, ${cursor.e}, ${cursor.id}::uuid)` : Prisma.empty;
    const batch = await db.$queryRaw<Candidate[]>`
      SELECT o.id AS org_id, o.slug AS org_slug, o.name AS org_name, u.id AS user_id, u.email, u.name, m.tier::text AS tier,
             lower(u.email) AS email_key
      FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id
      WHERE u.blocked_at IS NULL AND o.suspended_at IS NULL${bySlug}${holds}${keyset}
      ORDER BY o.slug, lower(u.email), u.id
      LIMIT ${limit + 1}`;
    const byOrg = new Map<string, Candidate[]>();
    for (const c of batch.slice(0, limit)) byOrg.set(c.org_id, [...(byOrg.get(c.org_id) ?? []), c]);
    const decided = new Map<string, string | null>();
    for (const [orgId, rows] of byOrg) {
      const ids = rows.map((r) => r.user_id);
      const [assignments, memberships] = await Promise.all([
        loadAssignments(reader, 'user', ids, orgId),
        loadMemberships(reader, ids, orgId),
      ]);
      for (const r of rows) {
        const tier = memberships.get(r.user_id) ?? null;
        const d = decide({
          subject: { kind: 'user', id: r.user_id, blocked: false, membership: tier ? { orgId, tier } : null, assignments: assignments.get(r.user_id) ?? [] },
          org: { id: orgId, slug: r.org_slug, suspended: false },
          target: { kind: 'application', application: app },
          now,
          catalog,
        });
        decided.set(`${orgId}/${r.user_id}`, d.allow ? reasonText(d.reason, catalog, app.name) : null);
      }
    }
    for (const c of batch.slice(0, limit)) {
      const reason = decided.get(`${c.org_id}/${c.user_id}`);
      if (reason && out.length < limit) {
        out.push({ orgId: c.org_id, orgSlug: c.org_slug, orgName: c.org_name, userId: c.user_id, email: c.email, name: c.name, tier: c.tier, reason });
      }
      cursor = { s: c.org_slug, e: c.email_key, id: c.user_id };
      if (out.length === limit) {
        // A full page: there is more when this batch or the table has rows after the one just taken.
        const more = batch.indexOf(c) < batch.length - 1;
        return { items: out, nextCursor: more ? encodeCursor(cursor) : null };
      }
    }
    if (batch.length <= limit) return { items: out, nextCursor: null };
  }
}

/** For readers who cannot write (the form is not shown to them). */
export const NO_REACH = { people: 0, orgs: 0 } as const;

/** The applications "Who can reach" lists (not M2M clients), by name: for the CSV of every application. */
export async function listReachableApplicationIds(_ctx: PlatformContext): Promise<{ id: string; name: string }[]> {
  return db.application.findMany({ where: { type: { not: 'M2M' } }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true } });
}
