import type { ReactNode } from 'react';
import { listHref, listSortLinks, type ListParams } from '@/lib/list-params';
import { DataTable, type DataTableColumn } from './data-table';
import { EmptyState, type EmptyStateProps } from './empty-state';
import { FilterTabs } from './filter-tabs';
import { ListSearch, type ListFilter } from './list-search';
import { KeysetPagination } from './pagination';

/**
 * How the rows show: columns for a DataTable rendered here, on the server; or a table of the page's own, a client
 * component given the rows as data (DataTable in the browser's module graph), for a long list with rich cells whose
 * element tree per cell would otherwise travel in the RSC payload (components/audit/audit-table.tsx).
 */
export type ListTable<T> =
  | {
      /** Names the table for assistive technology; e2e tests find tables by it. */
      caption: string;
      columns: DataTableColumn<T>[];
      getRowId: (row: T) => string;
      rowActions?: (row: T) => ReactNode;
      table?: never;
    }
  | { table: ReactNode; caption?: never; columns?: never; getRowId?: never; rowActions?: never };

export type ListViewProps<T> = ListViewBaseProps<T> & ListTable<T>;

interface ListViewBaseProps<T> {
  /** The list's own path; every link (search, filters, sort, pages) goes there. */
  base: string;
  /** From parseListParams: the search, filters, sort and cursor in force. */
  params: ListParams<string>;
  /** A page from the data layer (`listX` → `{ items, nextCursor }`). */
  page: { items: T[]; nextCursor: string | null };
  search?: { label: string; placeholder?: string };
  /** Select filters, submitted with the search. */
  filters?: ListFilter[];
  /** One filter as a row of links above the table. */
  tabs?: { param: string; label: string; options: { value: string | undefined; label: string }[] };
  /** Controls at the end of the toolbar, e.g. an export link or an "Invite" button. */
  toolbar?: ReactNode;
  /** What an empty list says; `noMatch` replaces its title, description and action when a search or filter is on. */
  empty: EmptyStateProps;
  noMatch?: Omit<EmptyStateProps, 'icon'>;
  /** Pagination wording, e.g. "Newest" / "Older" for a log. */
  firstLabel?: string;
  nextLabel?: string;
}

/** Search and filters, the table (or its empty state), and keyset pagination: the body of every list screen. */
export function ListView<T>({
  base,
  params,
  page,
  search,
  filters,
  tabs,
  toolbar,
  empty,
  noMatch,
  firstLabel,
  nextLabel,
  ...rows
}: ListViewProps<T>) {
  const emptyState = params.filtered && noMatch ? { icon: empty.icon, ...noMatch } : empty;
  return (
    <div className="space-y-6">
      {(search || filters || toolbar) && (
        <div className="flex flex-wrap items-end justify-between gap-3">
          {(search || filters) && <ListSearch base={base} params={params} search={search} filters={filters} />}
          {toolbar && <div className="flex flex-wrap items-center gap-2">{toolbar}</div>}
        </div>
      )}
      {tabs && <FilterTabs base={base} params={params} {...tabs} />}
      {page.items.length === 0 ? (
        <EmptyState {...emptyState} />
      ) : rows.columns ? (
        <DataTable
          caption={rows.caption}
          columns={rows.columns}
          rows={page.items}
          getRowId={rows.getRowId}
          rowActions={rows.rowActions}
          sortLinks={listSortLinks(base, params)}
        />
      ) : (
        rows.table
      )}
      <KeysetPagination
        cursor={params.cursor}
        nextCursor={page.nextCursor}
        href={(cursor) => listHref(base, params.query, { [params.cursorParam]: cursor })}
        firstLabel={firstLabel}
        nextLabel={nextLabel}
      />
    </div>
  );
}
