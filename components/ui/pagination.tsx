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
