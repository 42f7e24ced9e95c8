import Link from 'next/link';
import { ChevronRight } from 'lucide-react';

/** Where a detail page sits: links back up the hierarchy, the last item (this page) marked as current. */
export function Breadcrumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb">
      <ol className="flex flex-wrap items-center gap-1 text-sm text-muted-foreground">
        {items.map((item, i) => {
          const last = i === items.length - 1;
          return (
            <li key={`${i}-${item.label}`} className="flex min-w-0 items-center gap-1">
              {i > 0 && <ChevronRight aria-hidden className="size-4 shrink-0" />}
              {last || !item.href ? (
                <span aria-current={last ? 'page' : undefined} className="truncate font-medium text-foreground">
                  {item.label}
                </span>
              ) : (
                <Link href={item.href} className="truncate underline-offset-4 hover:text-foreground hover:underline">
                  {item.label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
