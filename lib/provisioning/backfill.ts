import { recordAudit } from '@/lib/audit';
import type { Db } from '@/lib/db-client';
import { AppError } from '@/lib/errors';
import { usersMatchingWhere } from './rule-conditions';
import { applyRuleEffect, ruleEffectSelect, type RuleEffectAuthor, type RuleEffectCounts } from './rule-effects';

export interface BackfillResult extends RuleEffectCounts {
  ruleId: string;
  /** Existing users who met the conditions. */
  matched: number;
  batches: number;
}

export const BACKFILL_BATCH_SIZE = 500;

/**
 * Applies a rule's effect to the existing users who meet its conditions, in batches of users (one transaction per
 * batch, each change audited in it), then audits `rule.backfilled` with the counts, as `by`. Idempotent: memberships
 * that exist are left as they are and role assignments are upserted, so a second run changes nothing.
 * Throws NOT_FOUND for an unknown rule.
 */
export async function backfillRule(
  db: Db,
  ruleId: string,
  by: RuleEffectAuthor,
  opts: { batchSize?: number } = {},
): Promise<BackfillResult> {
  const batchSize = Math.min(Math.max(opts.batchSize ?? BACKFILL_BATCH_SIZE, 1), 5000);
  const rule = await db.defaultRoleRule.findUnique({ where: { id: ruleId }, select: ruleEffectSelect });
  if (!rule) throw new AppError('NOT_FOUND', 'That rule does not exist (any more).');
  const where = usersMatchingWhere(rule);
  const result: BackfillResult = { ruleId: rule.id, matched: 0, membershipsAdded: 0, assignmentsCreated: 0, batches: 0 };
  // A rule without an effect changes nobody: count the matches and skip the batches.
  const hasEffect = Boolean(rule.orgId && rule.tier) || rule.roles.length > 0;
  if (!hasEffect) result.matched = await db.user.count({ where });
  let after: string | null = null;
  while (hasEffect) {
    const batch: { id: string; email: string }[] = await db.user.findMany({
      where: { AND: [where, after ? { id: { gt: after } } : {}] },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, email: true },
    });
    if (batch.length === 0) break;
    const counts = await db.$transaction((tx) => applyRuleEffect(tx, rule, batch, by), { timeout: 60_000 });
    result.matched += batch.length;
    result.membershipsAdded += counts.membershipsAdded;
    result.assignmentsCreated += counts.assignmentsCreated;
    result.batches += 1;
    after = batch[batch.length - 1]!.id;
    if (batch.length < batchSize) break;
  }
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actor: by.actor,
      orgId: rule.orgId,
      action: 'rule.backfilled',
      target: { type: 'rule', id: rule.id },
      after: {
        name: rule.name,
        matched: result.matched,
        membershipsAdded: result.membershipsAdded,
        assignmentsCreated: result.assignmentsCreated,
        batches: result.batches,
      },
      requestId: by.requestId,
    }),
  );
  return result;
}
