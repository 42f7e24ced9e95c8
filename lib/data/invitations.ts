import 'server-only';
import { z } from 'zod';
import type { OrgContext, UserContext } from '@/lib/authz/context';
import type { Tier } from '@/lib/authz/permissions';
import { db } from '@/lib/db';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

export type InvitationStatus = 'pending' | 'expired' | 'accepted' | 'revoked';

export interface InvitationDto {
  id: string;
  email: string;
  tier: Tier;
  status: InvitationStatus;
  roles: string[];
  invitedBy: string | null;
  expiresAt: string;
  createdAt: string;
  sendCount: number;
}

function statusOf(i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InvitationStatus {
  if (i.acceptedAt) return 'accepted';
  if (i.revokedAt) return 'revoked';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

const Cursor = z.object({ createdAt: z.string().datetime(), id: z.string().uuid() });

/** Invitations of the caller's org, newest first, optionally filtered by status. */
export async function listInvitations(
  ctx: OrgContext,
  params: { status?: InvitationStatus; cursor?: string; limit?: number },
): Promise<Page<InvitationDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const now = new Date();
  const statusWhere =
    params.status === 'accepted'
      ? { acceptedAt: { not: null } }
      : params.status === 'revoked'
        ? { revokedAt: { not: null } }
        : params.status === 'expired'
          ? { acceptedAt: null, revokedAt: null, expiresAt: { lte: now } }
          : params.status === 'pending'
            ? { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }
            : {};
  const rows = await db.invitation.findMany({
    where: {
      orgId: ctx.org.id,
      ...statusWhere,
      ...(cursor
        ? {
            OR: [
              { createdAt: { lt: new Date(cursor.createdAt) } },
              { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: {
      id: true,
      email: true,
      tier: true,
      acceptedAt: true,
      revokedAt: true,
      expiresAt: true,
      createdAt: true,
      sendCount: true,
      invitedBy: { select: { email: true } },
      roles: { select: { role: { select: { name: true } } } },
    },
  });
  const page = toPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      email: r.email,
      tier: r.tier,
      status: statusOf(r, now),
      roles: r.roles.map((x) => x.role.name),
      invitedBy: r.invitedBy?.email ?? null,
      expiresAt: r.expiresAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      sendCount: r.sendCount,
    })),
  };
}

/**
 * How many open invitations await the signed-in user's verified email (none for an unverified email, so nobody
 * learns about invitations by signing up with someone else's address).
 */
export async function getPendingInvitationFor(ctx: UserContext): Promise<number> {
  const user = await db.user.findUnique({ where: { id: ctx.user.id }, select: { email: true, emailVerified: true } });
  if (!user?.emailVerified) return 0;
  return db.invitation.count({
    where: { email: user.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
  });
}
