'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

/**
 * Deletes a catalog entry after a confirm dialog that says what uses it (counted on the server when the page was
 * rendered). The first call confirms only what the dialog showed: if the entry came into use meanwhile, the server
 * answers CONFLICT with fresh counts, the dialog shows them, and a second click deletes anyway.
 */
export function DeleteCatalogEntry<I extends Record<string, string>>({
  input,
  action,
  usage,
  title,
  consequence,
  buttonLabel,
  buttonAriaLabel,
  confirmLabel,
  doneMessage,
  redirectTo,
  size = 'default',
}: {
  input: I;
  action: (input: I & { confirm: boolean }) => Promise<ActionResult<unknown>>;
  usage: { inUse: boolean; summary: string };
  title: string;
  /** What deleting does, after the usage sentence. */
  consequence: string;
  buttonLabel: string;
  buttonAriaLabel?: string;
  confirmLabel: string;
  doneMessage: string;
  /** Where to go afterwards (the list, when the page itself is deleted); otherwise the page refreshes. */
  redirectTo?: string;
  size?: 'default' | 'sm';
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const remove = useActionMutation(action, {
    onSuccess: () => {
      setOpen(false);
      toast({ title: doneMessage });
      if (redirectTo) router.push(redirectTo);
      else router.refresh();
    },
  });
  const error = remove.publicError;
  // A CONFLICT is the server's fresh usage report: show it as the question, not as a failure.
  const conflictMessage = error?.code === 'CONFLICT' ? error.message : conflict;
  const otherError = error && error.code !== 'CONFLICT' ? error.message : undefined;
  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setConflict(null);
      remove.reset();
    }
  }
  function onConfirm() {
    const force = usage.inUse || conflictMessage !== null;
    if (conflictMessage) setConflict(conflictMessage);
    remove.mutate({ ...input, confirm: force });
  }
  const description = `${conflictMessage ?? usage.summary} ${consequence}`;
  return (
    <>
      <Button variant={size === 'sm' ? 'outline' : 'destructive'} size={size} onClick={() => setOpen(true)} aria-label={buttonAriaLabel}>
        {buttonLabel}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={onOpenChange}
        title={title}
        description={description}
        error={otherError}
        confirmLabel={usage.inUse || conflictMessage ? `${confirmLabel} anyway` : confirmLabel}
        pending={remove.isPending}
        destructive
        onConfirm={onConfirm}
      />
    </>
  );
}
