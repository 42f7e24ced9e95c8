'use server';

import { platformAction } from '@/lib/actions/define-action';
import * as matrix from '@/lib/data/matrix';
import { GrantFromPlatformMatrixInput, RevokeFromMatrixInput } from '@/lib/schemas/matrix';

export const grantFromPlatformMatrix = platformAction('grantFromPlatformMatrix', { input: GrantFromPlatformMatrixInput }, async ({ input, ctx }) =>
  matrix.grantFromPlatformMatrix(ctx, input),
);

export const revokeFromPlatformMatrix = platformAction('revokeFromPlatformMatrix', { input: RevokeFromMatrixInput }, async ({ input, ctx }) =>
  matrix.revokeFromPlatformMatrix(ctx, input),
);
