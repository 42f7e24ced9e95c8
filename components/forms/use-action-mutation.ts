'use client';

import { useMutation } from '@tanstack/react-query';
import type { ActionResult } from '@/lib/actions/define-action';
import type { PublicError } from '@/lib/errors';

class ActionFailure extends Error {
  constructor(readonly error: PublicError) {
    super(error.message);
  }
}

const OFFLINE: PublicError = { code: 'INTERNAL', message: 'Could not reach Gatehouse. Check your connection and try again.' };

/**
 * Calls a server action through a React Query mutation; `{ ok: false }` results become the mutation's error, with
 * field errors for inline display. What the user typed stays in the form.
 */
export function useActionMutation<I, O>(
  action: (input: I) => Promise<ActionResult<O>>,
  options: { onSuccess?: (data: O, input: I) => void } = {},
) {
  const mutation = useMutation<O, Error, I>({
    mutationFn: async (input) => {
      const result = await action(input);
      if (!result.ok) throw new ActionFailure(result.error);
      return result.data;
    },
    onSuccess: options.onSuccess ? (data, input) => options.onSuccess!(data, input) : undefined,
  });
  const publicError: PublicError | null = mutation.error
    ? mutation.error instanceof ActionFailure
      ? mutation.error.error
      : OFFLINE
    : null;
  return {
    ...mutation,
    publicError,
    fieldError: (name: string): string | undefined => publicError?.fieldErrors?.[name]?.[0],
  };
}
