import Link from 'next/link';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { createTable, flexRender, getCoreRowModel, type ColumnDef, type SortDirection as TanStackSortDirection } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { cn } from '@/lib/utils/cn';
import { sortLinkHref, type SortLinks } from '@/lib/list-params';
import { Table, TableCaption, TableContainer, TableHead, TableHeader, TableRow } from './table';

/** One column: what its header says and how a row shows in it. */
export interface DataTableColumn<T> {
  /** Unique in the table; for a sortable column, also the server-side sort key (`?sort=<id>`). */
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The server can sort by this column: the header becomes a link that sorts by it. */
  sortable?: boolean;
  /** The first click sorts descending (dates, counts). */
  sortDescFirst?: boolean;
  /** Numbers line up on the right. */
  align?: 'right';
  /** Left out, e.g. an editing column for someone who may only read. */
  hidden?: boolean;
  /** The header is read by screen readers only (a column of buttons needs no visible title). */
  hideHeader?: boolean;
  className?: string;
  headerClassName?: string;
}

export interface DataTableProps<T> {
  /** Names the table (a visually hidden caption) and its scroll region. */
  caption: string;
  columns: DataTableColumn<T>[];
  rows: T[];
  getRowId: (row: T) => string;
  /** Buttons or a menu for one row, in a last column; they are ordinary controls, reached with Tab. */
  rowActions?: (row: T) => ReactNode;
  /** The sort in force and where sorting links go: sortable headers link to the next sort and say the current one (aria-sort). */
  sortLinks?: SortLinks;
}

const ACTIONS = '_actions';
const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const satisfies Record<TanStackSortDirection, string>;

/**
 * A table on TanStack Table's core: it supplies the header model, column visibility and order, and the sorting state
 * (server-side: `manualSorting`, the URL holds the sort); the body renders the rows with the visible columns.
 *
 * It renders wherever it is imported. From a server component it needs no client JavaScript, and cells may hold
 * client components such as row menus. A long list with rich cells renders it from a client component instead (see
 * ListView's `table`): the rows then travel as data, not as an element tree per cell (ADR 0009).
 */
export function DataTable<T>({ caption, columns, rows, getRowId, rowActions, sortLinks }: DataTableProps<T>) {
  const sort = sortLinks?.sort;
  const all: DataTableColumn<T>[] = rowActions
    ? [
        ...columns,
        {
          id: ACTIONS,
          header: 'Actions',
          hideHeader: true,
          align: 'right',
          cell: rowActions,
          // On a narrow screen the table scrolls sideways in its box; the row's actions stay in view at its right edge.
          className: 'sticky right-0 bg-background/95 max-md:shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.15)]',
          headerClassName: 'sticky right-0 bg-muted',
        } satisfies DataTableColumn<T>,
      ]
    : columns;
  const byId = new Map(all.map((c) => [c.id, c]));
  // A page renders rows × columns cells, each twice (HTML and RSC payload): a row and a cell are plain elements styled
  // by the table's class (`.data-table`, app/globals.css), a cell keyed by its column (unique within its row) and
  // carrying only its column's own classes, merged once per column (ADR 0009).
  const cellClass = new Map(all.map((c) => [c.id, cn(c.align === 'right' && 'text-right', c.className) || undefined]));
  // Every column's value is the row itself (TanStack only sorts what has a value); cells render from the row below.
  const defs: ColumnDef<T, T>[] = all.map((c) => ({
    id: c.id,
    accessorFn: (row: T) => row,
    header: c.header,
    enableSorting: Boolean(c.sortable && sortLinks),
    sortDescFirst: Boolean(c.sortDescFirst),
  }));
  const table = createTable<T>({
    data: rows,
    columns: defs,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableSortingRemoval: false,
    state: {},
    onStateChange: () => {},
    renderFallbackValue: null,
  });
  // As useReactTable does, but once per render on the server: the full initial state, then ours on top.
  table.setOptions((prev) => ({
    ...prev,
    state: {
      ...table.initialState,
      sorting: sort ? [{ id: sort.key, desc: sort.direction === 'desc' }] : [],
      columnVisibility: Object.fromEntries(all.map((c) => [c.id, !c.hidden])),
    },
  }));
  // The body renders straight from the rows with TanStack's visible columns, in its order: its row model (a row and
  // cell object per cell, for client-side sorting and filtering this table never does) was a tenth of a list page's
  // server time.
  const visible = table.getVisibleLeafColumns().flatMap((c) => byId.get(c.id) ?? []);
  return (
    <TableContainer label={caption}>
      <Table className="data-table">
        <TableCaption>{caption}</TableCaption>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => {
                const column = byId.get(header.column.id);
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                const next = header.column.getNextSortingOrder();
                return (
                  <TableHead
                    key={header.id}
                    scope="col"
                    aria-sort={sorted ? ARIA_SORT[sorted] : undefined}
                    className={cn(column?.align === 'right' && 'text-right', column?.headerClassName)}
                  >
                    {column?.hideHeader ? (
                      <span className="sr-only">{label}</span>
                    ) : header.column.getCanSort() && sortLinks && next ? (
                      <Link
                        href={sortLinkHref(sortLinks, { key: header.column.id, direction: next })}
                        className={cn('-mx-1 inline-flex items-center gap-1 rounded px-1 hover:text-foreground', sorted && 'text-foreground')}
                      >
                        {label}
                        {sorted === 'asc' ? (
                          <ArrowUp aria-hidden className="size-3.5" />
                        ) : sorted === 'desc' ? (
                          <ArrowDown aria-hidden className="size-3.5" />
                        ) : (
                          <ArrowUpDown aria-hidden className="size-3.5 opacity-50" />
                        )}
                      </Link>
                    ) : (
                      label
                    )}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <tbody>
          {rows.map((row) => (
            <tr key={getRowId(row)}>
              {visible.map((column) => (
                <td key={column.id} className={cellClass.get(column.id)}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
    </TableContainer>
  );
}
