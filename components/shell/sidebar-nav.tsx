'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils/cn';

export interface NavItem {
  href: string;
  label: string;
  /** Matches only the exact path (for overview pages). */
  exact?: boolean;
  /** The group the item is listed under (consecutive items with the same group share a heading). */
  group?: string;
}

/** Consecutive items of the same group, in order. */
function groupsOf(items: NavItem[]): { group: string | undefined; items: NavItem[] }[] {
  const out: { group: string | undefined; items: NavItem[] }[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && last.group === item.group) last.items.push(item);
    else out.push({ group: item.group, items: [item] });
  }
  return out;
}

export function SidebarNav({ items, label, horizontal = false }: { items: NavItem[]; label: string; horizontal?: boolean }) {
  const pathname = usePathname();
  const link = (item: NavItem) => {
    const active = item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
    return (
      <li key={item.href}>
        <Link
          href={item.href}
          aria-current={active ? 'page' : undefined}
          className={cn(
            'block whitespace-nowrap rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:bg-muted hover:text-foreground',
            active && 'bg-muted font-medium text-foreground',
          )}
        >
          {item.label}
        </Link>
      </li>
    );
  };
  if (horizontal) {
    return (
      <nav aria-label={label} className="overflow-x-auto px-2">
        <ul className="flex gap-1 py-2">{items.map(link)}</ul>
      </nav>
    );
  }
  return (
    <nav aria-label={label} className="space-y-4 p-3">
      {groupsOf(items).map((g, i) =>
        g.group ? (
          <div key={`${g.group}-${i}`} role="group" aria-labelledby={`nav-group-${i}`}>
            <div id={`nav-group-${i}`} className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-muted-foreground">
              {g.group}
            </div>
            <ul className="flex flex-col gap-0.5">{g.items.map(link)}</ul>
          </div>
        ) : (
          <ul key={`ungrouped-${i}`} className="flex flex-col gap-0.5">
            {g.items.map(link)}
          </ul>
        ),
      )}
    </nav>
  );
}
