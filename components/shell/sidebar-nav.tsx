'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils/cn';

export interface NavItem {
  href: string;
  label: string;
  /** Matches only the exact path (for overview pages). */
  exact?: boolean;
}

export function SidebarNav({ items, label, horizontal = false }: { items: NavItem[]; label: string; horizontal?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className={cn(horizontal ? 'overflow-x-auto px-2' : 'p-3')}>
      <ul className={cn(horizontal ? 'flex gap-1 py-2' : 'flex flex-col gap-0.5')}>
        {items.map((item) => {
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
        })}
      </ul>
    </nav>
  );
}
