'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

interface Saved {
  id: string;
  auth0OrgId: string | null;
  changed: boolean;
}

/** Sets or clears the Auth0 organization id an org is linked to (empty: not linked). */
export function Auth0LinkForm({
  orgId,
  current,
  action,
}: {
  orgId: string;
  current: string | null;
  action: (input: { orgId: string; auth0OrgId: string }) => Promise<ActionResult<Saved>>;
}) {
  const router = useRouter();
  const [value, setValue] = useState(current ?? '');
  const save = useActionMutation(action, {
    onSuccess: (data) => {
      toast({ title: data.auth0OrgId ? `Linked to ${data.auth0OrgId}` : 'No longer linked to an Auth0 organization' });
      router.refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ orgId, auth0OrgId: value });
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {save.publicError && !save.publicError.fieldErrors && <Alert variant="destructive">{save.publicError.message}</Alert>}
      <Field
        label="Auth0 organization id"
        htmlFor="auth0-org-id"
        description="From the Auth0 dashboard (Organizations → the organization → its id), e.g. org_W30bMi7kV4l7V3Yt. Leave empty to unlink."
        error={save.fieldError('auth0OrgId')}
      >
        <Input
          id="auth0-org-id"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          maxLength={50}
          autoComplete="off"
          spellCheck={false}
          className="max-w-sm font-mono"
        />
      </Field>
      <Button type="submit" loading={save.isPending}>
        Save link
      </Button>
    </form>
  );
}
