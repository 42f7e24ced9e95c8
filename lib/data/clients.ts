import 'server-only';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client.ts';
import { activeAt } from './assignments';
import { byName, type Page } from './pagination';
import { isId } from './recipes';

/**
 * M2M clients (applications of type M2M) as subjects of role assignments: the org's read-only view of those acting
 * in it, and the platform's list. Their assignments are read and written in assignments.ts.
 */

export interface OrgClientDto {
  id: string;
  name: string;
  clientId: string;
  roles: { assignmentId: string; key: string; name: string; expiresAt: string | null }[];
}

/**
 * M2M clients acting in the caller's org, by name: `scope: 'org'` lists those with an unexpired role scoped to this
 * org (with those roles); `scope: 'global'` those with an unexpired global role, which acts in every org (with those
 * roles). Expired assignments count for nothing, as in the decision.
 */
export async function listOrgClients(
  ctx: OrgContext,
  params: { scope: 'org' | 'global'; cursor?: string; limit?: number },
): Promise<Page<OrgClientDto>> {
  const page = byName.query(params);
  const held: Prisma.RoleAssignmentWhereInput = { orgId: params.scope === 'org' ? ctx.org.id : null, ...activeAt(new Date()) };
  const rows = await db.application.findMany({
    where: { type: 'M2M', assignments: { some: held }, ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: {
      id: true,
      name: true,
      clientId: true,
      assignments: {
        where: held,
        orderBy: [{ role: { name: 'asc' } }, { id: 'asc' }],
        take: 100,
        select: { id: true, expiresAt: true, role: { select: { key: true, name: true } } },
      },
    },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map((a) => ({
      id: a.id,
      name: a.name,
      clientId: a.clientId,
      roles: a.assignments.map((r) => ({ assignmentId: r.id, key: r.role.key, name: r.role.name, expiresAt: r.expiresAt?.toISOString() ?? null })),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The platform's view (cross-tenant: callers hold platform:read through requirePlatform)

export interface ClientDto {
  id: string;
  name: string;
  clientId: string;
  description: string;
  /** Every role assignment the client holds, global and per org, expired ones included. */
  assignmentCount: number;
}

const clientSelect = {
  id: true,
  name: true,
  clientId: true,
  description: true,
  _count: { select: { assignments: true } },
} satisfies Prisma.ApplicationSelect;

function toClientDto(a: Prisma.ApplicationGetPayload<{ select: typeof clientSelect }>): ClientDto {
  return { id: a.id, name: a.name, clientId: a.clientId, description: a.description, assignmentCount: a._count.assignments };
}

/** Every M2M application, by name, searchable by name or Auth0 client id, with a count of its role assignments. */
export async function listClients(_ctx: PlatformContext, params: { q?: string; cursor?: string; limit?: number }): Promise<Page<ClientDto>> {
  const page = byName.query(params);
  const q = params.q?.trim();
  const rows = await db.application.findMany({
    where: {
      type: 'M2M',
      AND: [q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { clientId: { contains: q, mode: 'insensitive' } }] } : {}, page.where],
    },
    orderBy: page.orderBy,
    take: page.take,
    select: clientSelect,
  });
  const { items, nextCursor } = page.page(rows);
  return { nextCursor, items: items.map(toClientDto) };
}

/** One M2M application by its id, or null (also for an application of another type, or a malformed id). */
export async function getClient(_ctx: PlatformContext, clientAppId: string): Promise<ClientDto | null> {
  if (!isId(clientAppId)) return null;
  const app = await db.application.findFirst({ where: { id: clientAppId, type: 'M2M' }, select: clientSelect });
  return app ? toClientDto(app) : null;
}
