import 'server-only';
import { z } from 'zod';
import type { OrgContext } from '@/lib/authz/context';
import { db } from '@/lib/db';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

export interface OrgAssignmentDto {
  id: string;
  subject: string;
  subjectKind: 'user' | 'client';
  role: string;
  expiresAt: string | null;
  createdAt: string;
}

const Cursor = z.object({ createdAt: z.string().datetime(), id: z.string().uuid() });

/** Role assignments scoped to the caller's org, to users or to M2M clients, newest first. */
export async function listOrgAssignments(
  ctx: OrgContext,
  params: { kind: 'user' | 'client'; cursor?: string; limit?: number },
): Promise<Page<OrgAssignmentDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const rows = await db.roleAssignment.findMany({
    where: {
      orgId: ctx.org.id,
      ...(params.kind === 'user' ? { userId: { not: null } } : { clientAppId: { not: null } }),
      ...(cursor
        ? { OR: [{ createdAt: { lt: new Date(cursor.createdAt) } }, { createdAt: new Date(cursor.createdAt), id: { lt: cursor.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: {
      id: true,
      expiresAt: true,
      createdAt: true,
      role: { select: { name: true } },
      user: { select: { email: true } },
      clientApp: { select: { name: true, clientId: true } },
    },
  });
  const page = toPage(rows, limit, (last) => ({ createdAt: last.createdAt.toISOString(), id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id,
      subject: r.user?.email ?? (r.clientApp ? `${r.clientApp.name} (${r.clientApp.clientId})` : 'unknown'),
      subjectKind: r.user ? 'user' : 'client',
      role: r.role.name,
      expiresAt: r.expiresAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
