'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import { setOrgAuth0Link as setLink } from '@/lib/data/platform-orgs';
import { setOrgSuspended } from '@/lib/data/platform-org-detail';
import { SetOrgAuth0LinkInput } from '@/lib/schemas/org-link';
import { SetOrgSuspendedInput } from '@/lib/schemas/org-suspension';

export const setOrgAuth0Link = platformAction('setOrgAuth0Link', { input: SetOrgAuth0LinkInput }, async ({ input, ctx }) => {
  const result = await setLink(ctx, input);
  revalidatePath('/platform/orgs', 'layout');
  return result;
});

export const suspendOrg = platformAction('suspendOrg', { input: SetOrgSuspendedInput }, async ({ input, ctx }) => {
  const result = await setOrgSuspended(ctx, { ...input, suspend: true });
  revalidatePath('/platform', 'layout');
  return result;
});

export const unsuspendOrg = platformAction('unsuspendOrg', { input: SetOrgSuspendedInput }, async ({ input, ctx }) => {
  const result = await setOrgSuspended(ctx, { ...input, suspend: false });
  revalidatePath('/platform', 'layout');
  return result;
});
