import Link from 'next/link';
import { listHref, type ListParams } from '@/lib/list-params';

/**
 * A filter as a row of links (e.g. invitation status: All, Pending, Expired, …); the chosen one is marked current
 * (aria-current="true": "page" is kept for the one navigation item of the page itself). Each link keeps the search and the sort and starts at the first page.
 */
export function FilterTabs({
  base,
  params,
  param,
  label,
  options,
}: {
  base: string;
  params: Pick<ListParams, 'query'>;
  /** A filter given to parseListParams. */
  param: string;
  /** Names the navigation, e.g. "Filter by status". */
  label: string;
  /** `value: undefined` is the unfiltered choice ("All"). */
  options: { value: string | undefined; label: string }[];
}) {
  return (
    <nav aria-label={label}>
      <ul className="flex flex-wrap gap-2">
        {options.map((o) => (
          <li key={o.label}>
            <Link
              href={listHref(base, { ...params.query, [param]: o.value })}
              aria-current={params.query[param] === o.value ? 'true' : undefined}
              className="rounded-full border border-border px-3 py-1 text-sm hover:bg-muted aria-[current=true]:bg-primary aria-[current=true]:text-primary-foreground"
            >
              {o.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
