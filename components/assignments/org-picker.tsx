'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useId, useState, useTransition } from 'react';
import { Input } from '@/components/ui/input';
import { Spinner } from '@/components/ui/spinner';
import { ORG_QUERY_PARAM } from '@/lib/schemas/assignments';

export interface OrgChoice {
  id: string;
  slug: string;
  name: string;
}

/**
 * Picks one org by searching its slug (or name); no org list is shipped whole. Typing updates `?orgq=` in the URL; the page searches on the
 * server and passes the matches back as `choices`, while this component (and the form around it) keeps its state.
 */
export function OrgPicker({
  label,
  choices,
  value,
  onChange,
  error,
}: {
  label: string;
  choices: OrgChoice[];
  value: OrgChoice | null;
  onChange: (org: OrgChoice) => void;
  error?: string;
}) {
  const id = useId();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [query, setQuery] = useState(searchParams.get(ORG_QUERY_PARAM) ?? '');
  const [searching, startTransition] = useTransition();

  useEffect(() => {
    const timer = setTimeout(() => {
      const params = new URLSearchParams(searchParams.toString());
      const trimmed = query.trim();
      if ((params.get(ORG_QUERY_PARAM) ?? '') === trimmed) return;
      if (trimmed) params.set(ORG_QUERY_PARAM, trimmed);
      else params.delete(ORG_QUERY_PARAM);
      const search = params.toString();
      startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
    }, 250);
    return () => clearTimeout(timer);
  }, [query, pathname, router, searchParams]);

  const shown = value && !choices.some((c) => c.id === value.id) ? [value, ...choices] : choices;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="space-y-2">
      <label htmlFor={`${id}-search`} className="text-sm font-medium leading-none">
        Find an organization
      </label>
      <div className="flex items-center gap-2">
        <Input
          id={`${id}-search`}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Address (slug) or name"
          maxLength={100}
          autoComplete="off"
          aria-describedby={`${id}-hint`}
        />
        {searching && <Spinner label="Searching organizations" />}
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        Type part of the organization’s address, e.g. <code>acme</code>, then choose it below.
      </p>
      <fieldset aria-describedby={errorId} className="space-y-1.5">
        <legend className="text-sm font-medium">{label}</legend>
        {shown.length === 0 ? (
          <p className="text-sm text-muted-foreground">No organization matches “{query.trim()}”.</p>
        ) : (
          <ul className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-border p-2">
            {shown.map((o) => (
              <li key={o.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name={`${id}-org`} value={o.id} checked={value?.id === o.id} onChange={() => onChange(o)} />
                  <span>
                    {o.name} <span className="text-muted-foreground">({o.slug})</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
