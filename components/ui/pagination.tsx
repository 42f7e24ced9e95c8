import Link from 'next/link';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { cn } from '@/lib/utils/cn';

const linkClass = 'inline-flex h-8 items-center gap-1 rounded-md border border-border px-3 text-sm hover:bg-muted';
const disabledClass = 'inline-flex h-8 items-center gap-1 rounded-md border border-border px-3 text-sm text-muted-foreground opacity-50';

/** Cursor pagination: links to the previous (or first) and next page; absent links render disabled. */
export function Pagination({
  prevHref,
  nextHref,
  prevLabel = 'Previous',
  nextLabel = 'Next',
}: {
  prevHref?: string;
  nextHref?: string;
  prevLabel?: string;
  nextLabel?: string;
}) {
  if (!prevHref && !nextHref) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
      {prevHref ? (
        <Link href={prevHref} className={linkClass}>
          <ChevronLeft aria-hidden className="size-4" /> {prevLabel}
        </Link>
      ) : (
        <span aria-disabled="true" className={disabledClass}>
          <ChevronLeft aria-hidden className="size-4" /> {prevLabel}
        </span>
      )}
      {nextHref ? (
        <Link href={nextHref} className={cn(linkClass)}>
          {nextLabel} <ChevronRight aria-hidden className="size-4" />
        </Link>
      ) : (
        <span aria-disabled="true" className={disabledClass}>
          {nextLabel} <ChevronRight aria-hidden className="size-4" />
        </span>
      )}
    </nav>
  );
}

/**
 * Keyset pagination: "Next" carries the next cursor; "First page" goes back to the start (a keyset list cannot
 * step back one page). `href(cursor)` builds a link that keeps the list's search, filters and sort.
 */
export function KeysetPagination({
  cursor,
  nextCursor,
  href,
  firstLabel = 'First page',
  nextLabel = 'Next',
}: {
  /** The cursor of the page shown; undefined on the first page. */
  cursor: string | undefined;
  nextCursor: string | null;
  href: (cursor: string | undefined) => string;
  firstLabel?: string;
  nextLabel?: string;
}) {
  return (
    <Pagination
      prevHref={cursor ? href(undefined) : undefined}
      prevLabel={firstLabel}
      nextHref={nextCursor ? href(nextCursor) : undefined}
      nextLabel={nextLabel}
    />
  );
}
