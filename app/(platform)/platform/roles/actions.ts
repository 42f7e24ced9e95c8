'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as grants from '@/lib/data/catalog/role-grants';
import * as roles from '@/lib/data/catalog/roles';
import { CreateRoleInput, DeleteRoleInput, SetRoleApplicationsInput, SetRolePermissionsInput, UpdateRoleInput } from '@/lib/schemas/catalog';

// Roles show on the API, application and matrix pages too, so the whole platform area is revalidated.

export const createRole = platformAction('createRole', { input: CreateRoleInput }, async ({ input, ctx }) => {
  const result = await roles.createRole(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const updateRole = platformAction('updateRole', { input: UpdateRoleInput }, async ({ input, ctx }) => {
  const result = await roles.updateRole(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const deleteRole = platformAction('deleteRole', { input: DeleteRoleInput }, async ({ input, ctx }) => {
  const result = await roles.deleteRole(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const setRolePermissions = platformAction('setRolePermissions', { input: SetRolePermissionsInput }, async ({ input, ctx }) => {
  const result = await grants.setRolePermissions(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const setRoleApplications = platformAction('setRoleApplications', { input: SetRoleApplicationsInput }, async ({ input, ctx }) => {
  const result = await grants.setRoleApplications(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});
