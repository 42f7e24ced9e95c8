'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as applications from '@/lib/data/catalog/applications';
import { setApplicationRoleMapping } from '@/lib/data/catalog/role-grants';
import { CreateApplicationInput, DeleteApplicationInput, SetApplicationRoleInput, UpdateApplicationInput } from '@/lib/schemas/catalog';

// Applications show on the role and matrix pages too, so the whole platform area is revalidated.

export const createApplication = platformAction('createApplication', { input: CreateApplicationInput }, async ({ input, ctx }) => {
  const result = await applications.createApplication(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const updateApplication = platformAction('updateApplication', { input: UpdateApplicationInput }, async ({ input, ctx }) => {
  const result = await applications.updateApplication(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const deleteApplication = platformAction('deleteApplication', { input: DeleteApplicationInput }, async ({ input, ctx }) => {
  const result = await applications.deleteApplication(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

/** Maps a role to the application (or removes it) through the role editor's data function. */
export const setApplicationRole = platformAction('setApplicationRole', { input: SetApplicationRoleInput }, async ({ input, ctx }) => {
  const result = await setApplicationRoleMapping(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});
