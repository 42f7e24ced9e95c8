import Link from 'next/link';
import { ChevronRight } from 'lucide-react';

/** Where a detail page sits: links up the hierarchy, the last item (this page) marked as current. */
export function Breadcrumbs({ items }: { items: { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb">
      <ol className="flex flex-wrap items-center gap-1 text-sm text-muted-foreground">
        {items.map((item, i) => {
          const last = i === items.length - 1;
          return (
            <li key={`${i}-${item.label}`} className="inline-flex min-w-0 max-w-full items-center gap-1">
              {i > 0 && <ChevronRight aria-hidden className="size-4 shrink-0" />}
              {item.href && !last ? (
                <Link href={item.href} className="min-w-0 wrap-anywhere underline-offset-4 hover:text-foreground hover:underline">
                  {item.label}
                </Link>
              ) : (
                <span aria-current={last ? 'page' : undefined} className={last ? 'min-w-0 wrap-anywhere text-foreground' : 'min-w-0 wrap-anywhere'}>
                  {item.label}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
