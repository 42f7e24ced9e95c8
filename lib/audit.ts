import type { Prisma } from '@/lib/generated/prisma/client.ts';
import type { Tx } from '@/lib/db';

/**
 * Every mutation writes one audit event in the same transaction as the change. The table is append-only
 * (a database trigger refuses UPDATE, DELETE and TRUNCATE).
 */
export const AUDIT_ACTIONS = [
  'org.created',
  'org.updated',
  'org.suspended',
  'org.reinstated',
  'member.added',
  'member.tier_changed',
  'member.removed',
  'member.left',
  'member.roles_changed',
  'ownership.transferred',
  'invitation.created',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  'user.signed_up',
  'user.imported',
  'user.blocked',
  'user.unblocked',
  'user.platform_role_changed',
  'user.signed_out_everywhere',
  'role.created',
  'role.updated',
  'role.deleted',
  'api.created',
  'api.updated',
  'api.deleted',
  'application.created',
  'application.updated',
  'application.deleted',
  'assignment.created',
  'assignment.deleted',
  'rule.created',
  'rule.updated',
  'rule.deleted',
  'rule.backfilled',
  'api_key.created',
  'api_key.revoked',
  'import.started',
  'import.finished',
  'platform.viewed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The actions an org's own audit log shows (for events carrying its org id): what its members did, and who joined.
 * Everything else that names the org is the platform's record about it (a staff look, a suspension, a rule or role
 * assignment an operator made, an Auth0 link), kept in the global audit log only.
 */
export const ORG_LOG_ACTIONS = [
  'org.created',
  // Its settings (name, invitation expiry, and the Auth0 organization link an operator may set for it).
  'org.updated',
  'member.added',
  'member.tier_changed',
  'member.removed',
  'member.left',
  'member.roles_changed',
  'ownership.transferred',
  'invitation.created',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  // An org's own bulk imports (a platform import across orgs has no org and stays on the platform's log).
  'import.started',
  'import.finished',
] as const satisfies readonly AuditAction[];

export type AuditActor =
  | { type: 'user'; id: string; label?: string | null }
  | { type: 'api_key'; id: string; label?: string | null }
  | { type: 'system'; label?: string | null };

export interface AuditEventInput {
  actor: AuditActor;
  orgId?: string | null;
  action: AuditAction;
  target?: { type: string; id: string };
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
  requestId?: string | null;
  ip?: string | null;
}

/** Writes an audit event inside the caller's transaction. */
export async function recordAudit(tx: Tx, event: AuditEventInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: event.actor.type,
      actorId: event.actor.type === 'system' ? null : event.actor.id,
      actorLabel: event.actor.label ?? null,
      orgId: event.orgId ?? null,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      before: event.before,
      after: event.after,
      requestId: event.requestId ?? null,
      ip: event.ip ?? null,
    },
  });
}

/** The audit actor for a signed-in user acting through the console. */
export function userActor(ctx: { user: { id: string; email: string } }): AuditActor {
  return { type: 'user', id: ctx.user.id, label: ctx.user.email };
}

/** Who acts in the console and in which request: what every console audit row takes from the context. */
export interface AuditContext {
  user: { id: string; email: string };
  requestId: string;
}

/** An audit event as a console mutation describes it; the actor and request id come from the context. */
export type AuditChange = Omit<AuditEventInput, 'actor' | 'requestId' | 'ip'>;

/** Writes the audit event of a console mutation by the signed-in user, inside the caller's transaction. */
export async function audit(tx: Tx, ctx: AuditContext, change: AuditChange): Promise<void> {
  await recordAudit(tx, { ...change, actor: userActor(ctx), requestId: ctx.requestId });
}
