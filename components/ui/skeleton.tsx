import { cn } from '@/lib/utils/cn';
import { TopProgressBar } from './progress-bar';

/** A grey placeholder block while a page loads. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn('animate-pulse rounded-md bg-muted', className)} />;
}

/**
 * The shape of a list screen (header, toolbar, table rows) while its data loads; said as "Loading …" to screen
 * readers. Used by the loading.tsx of every list page.
 */
export function ListSkeleton({ label, rows = 8, columns = 4 }: { label: string; rows?: number; columns?: number }) {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading {label}…</span>
      <TopProgressBar />
      <div className="space-y-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-full max-w-md" />
      </div>
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-9 w-full max-w-xs" />
        <Skeleton className="h-9 w-20" />
      </div>
      <div className="overflow-hidden rounded-lg border border-border">
        <div className="flex gap-4 border-b border-border bg-muted/60 px-3 py-3">
          {Array.from({ length: columns }, (_, i) => (
            <Skeleton key={i} className="h-4 flex-1" />
          ))}
        </div>
        {Array.from({ length: rows }, (_, r) => (
          <div key={r} className="flex gap-4 border-b border-border px-3 py-3 last:border-0">
            {Array.from({ length: columns }, (_, i) => (
              <Skeleton key={i} className={cn('h-4 flex-1', i === 0 && 'max-w-48')} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/** The access matrix while it loads: a header row of application names and a grid of cells. */
export function MatrixSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading {label}…</span>
      <TopProgressBar />
      <div className="space-y-2">
        <Skeleton className="h-7 w-56" />
        <Skeleton className="h-4 w-full max-w-lg" />
      </div>
      <div className="flex flex-wrap gap-2">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-9 w-36" />
        ))}
      </div>
      <div className="overflow-hidden rounded-lg border border-border">
        {Array.from({ length: 10 }, (_, r) => (
          <div key={r} className="grid grid-cols-[12rem_repeat(6,minmax(0,1fr))] gap-3 border-b border-border px-3 py-2.5 last:border-0">
            <Skeleton className="h-4" />
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} className={cn('mx-auto size-5 rounded-full', r === 0 && 'h-4 w-full rounded-md')} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/** A detail page (header, then sections) while it loads. */
export function DetailSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading {label}…</span>
      <TopProgressBar />
      <div className="space-y-2">
        <Skeleton className="h-4 w-40" />
        <Skeleton className="h-7 w-64" />
        <Skeleton className="h-4 w-full max-w-md" />
      </div>
      {Array.from({ length: 3 }, (_, i) => (
        <div key={i} className="space-y-3 rounded-lg border border-border p-6">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-4 w-full" />
          <Skeleton className="h-4 w-3/4" />
        </div>
      ))}
    </div>
  );
}
