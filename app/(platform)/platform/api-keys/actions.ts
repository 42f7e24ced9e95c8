'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as keys from '@/lib/data/api-keys';
import { CreateApiKeyInput, RevokeApiKeyInput } from '@/lib/schemas/api-keys';

export const createApiKey = platformAction('createApiKey', { input: CreateApiKeyInput }, async ({ input, ctx }) => {
  const created = await keys.createApiKey(ctx, input);
  revalidatePath('/platform/api-keys');
  return created;
});

export const revokeApiKey = platformAction('revokeApiKey', { input: RevokeApiKeyInput }, async ({ input, ctx }) => {
  const result = await keys.revokeApiKey(ctx, input);
  revalidatePath('/platform/api-keys');
  return result;
});
