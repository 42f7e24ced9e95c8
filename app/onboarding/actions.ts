'use server';

import { userAction } from '@/lib/actions/define-action';
import { createOrg } from '@/lib/data/orgs';
import { CreateOrgInput } from '@/lib/schemas/org';

/** Creates an org; the signed-in user becomes its owner. */
export const createOrgAction = userAction({ input: CreateOrgInput, name: 'org.create' }, async ({ input, ctx }) => {
  return createOrg(ctx, input);
});
