'use client';

import { Menu, X } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
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

/**
 * The one item that is the current page: the longest href that is the path or a parent of it, so a nested route
 * (/platform/roles/123) marks "Roles" and never "Dashboard" as well. Exported for its unit test.
 */
export function activeNavHref(items: NavItem[], pathname: string): string | null {
  const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const path = trim(pathname);
  let best: string | null = null;
  for (const item of items) {
    const href = trim(item.href);
    const matches = item.exact ? path === href : path === href || path.startsWith(`${href}/`);
    if (matches && (best === null || item.href.length > best.length)) best = item.href;
  }
  return best;
}

/** The area's navigation as a list of links (in groups where the items name one), exactly one marked as the current page. */
export function SidebarNav({ items, label, horizontal = false }: { items: NavItem[]; label: string; horizontal?: boolean }) {
  const active = activeNavHref(items, usePathname());
  const link = (item: NavItem) => (
    <li key={item.href}>
      <Link
        href={item.href}
        aria-current={item.href === active ? 'page' : undefined}
        className={cn(
          'block rounded-md px-3 py-1.5 text-sm text-muted-foreground hover:bg-muted hover:text-foreground',
          horizontal ? 'whitespace-nowrap' : 'truncate',
          item.href === active && 'bg-muted font-medium text-foreground',
        )}
      >
        {item.label}
      </Link>
    </li>
  );
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

/**
 * On a phone the sidebar is a menu: a button (aria-expanded, aria-controls) that opens the same navigation as a panel
 * under the header. It closes on Escape (focus back on the button), when a link is followed, and on a wider screen
 * it is not shown at all.
 */
export function MobileNav({ items, label }: { items: NavItem[]; label: string }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('a[aria-current="page"], a')?.focus();
    function onKey(event: KeyboardEvent) {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  const current = items.find((i) => i.href === activeNavHref(items, pathname));
  return (
    <div className="md:hidden">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex h-11 w-full items-center gap-2 px-4 text-sm font-medium hover:bg-muted"
      >
        {open ? <X aria-hidden className="size-4" /> : <Menu aria-hidden className="size-4" />}
        Menu
        {current && <span className="min-w-0 truncate font-normal text-muted-foreground">· {current.label}</span>}
      </button>
      <div ref={panel} id={panelId} hidden={!open} className="border-t border-border">
        {open && <SidebarNav items={items} label={label} />}
      </div>
    </div>
  );
}
