'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import type { ActionResult } from '@/lib/actions/define-action';
import { TIER_LABELS, type Tier } from '@/lib/vocabulary';
import { MAX_INVITES_PER_SUBMIT, splitEmails } from '@/lib/schemas/members';

interface Result {
  email: string;
  status: 'invited' | 'skipped';
  message?: string;
  emailSent?: boolean;
}

export function InviteForm({
  orgSlug,
  tiers,
  roles,
  action,
}: {
  orgSlug: string;
  /** The tiers this caller may give, decided on the server. */
  tiers: Tier[];
  roles: { id: string; name: string; description: string }[];
  action: (input: { orgSlug: string; emails: string[]; tier: Tier; roleIds: string[] }) => Promise<ActionResult<{ results: Result[] }>>;
}) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState('');
  const [tier, setTier] = useState<Tier>(tiers.includes('EMPLOYEE') ? 'EMPLOYEE' : tiers[0]!);
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const invite = useActionMutation(action, {
    onSuccess: ({ results }) => {
      // Keep the addresses that were skipped in the box, so they can be fixed; clear the rest.
      setText(results.filter((r) => r.status === 'skipped').map((r) => r.email).join('\n'));
      router.refresh();
    },
  });
  const emails = splitEmails(text);
  const tooMany = emails.length > MAX_INVITES_PER_SUBMIT;
  const results = invite.data?.results;
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    invite.mutate({ orgSlug, emails, tier, roleIds });
  }
  const emailError =
    invite.publicError?.fieldErrors?.emails?.[0] !== undefined
      ? Object.entries(invite.publicError.fieldErrors)
          .filter(([k]) => k.startsWith('emails.'))
          .map(([, v]) => v[0])
          .slice(0, 10)
          .join('; ') || invite.fieldError('emails')
      : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Invite people">
      {invite.publicError && <Alert variant="destructive">{invite.publicError.message}</Alert>}
      <Field
        label="Email addresses"
        htmlFor={`${id}-emails`}
        description={`One or more addresses, separated by commas, spaces or new lines (at most ${MAX_INVITES_PER_SUBMIT}).`}
        error={emailError ?? (tooMany ? `That is ${emails.length} addresses; send at most ${MAX_INVITES_PER_SUBMIT} at once.` : undefined)}
      >
        <Textarea id={`${id}-emails`} value={text} onChange={(e) => {
            setText(e.target.value);
            // An error about the old list no longer applies once it is edited.
            if (invite.isError) invite.reset();
          }}
          rows={4} placeholder="ada@example.com, grace@example.com" />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Tier</legend>
        <div className="flex flex-wrap gap-4">
          {tiers.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <input type="radio" name={`${id}-tier`} value={t} checked={tier === t} onChange={() => setTier(t)} />
              {TIER_LABELS[t]}
            </label>
          ))}
        </div>
      </fieldset>
      {roles.length > 0 && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Roles in this organization (optional)</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {roles.map((r) => (
              <label key={r.id} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={roleIds.includes(r.id)}
                  onChange={(e) => setRoleIds((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((x) => x !== r.id)))}
                />
                <span>
                  {r.name}
                  {r.description && <span className="block text-muted-foreground">{r.description}</span>}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <Button type="submit" loading={invite.isPending} disabled={emails.length === 0 || tooMany}>
        {emails.length > 1 ? `Send ${emails.length} invitations` : 'Send invitation'}
      </Button>
      {results && (
        <div role="status" aria-label="Invitation results" className="space-y-1 text-sm">
          <p className="font-medium">
            {results.filter((r) => r.status === 'invited').length} invited, {results.filter((r) => r.status === 'skipped').length} skipped.
          </p>
          <ul className="space-y-1">
            {results.map((r) => (
              <li key={r.email}>
                <span className="font-medium">{r.email}</span>: {r.status === 'invited' ? (r.emailSent ? 'invited, email sent' : r.message) : r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
