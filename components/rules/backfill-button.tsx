'use client';

import { ConfirmAction } from '@/components/forms/confirm-action';
import type { ActionResult } from '@/lib/actions/define-action';

interface BackfillResult {
  matched: number;
  membershipsAdded: number;
  assignmentsCreated: number;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export type BackfillAction = (input: { ruleId: string }) => Promise<ActionResult<BackfillResult>>;

/**
 * Shown after a rule is enabled while existing users match it: enabling changes only future first sign-ins, so
 * the backfill is offered (never run without its own confirmation).
 */
export function BackfillOffer({
  rule,
  matching,
  action,
  onDone,
}: {
  rule: { id: string; name: string };
  matching: number;
  action: BackfillAction;
  onDone?: () => void;
}) {
  return (
    <div role="status" className="flex flex-wrap items-center gap-2 rounded-md border border-border p-3 text-sm" data-testid="backfill-offer">
      <span>
        “{rule.name}” is enabled for future first sign-ins. {plural(matching, 'existing user matches', 'existing users match')} it
        already; apply it to them too?
      </span>
      <BackfillButton rule={rule} matching={matching} action={action} />
      {onDone && (
        <button type="button" className="text-muted-foreground underline-offset-4 hover:underline" onClick={onDone}>
          Not now
        </button>
      )}
    </div>
  );
}

/** Applies a rule to the existing users it matches, after a confirmation that says how many that is. */
export function BackfillButton({
  rule,
  matching,
  action,
}: {
  rule: { id: string; name: string };
  /** The dry run's count of existing users who meet the rule's conditions. */
  matching: number;
  action: BackfillAction;
}) {
  return (
    <ConfirmAction
      action={action}
      input={{ ruleId: rule.id }}
      label="Backfill…"
      variant="default"
      disabled={matching === 0}
      destructive={false}
      title={`Apply “${rule.name}” to existing users?`}
      description={`This touches ${plural(matching, 'existing user', 'existing users')} who meet the rule’s conditions: they join its organization where they are not members yet (members keep their tier) and get its roles. Running it again changes nothing.`}
      confirmLabel={`Apply to ${plural(matching, 'user', 'users')}`}
      done={(r) => ({
        title: 'Backfill finished',
        description: `${plural(r.matched, 'user', 'users')} matched: ${plural(r.membershipsAdded, 'membership', 'memberships')} added, ${plural(r.assignmentsCreated, 'role', 'roles')} given.`,
      })}
    />
  );
}
