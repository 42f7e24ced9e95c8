'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

export function RevokeApiKeyButton({
  apiKeyId,
  name,
  action,
}: {
  apiKeyId: string;
  name: string;
  action: (input: { apiKeyId: string }) => Promise<ActionResult<{ revoked: true }>>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const revoke = useActionMutation(action, {
    onSuccess: () => {
      setOpen(false);
      toast({ title: `Revoked “${name}”` });
      router.refresh();
    },
  });
  return (
    <>
      <Button size="sm" variant="outline" onClick={() => setOpen(true)} aria-label={`Revoke key ${name}`}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Revoke “${name}”?`}
        description="Every request with this key is refused within a second. Whatever uses it needs a new key."
        error={revoke.publicError?.message}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        destructive
        onConfirm={() => revoke.mutate({ apiKeyId })}
      />
    </>
  );
}
