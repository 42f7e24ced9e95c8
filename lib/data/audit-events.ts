import 'server-only';
import type { OrgContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { desc, keyset, type Page } from './pagination';

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

/** Audit ids are a bigserial: newest first is highest id first. */
const newestFirst = keyset(desc('id', 'bigint'));

/** The org's audit log, newest first, cursor-paginated. */
export async function listOrgAuditEvents(
  ctx: OrgContext,
  params: { cursor?: string; limit?: number; action?: string },
): Promise<Page<AuditEventDto>> {
  const page = newestFirst.query(params);
  const rows = await db.auditEvent.findMany({
    where: {
      orgId: ctx.org.id,
      ...(params.action ? { action: { startsWith: params.action } } : {}),
      ...page.where,
    },
    orderBy: page.orderBy,
    take: page.take,
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
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map((r) => ({
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
