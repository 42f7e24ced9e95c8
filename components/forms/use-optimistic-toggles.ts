'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';

/**
 * Checkboxes that save each click at once (member roles, an application's roles): the box shows the new state
 * immediately and keeps it while saving (a TanStack Query mutation with an optimistic update); a refusal puts that box
 * back and says why. The page is refreshed once the last pending click is saved, and the server's list replaces the
 * local one only then, so an earlier answer never flips a box the person has clicked since.
 */
export function useOptimisticToggles(
  fromServer: readonly string[],
  save: (id: string, on: boolean) => Promise<ActionResult<unknown>>,
  what: { failedTitle: string },
) {
  const router = useRouter();
  const inFlight = useRef(0);
  const key = [...fromServer].sort().join(',');
  const [state, setState] = useState(() => ({ key, on: new Set(fromServer), pending: 0 }));
  if (state.key !== key && state.pending === 0) setState({ key, on: new Set(fromServer), pending: 0 });
  const setOne = (id: string, on: boolean, pendingDelta = 0) =>
    setState((prev) => {
      const next = new Set(prev.on);
      if (on) next.add(id);
      else next.delete(id);
      return { key: prev.key, on: next, pending: prev.pending + pendingDelta };
    });
  const mutation = useMutation<unknown, Error, { id: string; on: boolean }, { was: boolean }>({
    mutationFn: async ({ id, on }) => {
      const result = await save(id, on);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    onMutate: ({ id, on }) => {
      inFlight.current += 1;
      const was = state.on.has(id);
      setOne(id, on, 1);
      return { was };
    },
    onError: (error, { id }, context) => {
      setOne(id, context?.was ?? false);
      toast({ title: what.failedTitle, description: error.message, variant: 'destructive' });
    },
    onSettled: () => {
      setState((prev) => ({ ...prev, pending: prev.pending - 1 }));
      inFlight.current -= 1;
      if (inFlight.current === 0) router.refresh();
    },
  });
  return {
    isOn: (id: string) => state.on.has(id),
    toggle: (id: string, on: boolean) => mutation.mutate({ id, on }),
    /** The last refusal, if any (shown next to the boxes as well as in the toast). */
    error: mutation.error,
    isSaving: (id: string) => mutation.isPending && mutation.variables?.id === id,
  };
}
