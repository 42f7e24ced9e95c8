'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

/** Deletes a rule after a confirmation, then returns to the list. What it already gave people stays. */
export function DeleteRuleButton({
  rule,
  action,
}: {
  rule: { id: string; name: string };
  action: (input: { ruleId: string }) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useActionMutation(action, {
    onSuccess: () => {
      setOpen(false);
      toast({ title: `Deleted “${rule.name}”` });
      router.push('/platform/rules');
    },
  });
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)}>
        Delete rule
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Delete “${rule.name}”?`}
        description="New users are no longer checked against it. Memberships and roles it already gave stay as they are."
        error={remove.publicError?.message}
        confirmLabel="Delete rule"
        pending={remove.isPending}
        destructive
        onConfirm={() => remove.mutate({ ruleId: rule.id })}
      />
    </>
  );
}
