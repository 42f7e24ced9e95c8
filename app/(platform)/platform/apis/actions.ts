'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as apis from '@/lib/data/catalog/apis';
import { CreateApiInput, CreatePermissionInput, DeleteApiInput, DeletePermissionInput, UpdateApiInput } from '@/lib/schemas/catalog';

// Catalog changes show on several platform pages (counts on roles and applications), so the whole area is revalidated.

export const createApi = platformAction('createApi', { input: CreateApiInput }, async ({ input, ctx }) => {
  const result = await apis.createApi(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const updateApi = platformAction('updateApi', { input: UpdateApiInput }, async ({ input, ctx }) => {
  const result = await apis.updateApi(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const deleteApi = platformAction('deleteApi', { input: DeleteApiInput }, async ({ input, ctx }) => {
  const result = await apis.deleteApi(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const createPermission = platformAction('createPermission', { input: CreatePermissionInput }, async ({ input, ctx }) => {
  const result = await apis.createPermission(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const deletePermission = platformAction('deletePermission', { input: DeletePermissionInput }, async ({ input, ctx }) => {
  const result = await apis.deletePermission(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});
