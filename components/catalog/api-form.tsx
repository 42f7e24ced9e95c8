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

export interface ApiValues {
  name: string;
  identifier: string;
  description: string;
}

type Saved = ActionResult<{ id: string; name: string }>;
type Props =
  | { mode: 'create'; action: (input: ApiValues) => Promise<Saved> }
  | { mode: 'edit'; api: ApiValues & { id: string }; action: (input: ApiValues & { apiId: string }) => Promise<Saved> };

/** Creates an API (then opens it, to add permissions) or edits one. Field errors show inline; typing is kept. */
export function ApiForm(props: Props) {
  const router = useRouter();
  const id = useId();
  const start = props.mode === 'edit' ? props.api : { name: '', identifier: '', description: '' };
  const [values, setValues] = useState<ApiValues>(start);
  const set = (k: keyof ApiValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const save = useActionMutation(
    (v: ApiValues) => (props.mode === 'edit' ? props.action({ ...v, apiId: props.api.id }) : props.action(v)),
    {
      onSuccess: (data) => {
        if (props.mode === 'create') {
          toast({ title: `Created ${data.name}` });
          router.push(`/platform/apis/${data.id}`);
        } else {
          toast({ title: 'API saved' });
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
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label={props.mode === 'create' ? 'New API' : 'API details'}>
      {error && !error.fieldErrors && <Alert variant="destructive">{error.message}</Alert>}
      <Field label="Name" htmlFor={`${id}-name`} error={save.fieldError('name')}>
        <Input id={`${id}-name`} value={values.name} onChange={set('name')} maxLength={100} required autoComplete="off" />
      </Field>
      <Field
        label="Identifier"
        htmlFor={`${id}-identifier`}
        description="The audience, as in Auth0: an absolute URL such as https://api.example.com, or a URN such as urn:example:api."
        error={save.fieldError('identifier')}
      >
        <Input id={`${id}-identifier`} value={values.identifier} onChange={set('identifier')} maxLength={200} required autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Description" htmlFor={`${id}-description`} description="Optional." error={save.fieldError('description')}>
        <Textarea id={`${id}-description`} value={values.description} onChange={set('description')} maxLength={500} rows={2} />
      </Field>
      <Button type="submit" loading={save.isPending}>
        {props.mode === 'create' ? 'Create API' : 'Save API'}
      </Button>
    </form>
  );
}
