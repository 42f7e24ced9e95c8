import 'server-only';
import { z } from 'zod';
import type { OrgContext } from '@/lib/authz/context';
import type { Tier } from '@/lib/authz/permissions';
import { db } from '@/lib/db';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

export interface MemberDto {
  membershipId: string;
  userId: string;
  email: string;
  name: string | null;
  tier: Tier;
  roles: { key: string; name: string }[];
  lastLoginAt: string | null;
  joinedAt: string;
}

const Cursor = z.object({ email: z.string(), id: z.string().uuid() });

/** Members of the caller's org, searchable by name or email, ordered by email, cursor-paginated. */
export async function listMembers(
  ctx: OrgContext,
  params: { q?: string; cursor?: string; limit?: number },
): Promise<Page<MemberDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const q = params.q?.trim();
  const rows = await db.membership.findMany({
    where: {
      orgId: ctx.org.id,
      ...(q
        ? { user: { OR: [{ email: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } }
        : {}),
      ...(cursor
        ? { OR: [{ user: { email: { gt: cursor.email } } }, { user: { email: cursor.email }, id: { gt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ user: { email: 'asc' } }, { id: 'asc' }],
    take: limit + 1,
    select: {
      id: true,
      tier: true,
      createdAt: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          lastLoginAt: true,
          assignments: {
            where: { orgId: ctx.org.id, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
            select: { role: { select: { key: true, name: true } } },
            take: 50,
          },
        },
      },
    },
  });
  const page = toPage(rows, limit, (last) => ({ email: last.user.email, id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      membershipId: r.id,
      userId: r.user.id,
      email: r.user.email,
      name: r.user.name,
      tier: r.tier,
      roles: r.user.assignments.map((a) => a.role),
      lastLoginAt: r.user.lastLoginAt?.toISOString() ?? null,
      joinedAt: r.createdAt.toISOString(),
    })),
  };
}

/** The caller's membership in the org named by `slug`, with the org: the one query behind every org page and action. */
export async function findMembershipBySlug(userId: string, slug: string) {
  return db.membership.findFirst({
    where: { userId, org: { slug } },
    select: {
      id: true,
      tier: true,
      org: { select: { id: true, slug: true, name: true, invitationTtlDays: true, suspendedAt: true } },
    },
  });
}
