'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

/** Revokes one role assignment after a confirmation. The server checks the caller's power again. */
export function RevokeAssignmentButton({
  assignmentId,
  roleName,
  subjectLabel,
  scopeLabel,
  action,
}: {
  assignmentId: string;
  roleName: string;
  subjectLabel: string;
  /** "in Acme Corp" or "globally". */
  scopeLabel: string;
  action: (input: { assignmentId: string }) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const revoke = useActionMutation(action, {
    onSuccess: () => {
      setOpen(false);
      toast({ title: `Revoked ${roleName} ${scopeLabel}` });
      router.refresh();
    },
  });
  return (
    <>
      <Button variant="outline" size="sm" aria-label={`Revoke ${roleName} ${scopeLabel}`} onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Revoke ${roleName} ${scopeLabel}?`}
        description={`${subjectLabel} loses this role ${scopeLabel} at once. You can give it again later.`}
        error={revoke.publicError?.message}
        confirmLabel="Revoke role"
        pending={revoke.isPending}
        destructive
        onConfirm={() => revoke.mutate({ assignmentId })}
      />
    </>
  );
}
