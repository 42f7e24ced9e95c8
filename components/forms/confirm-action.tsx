'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

/** What uses the thing about to go, counted on the server when the page was rendered. */
export interface Usage {
  inUse: boolean;
  summary: string;
}

interface CommonProps<R> {
  /** The button that opens the confirmation. */
  label: string;
  /** The button's accessible name where `label` alone is ambiguous (one per row): "Delete permission read:config". */
  ariaLabel?: string;
  variant?: 'default' | 'outline' | 'destructive';
  size?: 'default' | 'sm';
  disabled?: boolean;
  /** The dialog's question, e.g. "Delete Billing admin?". */
  title: string;
  /** What happens, said before it happens (after the usage sentence, when there is one). */
  description: string;
  confirmLabel: string;
  /** Red confirm button; false for a change that widens rather than removes (a backfill). */
  destructive?: boolean;
  /** The toast afterwards, if any. */
  done?: string | ((data: R) => { title: string; description?: string });
  /** Where to go afterwards (the list, when the page's own subject is gone); otherwise the page refreshes. */
  redirectTo?: string;
}

export type ConfirmActionRun<I, R> =
  | { input: I; action: (input: I) => Promise<ActionResult<R>>; usage?: undefined }
  | {
      input: I;
      /**
       * With `usage`, the action gets `confirm`: false asks the server to refuse (CONFLICT, with fresh counts) if the
       * thing came into use since the page showed it unused; after the person has seen it in use, true.
       */
      action: (input: I & { confirm: boolean }) => Promise<ActionResult<R>>;
      usage: Usage;
    };

export type ConfirmActionProps<I, R> = CommonProps<R> & ConfirmActionRun<I, R>;

/**
 * A button that asks first, then runs a server action: every delete, revoke, leave and other change that cannot be
 * taken back from the same screen. Given `usage`, the dialog says what uses the thing and the confirm button says
 * "… anyway"; if it came into use meanwhile, the server's CONFLICT message takes the usage sentence's place and a
 * second click goes ahead.
 */
export function ConfirmAction<I extends object, R>(props: ConfirmActionProps<I, R>) {
  const { label, ariaLabel, variant = 'outline', size = 'default', disabled, title, description, confirmLabel, destructive = true, done, redirectTo } = props;
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const run = useActionMutation(
    (confirm: boolean) => (props.usage ? props.action({ ...props.input, confirm }) : props.action(props.input)),
    {
      onSuccess: (data) => {
        setOpen(false);
        if (done) toast(typeof done === 'string' ? { title: done } : done(data));
        if (redirectTo) router.push(redirectTo);
        else router.refresh();
      },
    },
  );
  const error = run.publicError;
  // A CONFLICT from a usage-checked action is the server's fresh usage report: the question, not a failure.
  const conflictMessage = props.usage && error?.code === 'CONFLICT' ? error.message : conflict;
  const otherError = error && !(props.usage && error.code === 'CONFLICT') ? error.message : undefined;
  const warned = Boolean(props.usage?.inUse || conflictMessage);
  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setConflict(null);
      run.reset();
    }
  }
  function onConfirm() {
    if (conflictMessage) setConflict(conflictMessage);
    run.mutate(warned);
  }
  return (
    <>
      <Button ref={button} variant={variant} size={size} disabled={disabled} onClick={() => setOpen(true)} aria-label={ariaLabel}>
        {label}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={title}
        description={props.usage ? `${conflictMessage ?? props.usage.summary} ${description}` : description}
        error={otherError}
        confirmLabel={warned ? `${confirmLabel} anyway` : confirmLabel}
        pending={run.isPending}
        destructive={destructive}
        onConfirm={onConfirm}
        returnFocusRef={button}
      />
    </>
  );
}
