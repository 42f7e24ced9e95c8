'use server';

import { revalidatePath } from 'next/cache';
import { orgAction } from '@/lib/actions/define-action';
import * as matrix from '@/lib/data/matrix';
import { GrantFromOrgMatrixInput, RevokeFromMatrixInput } from '@/lib/schemas/matrix';

export const grantFromOrgMatrix = orgAction('grantFromOrgMatrix', { input: GrantFromOrgMatrixInput }, async ({ input, ctx }) => {
  const result = await matrix.grantFromOrgMatrix(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/members`);
  return result;
});

export const revokeFromOrgMatrix = orgAction('revokeFromOrgMatrix', { input: RevokeFromMatrixInput }, async ({ input, ctx }) => {
  const result = await matrix.revokeFromOrgMatrix(ctx, input);
  revalidatePath(`/orgs/${ctx.org.slug}/members`);
  return result;
});
