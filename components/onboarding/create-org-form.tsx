'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { ActionResult } from '@/lib/actions/define-action';
import { slugify } from '@/lib/schemas/org';

export function CreateOrgForm({
  action,
}: {
  action: (input: { name: string; slug: string }) => Promise<ActionResult<{ slug: string; name: string }>>;
}) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useActionMutation(action, { onSuccess: (org) => router.push(`/orgs/${org.slug}`) });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, slug });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Create organization">
      {create.publicError && !create.publicError.fieldErrors && <Alert variant="destructive">{create.publicError.message}</Alert>}
      <Field label="Organization name" htmlFor="org-name" error={create.fieldError('name')}>
        <Input
          id="org-name"
          value={name}
          autoFocus
          maxLength={100}
          required
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(slugify(e.target.value));
          }}
        />
      </Field>
      <Field
        label="Address"
        htmlFor="org-slug"
        description="Lowercase letters, digits and hyphens; 3 to 48 characters. It appears in URLs: /orgs/your-address."
        error={create.fieldError('slug')}
      >
        <Input
          id="org-slug"
          value={slug}
          maxLength={48}
          required
          autoCapitalize="none"
          spellCheck={false}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value);
          }}
        />
      </Field>
      <Button type="submit" loading={create.isPending || create.isSuccess} className="w-full">
        Create organization
      </Button>
    </form>
  );
}
