'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';

export interface DraftConditions {
  connection: string | null;
  emailDomain: string | null;
  requireVerifiedEmail: boolean;
}

export type PreviewAction = (input: DraftConditions) => Promise<ActionResult<{ count: number }>>;

/** How long typing must pause before the count is asked for again. */
export const PREVIEW_DEBOUNCE_MS = 300;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * "This would match N existing users": the dry run's count for the conditions as they are typed, before anything is
 * saved (debounced; the server checks the caller's power on every call). Announced politely to screen readers.
 */
export function RuleMatchPreview({ action, conditions }: { action: PreviewAction; conditions: DraftConditions }) {
  const key = JSON.stringify(conditions);
  const debouncedKey = useDebounced(key, PREVIEW_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['rule-preview', debouncedKey],
    queryFn: async () => {
      const result = await action(JSON.parse(debouncedKey) as DraftConditions);
      if (!result.ok) throw new Error(result.error.fieldErrors ? Object.values(result.error.fieldErrors)[0]?.[0] : result.error.message);
      return result.data.count;
    },
    placeholderData: keepPreviousData,
    retry: false,
  });
  const settling = key !== debouncedKey || query.isFetching;
  return (
    <p role="status" aria-live="polite" className="text-sm" data-testid="rule-preview" data-settled={settling ? 'false' : 'true'}>
      {query.isError ? (
        <span className="text-destructive">Cannot count matches yet: {query.error.message}</span>
      ) : query.data === undefined ? (
        <span className="text-muted-foreground">Counting existing users who match…</span>
      ) : (
        <>
          This would match{' '}
          <strong className="tabular-nums" data-testid="rule-preview-count">
            {query.data.toLocaleString('en')}
          </strong>{' '}
          existing {query.data === 1 ? 'user' : 'users'}
          {settling && <span className="text-muted-foreground"> (updating…)</span>}.
        </>
      )}
    </p>
  );
}
