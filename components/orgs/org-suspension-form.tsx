'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

type Input = { orgId: string; reason: string; confirmSlug: string };

/**
 * Suspends or reinstates an org: a reason (kept in the audit event) and the org's slug typed to confirm. The button
 * stays disabled until the slug matches; the server checks it again.
 */
export function OrgSuspensionForm({
  orgId,
  slug,
  suspended,
  action,
}: {
  orgId: string;
  slug: string;
  suspended: boolean;
  action: (input: Input) => Promise<ActionResult<{ id: string; suspended: boolean }>>;
}) {
  const router = useRouter();
  const [reason, setReason] = useState('');
  const [confirmSlug, setConfirmSlug] = useState('');
  const verb = suspended ? 'Reinstate' : 'Suspend';
  const run = useActionMutation(action, {
    onSuccess: (data) => {
      toast({ title: data.suspended ? `Suspended ${slug}` : `Reinstated ${slug}` });
      setReason('');
      setConfirmSlug('');
      router.refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    run.mutate({ orgId, reason, confirmSlug });
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {run.publicError && !run.publicError.fieldErrors && <Alert variant="destructive">{run.publicError.message}</Alert>}
      <Field label="Reason" htmlFor="suspension-reason" description="Kept in the audit log with your name." error={run.fieldError('reason')}>
        <Textarea id="suspension-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} />
      </Field>
      <Field label={`Type ${slug} to confirm`} htmlFor="suspension-confirm" error={run.fieldError('confirmSlug')}>
        <Input
          id="suspension-confirm"
          value={confirmSlug}
          onChange={(e) => setConfirmSlug(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className="max-w-sm font-mono"
        />
      </Field>
      <Button type="submit" variant={suspended ? 'default' : 'destructive'} loading={run.isPending} disabled={confirmSlug.trim() !== slug || reason.trim() === ''}>
        {verb} organization
      </Button>
    </form>
  );
}
