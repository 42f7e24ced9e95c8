'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

type IdInput = { orgSlug: string; invitationId: string };

export function InvitationRowActions({
  orgSlug,
  invitationId,
  email,
  resend,
  revoke,
}: {
  orgSlug: string;
  invitationId: string;
  email: string;
  resend: (input: IdInput) => Promise<ActionResult<{ emailSent: boolean; expiresAt: string }>>;
  revoke: (input: IdInput) => Promise<ActionResult<{ revoked: true }>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const resendM = useActionMutation(resend, {
    onSuccess: (r) => {
      toast({ title: r.emailSent ? `Sent a new link to ${email}` : `New link made, but the email to ${email} could not be sent` });
      router.refresh();
    },
  });
  const revokeM = useActionMutation(revoke, {
    onSuccess: () => {
      setOpen(false);
      toast({ title: `Revoked the invitation for ${email}` });
      router.refresh();
    },
  });
  return (
    <div className="flex justify-end gap-2">
      {resendM.publicError && <span role="alert" className="text-sm text-destructive">{resendM.publicError.message}</span>}
      <Button size="sm" variant="outline" loading={resendM.isPending} onClick={() => resendM.mutate({ orgSlug, invitationId })} aria-label={`Resend invitation to ${email}`}>
        Resend
      </Button>
      <Button size="sm" variant="outline" onClick={() => setOpen(true)} aria-label={`Revoke invitation to ${email}`}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Revoke this invitation?"
        description={`The link sent to ${email} stops working at once. You can invite the address again later.`}
        error={revokeM.publicError?.message}
        confirmLabel="Revoke invitation"
        pending={revokeM.isPending}
        destructive
        onConfirm={() => revokeM.mutate({ orgSlug, invitationId })}
      />
    </div>
  );
}
