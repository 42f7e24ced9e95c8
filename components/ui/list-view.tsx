import type { ReactNode } from 'react';
import { listHref, sortParam, type ListParams } from '@/lib/list-params';
import { DataTable, type DataTableColumn } from './data-table';
import { EmptyState, type EmptyStateProps } from './empty-state';
import { FilterTabs } from './filter-tabs';
import { ListSearch, type ListFilter } from './list-search';
import { KeysetPagination } from './pagination';

export interface ListViewProps<T> {
  /** The list's own path; every link (search, filters, sort, pages) goes there. */
  base: string;
  /** From parseListParams: the search, filters, sort and cursor in force. */
  params: ListParams<string>;
  /** A page from the data layer (`listX` → `{ items, nextCursor }`). */
  page: { items: T[]; nextCursor: string | null };
  /** Names the table for assistive technology; e2e tests find tables by it. */
  caption: string;
  columns: DataTableColumn<T>[];
  getRowId: (row: T) => string;
  rowActions?: (row: T) => ReactNode;
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
  caption,
  columns,
  getRowId,
  rowActions,
  search,
  filters,
  tabs,
  toolbar,
  empty,
  noMatch,
  firstLabel,
  nextLabel,
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
      ) : (
        <DataTable
          caption={caption}
          columns={columns}
          rows={page.items}
          getRowId={getRowId}
          rowActions={rowActions}
          sort={params.sort}
          sortHref={params.sort ? (sort) => listHref(base, { ...params.query, sort: sortParam(sort, params.defaultSort) }) : undefined}
        />
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
