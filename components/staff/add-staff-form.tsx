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
import { PLATFORM_ROLE_LABELS, type PlatformRole } from '@/lib/vocabulary';

type SetRole = (input: { userId?: string; email?: string; role: PlatformRole }) => Promise<ActionResult<{ email: string; platformRole: PlatformRole; changed: boolean }>>;

const GRANTABLE = ['STAFF', 'OPERATOR', 'SUPERADMIN'] as const;
const selectClass =
  'flex h-9 rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/** Gives someone who has signed in a platform role, by their email (superadmins). */
export function AddStaffForm({ action }: { action: SetRole }) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<PlatformRole>('STAFF');
  const save = useActionMutation(action, {
    onSuccess: (data) => {
      toast({ title: data.changed ? `${data.email} is now ${PLATFORM_ROLE_LABELS[data.platformRole].toLowerCase()}` : `${data.email} already had that role` });
      setEmail('');
      router.refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ email: email.trim(), role });
  }
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Add platform staff">
      {save.publicError && !save.publicError.fieldErrors && <Alert variant="destructive">{save.publicError.message}</Alert>}
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-72">
          <Field label="Email" htmlFor="staff-email" error={save.fieldError('email') ?? save.fieldError('_')}>
            <Input id="staff-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" maxLength={320} />
          </Field>
        </div>
        <div className="space-y-1.5">
          <label htmlFor="staff-role" className="block text-sm font-medium">
            Platform role
          </label>
          <select id="staff-role" value={role} onChange={(e) => setRole(e.target.value as PlatformRole)} className={selectClass}>
            {GRANTABLE.map((r) => (
              <option key={r} value={r}>
                {PLATFORM_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" loading={save.isPending}>
          Give role
        </Button>
      </div>
    </form>
  );
}
