'use server';

import { revalidatePath } from 'next/cache';
import { platformAction } from '@/lib/actions/define-action';
import * as assignments from '@/lib/data/assignments';
import { CreateAssignmentInput, DeleteAssignmentInput } from '@/lib/schemas/assignments';

// Assignments show on the client pages, the matrix and the org pages, so the platform area is revalidated.

export const createAssignment = platformAction('createAssignment', { input: CreateAssignmentInput }, async ({ input, ctx }) => {
  const result = await assignments.createAssignment(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});

export const deleteAssignment = platformAction('deleteAssignment', { input: DeleteAssignmentInput }, async ({ input, ctx }) => {
  const result = await assignments.deleteAssignment(ctx, input);
  revalidatePath('/platform', 'layout');
  return result;
});
