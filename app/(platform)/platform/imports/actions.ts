'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as imports from '@/lib/data/imports';
import { CancelImportInput, RunImportInput, StartImportInput } from '@/lib/schemas/imports';

/** Uploads a file and runs its dry run (nothing but the plan is written). */
export const startPlatformImport = platformAction('startPlatformImport', { input: StartImportInput }, async ({ input, ctx }) => {
  const job = await imports.startImport(ctx, input.file);
  revalidatePath('/platform/imports');
  return { id: job.id };
});

export const runPlatformImport = platformAction('runPlatformImport', { input: RunImportInput }, async ({ input, ctx }) => {
  const job = await imports.runImportJob(ctx, input);
  revalidatePath('/platform/imports');
  return { id: job.id, status: job.status };
});

export const cancelPlatformImport = platformAction('cancelPlatformImport', { input: CancelImportInput }, async ({ input, ctx }) => {
  const job = await imports.cancelImportJob(ctx, input);
  revalidatePath('/platform/imports');
  return { id: job.id, status: job.status };
});
