import 'server-only';
import { recordAudit } from '@/lib/audit';
import type { UserContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { endSessionsOf } from '@/lib/session-store';

/**
 * Ends every console session of the caller (on every device, this one included), audited in the same transaction.
 * Their cookies are refused from the next request on.
 */
export async function signOutEverywhere(ctx: UserContext): Promise<{ ended: number }> {
  return db.$transaction(async (tx) => {
    const ended = await endSessionsOf(tx, ctx.user.id);
    await recordAudit(tx, {
      actor: { type: 'user', id: ctx.user.id, label: ctx.user.email },
      action: 'user.signed_out_everywhere',
      target: { type: 'user', id: ctx.user.id },
      after: { sessionsEnded: ended },
      requestId: ctx.requestId,
    });
    return { ended };
  });
}
