import Link from 'next/link';
import type { ReactNode } from 'react';

/** A list row's first cell: its name linking to its page, badges after it, and its description underneath. */
export function RowTitle({ href, title, description, badges }: { href: string; title: string; description?: string | null; badges?: ReactNode }) {
  return (
    <>
      <Link href={href} className="underline-offset-4 wrap-anywhere hover:underline">
        {title}
      </Link>
      {badges}
      {description && <span className="block max-w-prose text-xs font-normal text-muted-foreground wrap-anywhere">{description}</span>}
    </>
  );
}
