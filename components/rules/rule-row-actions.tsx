'use client';

import { ArrowDown, ArrowUp } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/actions/define-action';
import { cn } from '@/lib/utils/cn';
import { BackfillOffer, type BackfillAction } from './backfill-button';

/** Enable toggle of a rule in the ordered list. The server checks the caller's power on every call. */
export function RuleEnabledSwitch({
  rule,
  action,
  backfill,
}: {
  rule: { id: string; name: string; enabled: boolean };
  action: (input: { ruleId: string; enabled: boolean }) => Promise<ActionResult<{ matching?: number | null }>>;
  /** Offered when enabling finds existing users who match. */
  backfill?: BackfillAction;
}) {
  const router = useRouter();
  const [matching, setMatching] = useState(0);
  const toggle = useActionMutation(action, {
    onSuccess: (data) => {
      setMatching(data.matching ?? 0);
      router.refresh();
    },
  });
  const on = toggle.isPending && toggle.variables ? toggle.variables.enabled : rule.enabled;
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={`${rule.name} enabled`}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate({ ruleId: rule.id, enabled: !rule.enabled })}
        className={cn(
          'relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border border-transparent transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-50',
          on ? 'bg-primary' : 'bg-muted-foreground/40',
        )}
      >
        <span aria-hidden className={cn('inline-block size-4 rounded-full bg-background shadow transition-transform', on ? 'translate-x-4' : 'translate-x-0.5')} />
      </button>
      <span className="text-xs text-muted-foreground" aria-hidden>
        {on ? 'On' : 'Off'}
      </span>
      {toggle.publicError && (
        <span role="alert" className="text-xs text-destructive">
          {toggle.publicError.message}
        </span>
      )}
      {backfill && matching > 0 && rule.enabled && (
        <BackfillOffer rule={rule} matching={matching} action={backfill} onDone={() => setMatching(0)} />
      )}
    </span>
  );
}

/** Move up / move down buttons of a rule in the ordered list. */
export function RuleMoveButtons({
  rule,
  first,
  last,
  action,
}: {
  rule: { id: string; name: string };
  first: boolean;
  last: boolean;
  action: (input: { ruleId: string; direction: 'up' | 'down' }) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const move = useActionMutation(action, { onSuccess: () => router.refresh() });
  return (
    <span className="inline-flex items-center gap-1">
      <Button
        type="button"
        variant="ghost"
        size="icon"
        aria-label={`Move ${rule.name} up`}
        disabled={first || move.isPending}
        onClick={() => move.mutate({ ruleId: rule.id, direction: 'up' })}
      >
        <ArrowUp aria-hidden className="size-4" />
      </Button>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        aria-label={`Move ${rule.name} down`}
        disabled={last || move.isPending}
        onClick={() => move.mutate({ ruleId: rule.id, direction: 'down' })}
      >
        <ArrowDown aria-hidden className="size-4" />
      </Button>
      {move.publicError && (
        <span role="alert" className="text-xs text-destructive">
          {move.publicError.message}
        </span>
      )}
    </span>
  );
}
