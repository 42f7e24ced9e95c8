'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import { setOrgAuth0Link as setLink } from '@/lib/data/platform-orgs';
import { SetOrgAuth0LinkInput } from '@/lib/schemas/org-link';

export const setOrgAuth0Link = platformAction('setOrgAuth0Link', { input: SetOrgAuth0LinkInput }, async ({ input, ctx }) => {
  const result = await setLink(ctx, input);
  revalidatePath('/platform/orgs', 'layout');
  return result;
});
