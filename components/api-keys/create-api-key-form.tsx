'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { ActionResult } from '@/lib/actions/define-action';
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, type ApiKeyScope } from '@/lib/access/api-key-scopes';

export function CreateApiKeyForm({
  action,
}: {
  action: (input: { name: string; scopes: ApiKeyScope[]; expiresInDays?: number }) => Promise<ActionResult<{ key: string; prefix: string }>>;
}) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['check']);
  const [days, setDays] = useState('');
  const [copied, setCopied] = useState(false);
  const create = useActionMutation(action, {
    onSuccess: () => {
      setName('');
      router.refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setCopied(false);
    create.mutate({ name, scopes, ...(days.trim() ? { expiresInDays: Number(days) } : {}) });
  }
  return (
    <div className="space-y-4">
      {create.data && (
        <Alert variant="success">
          <p className="font-medium">Copy this key now: it is shown once and Gatehouse keeps only its hash.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-background px-2 py-1 text-sm" aria-label="New API key">
              {create.data.key}
            </code>
            <Button
              size="sm"
              variant="outline"
              onClick={async () => {
                await navigator.clipboard.writeText(create.data!.key);
                setCopied(true);
              }}
            >
              Copy key
            </Button>
            <span role="status" className="text-sm">
              {copied ? 'Copied.' : ''}
            </span>
          </div>
        </Alert>
      )}
      <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Create an API key">
        {create.publicError && !create.publicError.fieldErrors && <Alert variant="destructive">{create.publicError.message}</Alert>}
        <Field label="Name" htmlFor={`${id}-name`} description="What uses it, e.g. “Auth0 post-login Action” or “billing backend”." error={create.fieldError('name')}>
          <Input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Scopes</legend>
          {API_KEY_SCOPES.map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))} />
              <code>{s}</code> <span className="text-muted-foreground">— {API_KEY_SCOPE_LABELS[s]}</span>
            </label>
          ))}
          {create.fieldError('scopes') && (
            <p role="alert" className="text-sm text-destructive">
              {create.fieldError('scopes')}
            </p>
          )}
        </fieldset>
        <Field label="Expires after (days)" htmlFor={`${id}-days`} description="Leave empty for a key that does not expire." error={create.fieldError('expiresInDays')}>
          <Input id={`${id}-days`} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} className="w-28" />
        </Field>
        <Button type="submit" loading={create.isPending}>
          Create key
        </Button>
      </form>
    </div>
  );
}
