'use client';

import { Button } from '@/components/ui/button';

/** Unexpected errors: a generic message and the digest to quote; details stay in the server log. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
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
      <Button onClick={reset}>Try again</Button>
    </main>
  );
}
