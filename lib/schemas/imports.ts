import { z } from 'zod';

/** An uploaded import file (the form's file input). Its contents are checked by lib/provisioning/import/parse.ts. */
export const StartImportInput = z.object({
  file: z.instanceof(File, { error: 'Choose a CSV or JSON Lines file.' }).refine((f) => f.size > 0, 'The file is empty.'),
});
export type StartImportInput = z.infer<typeof StartImportInput>;

export const RunImportInput = z.object({
  jobId: z.uuid('That import does not exist.'),
  sendInvitations: z.boolean().optional(),
});
export type RunImportInput = z.infer<typeof RunImportInput>;

export const CancelImportInput = z.object({ jobId: z.uuid('That import does not exist.') });
export type CancelImportInput = z.infer<typeof CancelImportInput>;

/** The job id in a route's path (…/imports/<id>/<leaf>); an id that is not a UUID finds nothing (not-found). */
export function jobIdFromPath(pathname: string, leaf: string): string {
  const parts = pathname.split('/');
  const i = parts.lastIndexOf(leaf);
  return i > 0 ? decodeURIComponent(parts[i - 1] ?? '') : '';
}
