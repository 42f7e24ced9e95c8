import 'server-only';
import { z } from 'zod';
import type { OrgContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { decodeCursor, pageSize, toPage, type Page } from './pagination';

export interface AuditEventDto {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

const Cursor = z.object({ id: z.string().regex(/^\d+$/) });

/** The org's audit log, newest first, cursor-paginated. */
export async function listOrgAuditEvents(
  ctx: OrgContext,
  params: { cursor?: string; limit?: number; action?: string },
): Promise<Page<AuditEventDto>> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(Cursor, params.cursor);
  const rows = await db.auditEvent.findMany({
    where: {
      orgId: ctx.org.id,
      ...(params.action ? { action: { startsWith: params.action } } : {}),
      ...(cursor ? { id: { lt: BigInt(cursor.id) } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: {
      id: true,
      at: true,
      actorType: true,
      actorLabel: true,
      action: true,
      targetType: true,
      targetId: true,
      before: true,
      after: true,
      requestId: true,
    },
  });
  const page = toPage(rows, limit, (last) => ({ id: last.id.toString() }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      actor: r.actorLabel ?? r.actorType,
      action: r.action,
      target: r.targetType ? `${r.targetType}:${r.targetId ?? ''}` : null,
      before: r.before,
      after: r.after,
      requestId: r.requestId,
    })),
  };
}
