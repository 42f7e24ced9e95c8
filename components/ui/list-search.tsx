import { Search } from 'lucide-react';
import { SEARCH_MAX_LENGTH, type ListParams } from '@/lib/list-params';
import { Button } from './button';
import { Input } from './input';

/** A filter chosen from a short list (a select in the search form). `param` is a filter given to parseListParams. */
export interface ListFilter {
  param: string;
  label: string;
  /** The option that means "no filter", e.g. "All types". */
  allLabel: string;
  options: { value: string; label: string }[];
}

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/**
 * The list's search box and select filters as one GET form, so they land in the URL together. Whatever else the
 * list's state holds (the sort, a tab filter) rides along in hidden fields; the cursor does not, so a new search
 * starts at the first page.
 */
export function ListSearch({
  base,
  params,
  search,
  filters = [],
}: {
  base: string;
  params: Pick<ListParams, 'q' | 'query'>;
  /** `label` names the search box for screen readers (e.g. "Search roles by key, name or description"). */
  search?: { label: string; placeholder?: string };
  filters?: ListFilter[];
}) {
  const inForm = new Set(['q', ...filters.map((f) => f.param)]);
  const carried = Object.entries(params.query).filter(([name, value]) => value && !inForm.has(name));
  return (
    // The landmark stays unnamed: naming it like the search box would give two controls one label.
    <form action={base} method="get" role="search" className="flex flex-wrap items-end gap-2">
      {carried.map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {filters.map((f) => (
        // A long option (a role name at its limit) would widen the select past a phone's width.
        <div key={f.param} className="min-w-0 max-w-full space-y-1.5 sm:max-w-64">
          <label htmlFor={`filter-${f.param}`} className="block text-sm font-medium">
            {f.label}
          </label>
          <select id={`filter-${f.param}`} name={f.param} defaultValue={params.query[f.param] ?? ''} className={selectClass}>
            <option value="">{f.allLabel}</option>
            {f.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      {search && (
        <div className="w-full max-w-xs">
          <label htmlFor="q" className="sr-only">
            {search.label}
          </label>
          <Input id="q" name="q" type="search" defaultValue={params.q} placeholder={search.placeholder} maxLength={SEARCH_MAX_LENGTH} />
        </div>
      )}
      <Button type="submit" variant="secondary">
        <Search aria-hidden className="size-4" />
        {filters.length > 0 ? 'Apply' : 'Search'}
      </Button>
    </form>
  );
}
