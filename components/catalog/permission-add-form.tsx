'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

/** Adds a permission such as `read:config` to an API; clears itself on success, keeps what was typed on an error. */
export function PermissionAddForm({
  apiId,
  action,
}: {
  apiId: string;
  action: (input: { apiId: string; value: string; description: string }) => Promise<ActionResult<{ value: string }>>;
}) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState('');
  const [description, setDescription] = useState('');
  const add = useActionMutation(action, {
    onSuccess: (p) => {
      toast({ title: `Added ${p.value}` });
      setValue('');
      setDescription('');
      router.refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    add.mutate({ apiId, value, description });
  }
  const error = add.publicError;
  const generalError = error && !(error.fieldErrors?.value || error.fieldErrors?.description) ? error.message : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Add a permission">
      {generalError && <Alert variant="destructive">{generalError}</Alert>}
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-start">
        <Field label="Permission" htmlFor={`${id}-value`} description="action:resource, such as read:config" error={add.fieldError('value')}>
          <Input id={`${id}-value`} value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} required autoComplete="off" spellCheck={false} placeholder="read:config" />
        </Field>
        <Field label="Permission description" htmlFor={`${id}-description`} description="Optional; shown when choosing permissions for a role." error={add.fieldError('description')}>
          <Input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} autoComplete="off" placeholder="Read configuration" />
        </Field>
        <Button type="submit" loading={add.isPending} className="sm:mt-5">
          Add permission
        </Button>
      </div>
    </form>
  );
}
