'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionResult } from '@/lib/actions/define-action';

/** Uploads an import file and runs its dry run; on success opens the job's page with the plan. */
interface ImportUploadFormProps {
  // A method signature: the platform's action and the org's (which also takes orgSlug) both fit.
  action(input: { orgSlug?: string; file: File }): Promise<ActionResult<{ id: string }>>;
  /** The imports list path; the job opens at `${base}/<id>`. */
  base: string;
  /** On an org's screen: the org (implied for every row). */
  orgSlug?: string;
}

export function ImportUploadForm({ action, base, orgSlug }: ImportUploadFormProps) {
  const orgImplied = orgSlug !== undefined;
  const router = useRouter();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const upload = useActionMutation(action, { onSuccess: (job) => router.push(`${base}/${job.id}`) });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (file) upload.mutate({ file, ...(orgSlug ? { orgSlug } : {}) });
  }
  const columns = orgImplied ? 'email, name, tier, roles, connection' : 'email, name, org, tier, roles, connection';
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Upload an import file">
      {upload.publicError && <Alert variant="destructive">{upload.publicError.message}</Alert>}
      <Field
        label="Import file (CSV or JSON Lines)"
        htmlFor={`${id}-file`}
        description={`A header row with the columns ${columns}; roles are role keys separated by “;”. Up to 100,000 people and 50 MB. Nothing changes until you run the checked file.`}
      >
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-input file:bg-background file:px-3 file:py-1.5 file:text-sm"
        />
      </Field>
      <Button type="submit" disabled={!file || upload.isPending}>
        {upload.isPending ? 'Checking…' : 'Check file (dry run)'}
      </Button>
    </form>
  );
}
