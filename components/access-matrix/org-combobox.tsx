'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Input } from '@/components/ui/input';
import { Spinner } from '@/components/ui/spinner';
import type { OrgOptionDto } from '@/lib/data/org-search';
import type { Page } from '@/lib/data/pagination';

/**
 * A searchable organization picker (WAI-ARIA 1.2 combobox with a listbox popup): typing searches on the server by
 * name or slug (debounced, paginated: "More organizations…" loads the next page), ArrowUp/ArrowDown move the active
 * option (aria-activedescendant, focus stays in the box), Enter chooses, Escape closes (or clears when closed).
 * The chosen slug goes in a hidden input named `name`, so the GET form around it keeps working without script.
 */
export function OrgCombobox({
  name,
  label,
  searchUrl,
  initial,
}: {
  name: string;
  label: string;
  searchUrl: string;
  /** The org in the URL's filter, if any. */
  initial: { slug: string; name?: string } | null;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [chosen, setChosen] = useState(initial);
  const [text, setText] = useState(initial ? (initial.name ?? initial.slug) : '');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);

  const search = useInfiniteQuery({
    queryKey: ['org-search', searchUrl, query],
    queryFn: async ({ pageParam }): Promise<Page<OrgOptionDto>> => {
      const params = new URLSearchParams();
      if (query) params.set('q', query);
      if (pageParam) params.set('cursor', pageParam);
      const res = await fetch(`${searchUrl}?${params}`, { headers: { accept: 'application/json' } });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error(body?.error?.message ?? 'Could not search organizations.');
      return body as Page<OrgOptionDto>;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: open,
    staleTime: 30_000,
  });
  const options = search.data?.pages.flatMap((p) => p.items) ?? [];
  const hasMore = Boolean(search.hasNextPage);
  // The last "option" loads more; it is an option so the keyboard reaches it like the others.
  const count = options.length + (hasMore ? 1 : 0);
  const activeId = active >= 0 && active < count ? `${id}-opt-${active}` : undefined;

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  function choose(o: OrgOptionDto | null) {
    setChosen(o);
    setText(o ? o.name : '');
    setOpen(false);
    setActive(-1);
  }

  function activate(index: number) {
    if (index < options.length) choose(options[index]!);
    else if (hasMore) void search.fetchNextPage();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) setOpen(true);
        setActive((a) => Math.min(a + 1, count - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        setActive((a) => Math.max(a - 1, 0));
        break;
      case 'Home':
        if (open && count > 0) {
          e.preventDefault();
          setActive(0);
        }
        break;
      case 'End':
        if (open && count > 0) {
          e.preventDefault();
          setActive(count - 1);
        }
        break;
      case 'Enter':
        if (open && active >= 0) {
          e.preventDefault();
          activate(active);
        }
        break;
      case 'Escape':
        if (open) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (text) {
          e.preventDefault();
          choose(null);
        }
        break;
    }
  }

  return (
    <div className="relative grid gap-1 text-sm">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input type="hidden" name={name} value={chosen?.slug ?? ''} />
      <div className="flex items-center gap-1">
        <Input
          ref={inputRef}
          id={`${id}-input`}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? activeId : undefined}
          aria-describedby={`${id}-chosen`}
          autoComplete="off"
          value={text}
          placeholder="All organizations"
          className="w-56"
          maxLength={100}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
        {chosen && (
          <button
            type="button"
            className="rounded-md p-1 text-muted-foreground hover:bg-muted focus-visible:outline-2 focus-visible:outline-ring"
            aria-label="Clear the organization (all organizations)"
            onClick={() => {
              choose(null);
              inputRef.current?.focus();
            }}
          >
            <X aria-hidden className="size-4" />
          </button>
        )}
      </div>
      <span id={`${id}-chosen`} className="sr-only">
        {chosen ? `Chosen: ${chosen.name ?? chosen.slug} (${chosen.slug}).` : 'No organization chosen: all organizations.'}
      </span>
      <ul
        id={listId}
        role="listbox"
        aria-label="Organizations"
        hidden={!open}
        className="absolute top-full z-40 mt-1 max-h-64 w-72 overflow-y-auto rounded-md border bg-popover p-1 text-popover-foreground shadow-md"
      >
        {search.isPending && open && (
          <li role="presentation" className="flex items-center gap-2 px-2 py-1.5 text-muted-foreground">
            <Spinner label="Searching organizations" /> Searching…
          </li>
        )}
        {search.isError && (
          <li role="presentation" className="px-2 py-1.5 text-destructive">
            {search.error.message}
          </li>
        )}
        {search.isSuccess && options.length === 0 && (
          <li role="presentation" className="px-2 py-1.5 text-muted-foreground">
            No organization matches “{query}”.
          </li>
        )}
        {options.map((o, i) => (
          <li
            key={o.id}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={chosen?.slug === o.slug}
            data-active={active === i || undefined}
            className="cursor-pointer rounded-sm px-2 py-1.5 data-[active]:bg-accent data-[active]:text-accent-foreground"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
          >
            <span className="break-words">{o.name}</span> <span className="text-muted-foreground">({o.slug})</span>
          </li>
        ))}
        {hasMore && (
          <li
            id={`${id}-opt-${options.length}`}
            role="option"
            aria-selected={false}
            data-active={active === options.length || undefined}
            className="cursor-pointer rounded-sm px-2 py-1.5 text-muted-foreground data-[active]:bg-accent"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => void search.fetchNextPage()}
          >
            {search.isFetchingNextPage ? 'Loading…' : 'More organizations…'}
          </li>
        )}
      </ul>
    </div>
  );
}
