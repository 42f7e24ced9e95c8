'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useUnsavedSection } from '@/components/forms/unsaved-changes';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

export interface RoleValues {
  key: string;
  name: string;
  description: string;
}

type Saved = ActionResult<{ id: string; key: string; name: string }>;
type Props =
  | { mode: 'create'; action: (input: RoleValues) => Promise<Saved> }
  | { mode: 'edit'; role: RoleValues & { id: string; builtIn: boolean }; action: (input: RoleValues & { roleId: string }) => Promise<Saved> };

/** Creates a role (then opens it, to choose what it grants) or edits one; a built-in role's key is shown, not editable. */
export function RoleForm(props: Props) {
  const router = useRouter();
  const id = useId();
  const builtIn = props.mode === 'edit' && props.role.builtIn;
  const [values, setValues] = useState<RoleValues>(props.mode === 'edit' ? props.role : { key: '', name: '', description: '' });
  const [saved, setSaved] = useState<RoleValues>(values);
  const dirty = props.mode === 'edit' && (values.key !== saved.key || values.name !== saved.name || values.description !== saved.description);
  const unsaved = useUnsavedSection('Details', dirty);
  const set = (k: keyof RoleValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const save = useActionMutation((v: RoleValues) => (props.mode === 'edit' ? props.action({ ...v, roleId: props.role.id }) : props.action(v)), {
    onSuccess: (data, input) => {
      if (props.mode === 'create') {
        toast({ title: `Created ${data.name}` });
        router.push(`/platform/roles/${data.id}`);
      } else {
        toast(unsaved.savedMessage('Role saved'));
        // The key may have been normalised (lower case); show what was stored.
        setValues((v) => ({ ...v, key: data.key }));
        setSaved({ ...input, key: data.key });
        router.refresh();
      }
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate(values);
  }
  const error = save.publicError;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label={props.mode === 'create' ? 'New role' : 'Role details'}>
      {error && !error.fieldErrors && <Alert variant="destructive">{error.message}</Alert>}
      <Field
        label="Key"
        htmlFor={`${id}-key`}
        description={
          builtIn
            ? 'Built-in roles keep their key: it stands for a membership tier.'
            : 'What tokens and the decision API carry, such as billing:admin. Letters, digits and : _ - . ; stored in lower case.'
        }
        error={save.fieldError('key')}
      >
        <Input
          id={`${id}-key`}
          value={values.key}
          onChange={set('key')}
          maxLength={63}
          required
          readOnly={builtIn}
          autoComplete="off"
          spellCheck={false}
          className={builtIn ? 'bg-muted' : undefined}
        />
      </Field>
      <Field label="Name" htmlFor={`${id}-name`} error={save.fieldError('name')}>
        <Input id={`${id}-name`} value={values.name} onChange={set('name')} maxLength={100} required autoComplete="off" />
      </Field>
      <Field label="Description" htmlFor={`${id}-description`} description="Optional." error={save.fieldError('description')}>
        <Textarea id={`${id}-description`} value={values.description} onChange={set('description')} maxLength={500} rows={2} />
      </Field>
      <div className="flex items-center gap-3">
        <Button type="submit" loading={save.isPending}>
          {props.mode === 'create' ? 'Create role' : 'Save role'}
        </Button>
        {props.mode === 'edit' && (
          <span className="text-sm text-muted-foreground" aria-live="polite">
            {unsaved.isUnsaved ? 'Unsaved changes' : ''}
          </span>
        )}
      </div>
    </form>
  );
}
