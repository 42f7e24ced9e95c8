'use client';

import { useRouter } from 'next/navigation';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { Button } from '@/components/ui/button';
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
  const resendM = useActionMutation(resend, {
    onSuccess: (r) => {
      toast({ title: r.emailSent ? `Sent a new link to ${email}` : `New link made, but the email to ${email} could not be sent` });
      router.refresh();
    },
  });
  return (
    <div className="flex justify-end gap-2">
      {resendM.publicError && <span role="alert" className="text-sm text-destructive">{resendM.publicError.message}</span>}
      <Button size="sm" variant="outline" loading={resendM.isPending} onClick={() => resendM.mutate({ orgSlug, invitationId })} aria-label={`Resend invitation to ${email}`}>
        Resend
      </Button>
      <ConfirmAction
        action={revoke}
        input={{ orgSlug, invitationId }}
        label="Revoke"
        ariaLabel={`Revoke invitation to ${email}`}
        size="sm"
        title="Revoke this invitation?"
        description={`The link sent to ${email} stops working at once. You can invite the address again later.`}
        confirmLabel="Revoke invitation"
        done={`Revoked the invitation for ${email}`}
      />
    </div>
  );
}
