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
import { OrgPicker, type OrgChoice } from './org-picker';

export interface CreateAssignmentAction {
  (input: {
    roleId: string;
    subject: { clientAppId: string } | { userId: string };
    orgId: string | null;
    expiresAt: string | null;
  }): Promise<ActionResult<unknown>>;
}

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs aria-invalid:border-destructive disabled:opacity-50';

/** Gives the subject (an M2M client or a user) a role, globally or in one org picked by slug, optionally expiring. */
export function AddAssignmentForm({
  subject,
  subjectLabel,
  roles,
  orgChoices,
  action,
}: {
  subject: { clientAppId: string } | { userId: string };
  subjectLabel: string;
  roles: { id: string; name: string; key: string }[];
  orgChoices: OrgChoice[];
  action: CreateAssignmentAction;
}) {
  const id = useId();
  const router = useRouter();
  const [roleId, setRoleId] = useState('');
  const [scope, setScope] = useState<'global' | 'org'>('org');
  const [org, setOrg] = useState<OrgChoice | null>(null);
  const [expiresAt, setExpiresAt] = useState('');
  const [missingOrg, setMissingOrg] = useState(false);
  const [missingRole, setMissingRole] = useState(false);
  const create = useActionMutation(action, {
    onSuccess: () => {
      const role = roles.find((r) => r.id === roleId)?.name ?? 'The role';
      toast({ title: `Gave ${role} to ${subjectLabel} ${scope === 'org' && org ? `in ${org.name}` : 'globally'}` });
      setRoleId('');
      setExpiresAt('');
      router.refresh();
    },
  });
  const today = new Date().toISOString().slice(0, 10);
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    // Checked here too, so an empty choice gets "choose one" rather than the server's "does not exist".
    setMissingRole(!roleId);
    setMissingOrg(scope === 'org' && !org);
    if (!roleId || (scope === 'org' && !org)) return;
    create.mutate({ roleId, subject, orgId: scope === 'org' && org ? org.id : null, expiresAt: expiresAt || null });
  }
  const orgError = missingOrg ? 'Choose an organization, or make the role global.' : create.fieldError('orgId');
  const generalError = create.publicError && !create.publicError.fieldErrors ? create.publicError.message : create.fieldError('subject');
  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Add a role">
      {generalError && <Alert variant="destructive">{generalError}</Alert>}
      <Field label="Role" htmlFor={`${id}-role`} error={missingRole ? 'Choose a role.' : create.fieldError('roleId')}>
        <select
          id={`${id}-role`}
          className={selectClass}
          value={roleId}
          onChange={(e) => {
            setRoleId(e.target.value);
            setMissingRole(false);
          }}
          required
        >
          <option value="">Choose a role…</option>
          {roles.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.key})
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Scope</legend>
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name={`${id}-scope`} value="org" checked={scope === 'org'} onChange={() => setScope('org')} />
            In one organization
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name={`${id}-scope`} value="global" checked={scope === 'global'} onChange={() => setScope('global')} />
            Global (every organization)
          </label>
        </div>
      </fieldset>
      {scope === 'org' && (
        <OrgPicker
          label="Organization"
          choices={orgChoices}
          value={org}
          onChange={(o) => {
            setOrg(o);
            setMissingOrg(false);
          }}
          error={orgError}
        />
      )}
      <Field
        label="Expires (optional)"
        htmlFor={`${id}-expires`}
        description="The role ends at the end of this day (UTC). Leave empty to keep it until it is revoked."
        error={create.fieldError('expiresAt')}
      >
        <Input id={`${id}-expires`} type="date" min={today} value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} className="w-48" />
      </Field>
      <Button type="submit" loading={create.isPending}>
        Add role
      </Button>
    </form>
  );
}
