'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/** What an error boundary receives (Next 16: `retry` re-fetches the segment and resets the boundary in a transition). */
export interface ErrorBoundaryProps {
  error: Error & { digest?: string };
  retry: () => void;
}

type Kind = 'checking' | 'unavailable' | 'error';

/** Waits between probes while the database is away: 1 s, 2 s, 4 s … at most 15 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 15_000);
}

/**
 * In production a server error reaches the browser as a generic message and a digest only, so the boundary asks the
 * health endpoint (outside the proxy, no session needed) whether the database is the cause.
 */
async function databaseReachable(): Promise<boolean> {
  try {
    const response = await fetch('/api/health', { cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The body of every error boundary. When the database is unreachable it says so and retries on its own with
 * backoff, re-rendering the failed segment (not the page around it, so the shell and its navigation stay) once the
 * database answers again; otherwise a generic message and the digest to quote. "Try again" only re-renders when
 * the database answers, so pressing it during an outage never trades the shell for a bare error page.
 */
export function ErrorPanel({ error, retry, fullPage = false }: ErrorBoundaryProps & { fullPage?: boolean }) {
  const [kind, setKind] = useState<Kind>('checking');
  const latestRetry = useRef(retry);
  useEffect(() => {
    latestRetry.current = retry;
  }, [retry]);

  useEffect(() => {
    let cancelled = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async (): Promise<void> => {
      const reachable = await databaseReachable();
      if (cancelled) return;
      if (reachable) {
        // Reachable at the first look: the failure was something else. Reachable again after an outage: re-render.
        if (attempt === 0) setKind('error');
        else latestRetry.current();
        return;
      }
      setKind('unavailable');
      timer = setTimeout(() => void check(), retryDelayMs(attempt++));
    };
    timer = setTimeout(() => void check(), 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [error]);

  const tryAgain = async (): Promise<void> => {
    if (kind !== 'unavailable' || (await databaseReachable())) retry();
  };

  const frame = fullPage
    ? 'mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 px-6 text-center'
    : 'flex max-w-xl flex-col items-start gap-4 py-8';
  const Wrapper = fullPage ? 'main' : 'section';

  if (kind === 'unavailable') {
    return (
      <Wrapper id={fullPage ? 'main' : undefined} className={frame} role="alert" aria-live="polite">
        <h1 className="text-2xl font-semibold">The database is unreachable; retrying…</h1>
        <p className="text-muted-foreground">
          This page will come back by itself as soon as the database answers again. Nothing you do here is lost by waiting.
        </p>
        <Button onClick={() => void tryAgain()}>Try again</Button>
      </Wrapper>
    );
  }
  return (
    <Wrapper id={fullPage ? 'main' : undefined} className={frame} role={kind === 'error' ? 'alert' : undefined}>
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-muted-foreground">
        Try again. If it keeps happening, tell your administrator
        {error.digest ? (
          <>
            {' '}
            and quote <code className="rounded bg-muted px-1">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button onClick={() => void tryAgain()}>Try again</Button>
    </Wrapper>
  );
}
