import { z } from 'zod';
import { text } from '@/lib/schemas/text';

/**
 * The state of a list screen lives in its URL (`?q=…&status=…&sort=-created&cursor=…`), so results can be shared,
 * reloaded and walked with the back button. `parseListParams` reads it the one way every list page does: each value
 * is validated on its own, and a value that is missing, malformed or unknown falls back to its default — a hand-edited
 * or stale link shows the list, never an error page.
 */

/** What Next hands a page as `searchParams`. */
export type SearchParams = Record<string, string | string[] | undefined>;

export type SortDirection = 'asc' | 'desc';

export interface ListSort<K extends string = string> {
  key: K;
  direction: SortDirection;
}

/** A sort in its URL form: `name` sorts ascending, `-name` descending. */
export type SortValue<K extends string> = K | `-${K}`;

type FilterSchemas = Record<string, z.ZodType>;

export interface ListOptions<K extends string, F extends FilterSchemas> {
  /** The server-side sorts the data layer supports, and the one used when the URL names none (or an unknown one). */
  sorts?: { keys: readonly K[]; default: SortValue<K> };
  /**
   * Filters by URL parameter name, each validating the parameter's text (e.g. `z.enum(APP_TYPES)`); a value the
   * schema refuses means "no filter". The names `q`, `sort` and the cursor's are taken.
   */
  filters?: F;
  /** The cursor's parameter name, when one page has two lists paging on their own (default `cursor`). */
  cursorParam?: string;
}

export interface ListParams<K extends string = string, F extends FilterSchemas = Record<never, z.ZodType>> {
  /** The search text, trimmed; undefined when empty. */
  q?: string;
  /** The keyset cursor of the page asked for; undefined on the first page. */
  cursor?: string;
  /** The sort in force (the default when the URL names none); undefined when the list has no sorts. */
  sort?: ListSort<K>;
  filters: { [P in keyof F]?: z.output<F[P]> };
  /** True when a search or a filter narrows the list (for the "no match" empty state). */
  filtered: boolean;
  /** The list's state as URL parameters, without the cursor (a changed search, filter or sort starts at page one). */
  query: Record<string, string | undefined>;
  /** The sort used when the URL names none, in its URL form (links to it leave `sort` out). */
  defaultSort?: SortValue<K>;
  cursorParam: string;
}

export const SEARCH_MAX_LENGTH = 200;

// A search with a control character (PostgreSQL refuses NUL) falls back to no search, like any other bad value.
const SearchText = text({ max: SEARCH_MAX_LENGTH });
/** Cursors are base64url (lib/data/pagination.ts); their content is checked by the data layer that made them. */
const CursorText = z.string().max(1000).regex(/^[A-Za-z0-9_-]+$/);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseSort<K extends string>(raw: string | undefined, sorts: { keys: readonly K[]; default: SortValue<K> }): ListSort<K> {
  const toSort = (value: string): ListSort<K> | undefined => {
    const direction: SortDirection = value.startsWith('-') ? 'desc' : 'asc';
    const key = direction === 'desc' ? value.slice(1) : value;
    return (sorts.keys as readonly string[]).includes(key) ? { key: key as K, direction } : undefined;
  };
  const fallback = toSort(sorts.default);
  if (!fallback) throw new Error(`The default sort ${sorts.default} is not one of the list's sorts.`);
  return (raw && toSort(raw)) || fallback;
}

/** The URL form of a sort, or undefined for the default (so default links stay short). */
export function sortParam<K extends string>(sort: ListSort<K>, defaultSort: SortValue<K> | undefined): string | undefined {
  const value = sort.direction === 'desc' ? `-${sort.key}` : sort.key;
  return value === defaultSort ? undefined : value;
}

/** Reads a list page's search, filters, sort and cursor from its `searchParams`; never throws on what the URL holds. */
export function parseListParams<K extends string = never, F extends FilterSchemas = Record<never, z.ZodType>>(
  searchParams: SearchParams,
  options: ListOptions<K, F> = {},
): ListParams<K, F> {
  const cursorParam = options.cursorParam ?? 'cursor';
  const q = SearchText.safeParse(first(searchParams.q) ?? '');
  const cursor = CursorText.safeParse(first(searchParams[cursorParam]));
  const query: Record<string, string | undefined> = {};
  const filters: Record<string, unknown> = {};
  if (q.success && q.data) query.q = q.data;
  for (const [name, schema] of Object.entries(options.filters ?? {})) {
    const raw = first(searchParams[name]);
    if (raw === undefined || raw === '') continue;
    const parsed = schema.safeParse(raw);
    if (parsed.success && parsed.data !== undefined) {
      filters[name] = parsed.data;
      query[name] = raw;
    }
  }
  const filtered = Object.keys(query).length > 0;
  const sort = options.sorts ? parseSort(first(searchParams.sort), options.sorts) : undefined;
  if (sort && options.sorts) query.sort = sortParam(sort, options.sorts.default);
  return {
    q: query.q,
    cursor: cursor.success ? cursor.data : undefined,
    sort,
    filters: filters as ListParams<K, F>['filters'],
    filtered,
    query,
    defaultSort: options.sorts?.default,
    cursorParam,
  };
}

/** A list URL: `base` with the given parameters (empty ones left out), e.g. the next page or another filter. */
export function listHref(base: string, query: Record<string, string | undefined>, overrides: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...overrides })) if (value) search.set(key, value);
  const s = search.toString();
  return s ? `${base}?${s}` : base;
}

/**
 * Where a list's sortable headers link: the list's path and state, the sort in force and the default. Plain data, so a
 * table rendered by a client component (components/ui/data-table.tsx) gets it as a prop.
 */
export interface SortLinks<K extends string = string> {
  base: string;
  query: Record<string, string | undefined>;
  sort: ListSort<K>;
  defaultSort?: SortValue<K>;
}

/** A list's sort links, or undefined when the list has no sorts. */
export function listSortLinks<K extends string>(base: string, params: Pick<ListParams<K>, 'query' | 'sort' | 'defaultSort'>): SortLinks<K> | undefined {
  return params.sort ? { base, query: params.query, sort: params.sort, defaultSort: params.defaultSort } : undefined;
}

/** The link that sorts the list by `sort` (back to page one: the query holds no cursor). */
export function sortLinkHref<K extends string>(links: SortLinks<K>, sort: ListSort<K>): string {
  return listHref(links.base, { ...links.query, sort: sortParam(sort, links.defaultSort) });
}

/** The row type of a `listX` function's page, for typing a list's columns: `ListItem<typeof listRoles>`. */
export type ListItem<F extends (...args: never[]) => Promise<{ items: readonly unknown[] }>> = Awaited<ReturnType<F>>['items'][number];
