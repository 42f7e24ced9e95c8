'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { ActionResult } from '@/lib/actions/define-action';

export function LeaveOrgButton({
  orgSlug,
  orgName,
  action,
}: {
  orgSlug: string;
  orgName: string;
  action: (input: { orgSlug: string; confirm: true }) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const leave = useActionMutation(action, { onSuccess: () => router.push('/') });
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)}>
        Leave organization
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Leave ${orgName}?`}
        description="You lose access to this organization and your roles here. Someone must invite you again to come back."
        error={leave.publicError?.message}
        confirmLabel="Leave"
        pending={leave.isPending}
        destructive
        onConfirm={() => leave.mutate({ orgSlug, confirm: true })}
      />
    </>
  );
}
