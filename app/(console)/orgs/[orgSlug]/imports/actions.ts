'use server';

import { revalidatePath } from 'next/cache';
import { orgAction } from '@/lib/actions/define-action';
import * as imports from '@/lib/data/imports';
import { CancelImportInput, RunImportInput, StartImportInput } from '@/lib/schemas/imports';

/** Uploads a file for this org (the org is implied) and runs its dry run. */
export const startOrgImport = orgAction('startOrgImport', { input: StartImportInput }, async ({ input, ctx }) => {
  const job = await imports.startImport(ctx, input.file);
  revalidatePath(`/orgs/${ctx.org.slug}/imports`);
  return { id: job.id };
});

export const runOrgImport = orgAction('runOrgImport', { input: RunImportInput }, async ({ input, ctx }) => {
  const job = await imports.runImportJob(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/imports`);
  return { id: job.id, status: job.status };
});

export const cancelOrgImport = orgAction('cancelOrgImport', { input: CancelImportInput }, async ({ input, ctx }) => {
  const job = await imports.cancelImportJob(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/imports`);
  return { id: job.id, status: job.status };
});
