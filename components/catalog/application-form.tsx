'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';
import { DEFAULT_ACCESS_POLICY } from '@/lib/schemas/catalog';
import {
  ACCESS_POLICIES,
  ACCESS_POLICY_DESCRIPTIONS,
  ACCESS_POLICY_LABELS,
  APP_TYPE_LABELS,
  APP_TYPES,
  type AccessPolicy,
  type AppType,
} from '@/lib/vocabulary';

export interface ApplicationValues {
  name: string;
  type: AppType;
  clientId: string;
  accessPolicy: AccessPolicy;
  description: string;
  /** Where people open it; empty for none. */
  url: string;
}

type Saved = ActionResult<{ id: string; name: string }>;
/** How many people an Open application lets in (countOpenReach), said before "Open" is saved. */
type OpenReach = { people: number; orgs: number };
type Props = { openReach: OpenReach } & (
  | { mode: 'create'; action: (input: ApplicationValues) => Promise<Saved> }
  | {
      mode: 'edit';
      application: ApplicationValues & { id: string };
      action: (input: ApplicationValues & { applicationId: string }) => Promise<Saved>;
    }
);

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs aria-invalid:border-destructive';

/**
 * Registers an application by its Auth0 client id (then opens it) or edits one, with its access policy explained.
 * A new application starts as "Any mapped role" (nobody until a role is mapped, ADR 0013); choosing "Open" says how
 * many people that lets in before anything is saved.
 */
export function ApplicationForm(props: Props) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState<ApplicationValues>(
    props.mode === 'edit' ? props.application : { name: '', type: 'REGULAR_WEB', clientId: '', accessPolicy: DEFAULT_ACCESS_POLICY, description: '', url: '' },
  );
  const set = <K extends keyof ApplicationValues>(k: K, v: ApplicationValues[K]) => setValues((prev) => ({ ...prev, [k]: v }));
  const save = useActionMutation(
    (v: ApplicationValues) => (props.mode === 'edit' ? props.action({ ...v, applicationId: props.application.id }) : props.action(v)),
    {
      onSuccess: (data) => {
        if (props.mode === 'create') {
          toast({ title: `Created ${data.name}` });
          router.push(`/platform/applications/${data.id}`);
        } else {
          toast({ title: 'Application saved' });
          router.refresh();
        }
      },
    },
  );
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate(values);
  }
  const error = save.publicError;
  const widensToOpen = values.accessPolicy === 'OPEN' && (props.mode === 'create' || props.application.accessPolicy !== 'OPEN');
  const policyError = save.fieldError('accessPolicy');
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label={props.mode === 'create' ? 'New application' : 'Application details'}>
      {error && !error.fieldErrors && <Alert variant="destructive">{error.message}</Alert>}
      <Field label="Name" htmlFor={`${id}-name`} error={save.fieldError('name')}>
        <Input id={`${id}-name`} value={values.name} onChange={(e) => set('name', e.target.value)} maxLength={100} required autoComplete="off" />
      </Field>
      <Field label="Type" htmlFor={`${id}-type`} error={save.fieldError('type')}>
        <select id={`${id}-type`} className={selectClass} value={values.type} onChange={(e) => set('type', e.target.value as AppType)}>
          {APP_TYPES.map((t) => (
            <option key={t} value={t}>
              {APP_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Auth0 client id"
        htmlFor={`${id}-client-id`}
        description="From the application's settings in Auth0 (8 to 128 letters, digits, _ or -)."
        error={save.fieldError('clientId')}
      >
        <Input
          id={`${id}-client-id`}
          value={values.clientId}
          onChange={(e) => set('clientId', e.target.value)}
          maxLength={128}
          required
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
        />
      </Field>
      <fieldset className="space-y-2" aria-describedby={policyError ? `${id}-policy-error` : undefined}>
        <legend className="text-sm font-medium">Access policy</legend>
        {ACCESS_POLICIES.map((p) => (
          <div key={p} className="flex items-start gap-2 text-sm">
            <input
              id={`${id}-policy-${p}`}
              type="radio"
              className="mt-1"
              name={`${id}-policy`}
              value={p}
              checked={values.accessPolicy === p}
              onChange={() => set('accessPolicy', p)}
              aria-describedby={`${id}-policy-${p}-help`}
            />
            <div>
              <label htmlFor={`${id}-policy-${p}`} className="font-medium">
                {ACCESS_POLICY_LABELS[p]}
              </label>
              <p id={`${id}-policy-${p}-help`} className="text-muted-foreground">
                {ACCESS_POLICY_DESCRIPTIONS[p]}
              </p>
            </div>
          </div>
        ))}
        {widensToOpen && (
          <Alert variant="warning" data-testid="open-reach">
            Open lets in every member of every organization: {plural(props.openReach.people, 'person', 'people')} in{' '}
            {plural(props.openReach.orgs, 'organization')} could reach {values.name.trim() || 'this application'} as soon as you save,
            whatever their roles.
          </Alert>
        )}
        {policyError && (
          <p id={`${id}-policy-error`} role="alert" className="text-xs font-medium text-destructive">
            {policyError}
          </p>
        )}
      </fieldset>
      <Field label="Description" htmlFor={`${id}-description`} description="Optional." error={save.fieldError('description')}>
        <Textarea id={`${id}-description`} value={values.description} onChange={(e) => set('description', e.target.value)} maxLength={500} rows={2} />
      </Field>
      <Field
        label="Address"
        htmlFor={`${id}-url`}
        description="Optional. Where people open it (https://…); members see it as a link on their organization’s home."
        error={save.fieldError('url')}
      >
        <Input
          id={`${id}-url`}
          type="url"
          value={values.url}
          onChange={(e) => set('url', e.target.value)}
          maxLength={2000}
          autoComplete="off"
          spellCheck={false}
          placeholder="https://app.example.com"
        />
      </Field>
      <Button type="submit" loading={save.isPending}>
        {props.mode === 'create' ? 'Create application' : 'Save application'}
      </Button>
    </form>
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
