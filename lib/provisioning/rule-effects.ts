import { matchRules } from '@/lib/access/rules';
import type { Tier } from '@/lib/access/types';
import { recordAudit, type AuditActor } from '@/lib/audit';
import type { Tx } from '@/lib/db-client';
import type { Prisma } from '@/lib/generated/prisma/client.ts';
import { candidateRulesWhere } from './rule-conditions';

/**
 * What a matching default-role rule does: add people to its org with its tier and give them its roles, each change
 * audited as the rule's doing, inside the caller's transaction. Used at a first sign-in (`applyRulesOnFirstSignIn`,
 * called by `recordSignIn`) and by a backfill over existing users (./backfill.ts).
 */

/** A rule as far as applying it goes. */
export interface RuleEffect {
  id: string;
  name: string;
  orgId: string | null;
  tier: Tier | null;
  roles: { roleId: string; global: boolean }[];
}

/** What to read of a rule to match it and apply it. */
export const ruleEffectSelect = {
  id: true,
  name: true,
  position: true,
  enabled: true,
  stop: true,
  connection: true,
  emailDomain: true,
  requireVerifiedEmail: true,
  orgId: true,
  tier: true,
  roles: { select: { roleId: true, global: true } },
} satisfies Prisma.DefaultRoleRuleSelect;

export interface RuleEffectCounts {
  membershipsAdded: number;
  assignmentsCreated: number;
}

/** Who applies a rule: the audit actor and request, and who the role assignments say granted them (null: nobody). */
export interface RuleEffectAuthor {
  actor: AuditActor;
  requestId: string | null;
  grantedById: string | null;
}

/**
 * Applies one rule's effect to a batch of users inside the caller's transaction, set-based: memberships that exist
 * are left as they are (whatever their tier); role assignments are inserted, an expired one renewed, an unexpired
 * one left alone. Each membership and assignment made is audited. Safe to run again: it then changes nothing.
 */
export async function applyRuleEffect(
  tx: Tx,
  rule: RuleEffect,
  users: readonly { id: string; email: string }[],
  by: RuleEffectAuthor,
): Promise<RuleEffectCounts> {
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const ids = [...emails.keys()];
  const counts: RuleEffectCounts = { membershipsAdded: 0, assignmentsCreated: 0 };
  if (ids.length === 0) return counts;
  const via = { via: 'rule', ruleId: rule.id, rule: rule.name };

  if (rule.orgId && rule.tier) {
    const added = await tx.$queryRaw<{ user_id: string }[]>`
      INSERT INTO memberships (id, org_id, user_id, tier, updated_at)
      SELECT gen_random_uuid(), ${rule.orgId}::uuid, u, ${rule.tier}::"Tier", now() FROM unnest(${ids}::uuid[]) AS u
      ON CONFLICT (org_id, user_id) DO NOTHING
      RETURNING user_id`;
    for (const m of added) {
      await recordAudit(tx, {
        actor: by.actor,
        orgId: rule.orgId,
        action: 'member.added',
        target: { type: 'user', id: m.user_id },
        after: { email: emails.get(m.user_id) ?? null, tier: rule.tier, ...via },
        requestId: by.requestId,
      });
    }
    counts.membershipsAdded += added.length;
  }

  for (const r of rule.roles) {
    const orgId = r.global ? null : rule.orgId;
    // An org-scoped role of a rule without an org cannot be saved; skip rather than give it globally.
    if (!r.global && !orgId) continue;
    const made = await tx.$queryRaw<{ id: string; user_id: string }[]>`
      INSERT INTO role_assignments (id, role_id, user_id, org_id, granted_by_id)
      SELECT gen_random_uuid(), ${r.roleId}::uuid, u, ${orgId}::uuid, ${by.grantedById}::uuid FROM unnest(${ids}::uuid[]) AS u
      ON CONFLICT (role_id, user_id, org_id) WHERE user_id IS NOT NULL
      DO UPDATE SET expires_at = NULL, granted_by_id = EXCLUDED.granted_by_id, created_at = now()
        WHERE role_assignments.expires_at IS NOT NULL AND role_assignments.expires_at <= now()
      RETURNING id, user_id`;
    for (const a of made) {
      await recordAudit(tx, {
        actor: by.actor,
        orgId,
        action: 'assignment.created',
        target: { type: 'assignment', id: a.id },
        after: { roleId: r.roleId, subject: { type: 'user', id: a.user_id, email: emails.get(a.user_id) ?? null }, orgId, ...via },
        requestId: by.requestId,
      });
    }
    counts.assignmentsCreated += made.length;
  }
  return counts;
}

/** A person at their first sign-in, as far as rules care. */
export interface FirstSignInUser {
  id: string;
  email: string;
  emailVerified: boolean;
  connection: string | null;
}

/**
 * Applies the matching enabled rules, in order and up to the first matching stop rule, to a user who has just been
 * created, inside the sign-in's transaction: memberships (with the rule's tier) where missing, and role assignments.
 * Audited as the rule's doing. Call it only for the first sign-in; later sign-ins never re-apply rules.
 */
export async function applyRulesOnFirstSignIn(
  tx: Tx,
  user: FirstSignInUser,
  opts: { requestId?: string | null } = {},
): Promise<RuleEffectCounts & { ruleIds: string[] }> {
  const candidates = await tx.defaultRoleRule.findMany({
    where: candidateRulesWhere(user),
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
    select: ruleEffectSelect,
  });
  const matched = matchRules(candidates, user);
  const totals = { membershipsAdded: 0, assignmentsCreated: 0, ruleIds: [] as string[] };
  for (const rule of matched) {
    const counts = await applyRuleEffect(tx, rule, [{ id: user.id, email: user.email }], {
      actor: { type: 'system', label: `default-role rule “${rule.name}”` },
      requestId: opts.requestId ?? null,
      grantedById: null,
    });
    totals.membershipsAdded += counts.membershipsAdded;
    totals.assignmentsCreated += counts.assignmentsCreated;
    totals.ruleIds.push(rule.id);
  }
  return totals;
}
