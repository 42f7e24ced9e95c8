'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import { setUserBlocked } from '@/lib/data/platform-users';
import { UserIdInput } from '@/lib/schemas/platform-users';

export const blockUser = platformAction('blockUser', { input: UserIdInput }, async ({ input, ctx }) => {
  const result = await setUserBlocked(ctx, { userId: input.userId, blocked: true });
  revalidatePath('/platform/users', 'layout');
  return result;
});

export const unblockUser = platformAction('unblockUser', { input: UserIdInput }, async ({ input, ctx }) => {
  const result = await setUserBlocked(ctx, { userId: input.userId, blocked: false });
  revalidatePath('/platform/users', 'layout');
  return result;
});
