'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import { setPlatformRole as setRole } from '@/lib/data/staff';
import { SetPlatformRoleInput } from '@/lib/schemas/platform-users';

export const setPlatformRole = platformAction('setPlatformRole', { input: SetPlatformRoleInput }, async ({ input, ctx }) => {
  const result = await setRole(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});
