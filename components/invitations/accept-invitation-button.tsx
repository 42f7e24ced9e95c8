'use client';

import { useRouter } from 'next/navigation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import type { ActionResult } from '@/lib/actions/define-action';

export function AcceptInvitationButton({
  token,
  action,
}: {
  token: string;
  action: (input: { token: string }) => Promise<ActionResult<{ orgSlug: string }>>;
}) {
  const router = useRouter();
  const accept = useActionMutation(action, { onSuccess: ({ orgSlug }) => router.push(`/orgs/${orgSlug}`) });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        accept.mutate({ token });
      }}
      className="space-y-3"
    >
      {accept.publicError && <Alert variant="destructive">{accept.publicError.message}</Alert>}
      <Button type="submit" disabled={accept.isPending || accept.isSuccess}>
        {accept.isPending || accept.isSuccess ? 'Joining…' : 'Accept invitation'}
      </Button>
    </form>
  );
}
