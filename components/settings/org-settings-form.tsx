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

interface Values {
  name: string;
  invitationTtlDays: number;
}

export function OrgSettingsForm({
  orgSlug,
  defaults,
  action,
}: {
  orgSlug: string;
  defaults: Values;
  action: (input: { orgSlug: string; name: string; invitationTtlDays: number }) => Promise<ActionResult<Values>>;
}) {
  const router = useRouter();
  const [name, setName] = useState(defaults.name);
  const [ttl, setTtl] = useState(String(defaults.invitationTtlDays));
  const save = useActionMutation(action, {
    onSuccess: () => {
      toast({ title: 'Settings saved' });
      router.refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ orgSlug, name, invitationTtlDays: Number(ttl) });
  }
  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {save.publicError && !save.publicError.fieldErrors && <Alert variant="destructive">{save.publicError.message}</Alert>}
      <Field label="Name" htmlFor="org-name" error={save.fieldError('name')}>
        <Input id="org-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
      </Field>
      <Field
        label="Invitations expire after (days)"
        htmlFor="org-ttl"
        description="Between 1 and 30 days. Applies to invitations sent from now on."
        error={save.fieldError('invitationTtlDays')}
      >
        <Input id="org-ttl" type="number" inputMode="numeric" min={1} max={30} value={ttl} onChange={(e) => setTtl(e.target.value)} required className="w-28" />
      </Field>
      <Button type="submit" loading={save.isPending}>
        Save changes
      </Button>
    </form>
  );
}
