'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { Check, X } from 'lucide-react';
import { memo, useCallback, useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '@/components/ui/dialog';
import { Spinner } from '@/components/ui/spinner';
import { toast } from '@/components/ui/toaster';
import type { ActionResult } from '@/lib/actions/define-action';
import type { MatrixCell, MatrixColumn, MatrixPage, MatrixRow } from '@/lib/data/matrix';
import { cn } from '@/lib/utils/cn';

export interface RoleSummary {
  key: string;
  name: string;
  applications: string[];
  permissions: string[];
}

type Result = Promise<ActionResult<unknown>>;
export type MatrixScope =
  | {
      kind: 'org';
      orgSlug: string;
      grant: (input: { orgSlug: string; userId: string; roleId: string }) => Result;
      revoke: (input: { orgSlug: string; assignmentId: string }) => Result;
    }
  | {
      kind: 'platform';
      orgSlug?: string;
      grant: (input: { subject: 'users' | 'clients'; subjectId: string; roleId: string; orgSlug?: string }) => Result;
      revoke: (input: { assignmentId: string }) => Result;
    };

const ROW_HEIGHT = 44;
/**
 * The sticky name column's width, a CSS variable set on the grid: 150 px on phones (so a whole cell fits beside it in a
 * 390 px screen), 260 px from the `sm` breakpoint. Widths and offsets are calc()s of it, so nothing depends on JS.
 */
const NAME_WIDTH = 'var(--matrix-name-w)';
const px = (n: number) => `${n}px`;
const CELL_WIDTH = 132;

/** Fetch the next page when focus or the rendered rows come this close to the end of what is loaded. */
const FETCH_AHEAD_ROWS = 5;

type OpenCell = { row: MatrixRow; column: MatrixColumn; cell: MatrixCell };

/**
 * One row of the grid. Memoized: a key press changes the focused cell, and only the rows that gain or lose it render
 * again (the grid keeps 20-odd rows of 50 cells in the DOM; rendering them all on every key made moving slow).
 */
const MatrixGridRow = memo(function MatrixGridRow({
  index,
  top,
  width,
  row,
  columns,
  focusedColumn,
  onOpen,
}: {
  index: number;
  top: number;
  width: string;
  row: MatrixRow | undefined;
  columns: MatrixColumn[];
  /** The roving tab stop's column when it is in this row. */
  focusedColumn: number | null;
  onOpen: (cell: OpenCell) => void;
}) {
  return (
    <div role="row" aria-rowindex={index + 2} data-matrix-row className="absolute left-0 flex border-b bg-background" style={{ top, height: ROW_HEIGHT, width }}>
      {!row ? (
        <div role="gridcell" className="flex items-center gap-2 px-3 text-sm text-muted-foreground">
          <Spinner label="Loading more rows" /> Loading more…
        </div>
      ) : (
        <>
          <div
            role="rowheader"
            aria-colindex={1}
            tabIndex={focusedColumn === 0 ? 0 : -1}
            data-pos={`${index}:0`}
            className="sticky left-0 z-10 flex min-w-0 flex-col justify-center bg-background px-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
            style={{ width: NAME_WIDTH }}
          >
            <span className="truncate text-sm font-medium">
              {row.label}
              {row.blocked && <span className="ml-1 text-xs text-destructive">(blocked)</span>}
            </span>
            <span className="truncate text-xs text-muted-foreground">
              {row.sublabel}
              {row.tier && ` · ${row.tier.toLowerCase()}`}
            </span>
          </div>
          {row.cells.map((cell, i) => {
            const column = columns[i]!;
            return (
              <div key={column.id} role="gridcell" aria-colindex={i + 2} className="flex items-center justify-center" style={{ width: CELL_WIDTH }}>
                <button
                  type="button"
                  aria-label={`${row.label}, ${column.name}: ${cell.allow ? 'allowed' : 'denied'}. ${cell.reason}`}
                  aria-haspopup="dialog"
                  tabIndex={focusedColumn === i + 1 ? 0 : -1}
                  data-pos={`${index}:${i + 1}`}
                  onClick={() => onOpen({ row, column, cell })}
                  className={cn(
                    'flex size-8 items-center justify-center rounded-md border focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
                    cell.allow ? 'border-success/40 bg-success/10 text-success' : 'border-border bg-muted/40 text-muted-foreground',
                  )}
                >
                  {cell.allow ? <Check aria-hidden className="size-4" /> : <X aria-hidden className="size-4" />}
                </button>
              </div>
            );
          })}
        </>
      )}
    </div>
  );
});


/**
 * The access matrix grid: server-paginated rows (React Query infinite query), virtualized so the DOM only holds the
 * rows on screen. Each cell is a button: its accessible name and tooltip give the reason; activating it opens
 * grant or revoke when the caller may change access (or just the reason for a reader).
 *
 * Keyboard (WAI-ARIA grid pattern, ADR 0013): the grid is one tab stop (roving tabindex: only the current cell has
 * tabindex 0). Arrow keys move one cell; Home / End go to the row's first / last cell, Ctrl+Home / Ctrl+End to the
 * first / last loaded row; PageUp / PageDown move by a screenful. Enter or Space opens the cell's dialog and Escape
 * closes it, returning focus to the cell. Rows are virtualized: moving scrolls the row into view (the focused row is
 * always rendered), and nearing the end of the loaded rows fetches the next page; aria-rowcount / aria-rowindex keep
 * screen readers oriented (-1 while the total is still unknown).
 */
export function AccessMatrix({
  rowsUrl,
  query,
  subjects,
  initialPage,
  roles,
  canWrite,
  scope,
}: {
  /** The JSON route for pages, and the filter query string (without cursor). */
  rowsUrl: string;
  query: string;
  subjects: 'users' | 'clients';
  initialPage: MatrixPage;
  roles: Record<string, RoleSummary>;
  canWrite: boolean;
  scope: MatrixScope;
}) {
  const queryClient = useQueryClient();
  const gridId = useId();
  const queryKey = ['matrix', rowsUrl, query];
  const pages = useInfiniteQuery({
    queryKey,
    queryFn: async ({ pageParam }): Promise<MatrixPage> => {
      const params = new URLSearchParams(query);
      if (pageParam) params.set('cursor', pageParam);
      const res = await fetch(`${rowsUrl}?${params}`, { headers: { accept: 'application/json' } });
      const body = await res.json().catch(() => null);
      if (!res.ok) throw new Error(body?.error?.message ?? 'Could not load more rows.');
      return body as MatrixPage;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: { pages: [initialPage], pageParams: [undefined] },
    staleTime: 10_000,
  });
  const columns: MatrixColumn[] = pages.data?.pages[0]?.columns ?? initialPage.columns;
  const rows: MatrixRow[] = pages.data?.pages.flatMap((p) => p.rows) ?? [];
  const hasMore = Boolean(pages.hasNextPage);

  const scroller = useRef<HTMLDivElement>(null);
  // The focused cell: row index in the loaded rows, column 0 = the row header, 1.. = the cells.
  const [pos, setPos] = useState({ r: 0, c: 1 });
  // The cell a move asked to focus and that has not taken focus yet (its row may not be rendered yet).
  const focusPending = useRef<string | null>(null);
  const colCount = columns.length + 1;
  const maxRow = Math.max(rows.length - 1, 0);
  const at = { r: Math.min(pos.r, maxRow), c: Math.min(pos.c, colCount - 1) };
  // The focused row stays rendered even when scrolled away, so the grid never loses its tab stop.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const base = defaultRangeExtractor(range);
      return at.r < range.count && !base.includes(at.r) ? [...base, at.r].sort((a, b) => a - b) : base;
    },
    [at.r],
  );
  // The React compiler cannot memoize this hook's functions; this component opts out of nothing else.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    rangeExtractor,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.filter((i) => i.index !== at.r || items.length === 1).at(-1)?.index ?? 0;
  const { fetchNextPage, isFetchingNextPage } = pages;
  useEffect(() => {
    // Fetch ahead while the reader (scrolling or moving focus) is near the end of what is loaded.
    const near = Math.max(lastIndex, at.r) >= rows.length - FETCH_AHEAD_ROWS;
    if (hasMore && !isFetchingNextPage && near) void fetchNextPage();
  }, [hasMore, isFetchingNextPage, lastIndex, at.r, rows.length, fetchNextPage]);

  // After a key moved the position (and the row was scrolled into view and rendered), focus the new cell. The target
  // is the cell the move named, not this render's position: a render in between (the virtualizer's own, on scroll)
  // must not settle it early.
  useEffect(() => {
    const target = focusPending.current;
    if (!target) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-pos="${target}"]`);
    if (el) {
      el.focus();
      if (document.activeElement === el) focusPending.current = null;
    }
  });

  const [open, setOpen] = useState<OpenCell | null>(null);

  // One tooltip for the whole grid (a tooltip per cell made every move re-render a thousand tooltip roots): it shows
  // the reason of the cell under the pointer, or else of the focused cell while focus is in the grid.
  const [hovered, setHovered] = useState<{ r: number; c: number } | null>(null);
  const [focusWithin, setFocusWithin] = useState(false);
  const tipCell = hovered ?? (focusWithin && !open ? at : null);
  const tipReason = tipCell && tipCell.c > 0 ? rows[tipCell.r]?.cells[tipCell.c - 1]?.reason : undefined;
  const tip =
    tipCell && tipReason
      ? { top: tipCell.r * ROW_HEIGHT + ROW_HEIGHT, left: `calc(${NAME_WIDTH} + ${px((tipCell.c - 1) * CELL_WIDTH + CELL_WIDTH / 2)})`, text: tipReason }
      : null;
  function onGridPointerOver(e: PointerEvent<HTMLDivElement>) {
    const p = (e.target as HTMLElement).closest<HTMLElement>('[data-pos]')?.dataset.pos?.split(':').map(Number);
    const next = p && p[1]! > 0 ? { r: p[0]!, c: p[1]! } : null;
    if (next?.r !== hovered?.r || next?.c !== hovered?.c) setHovered(next);
  }
  const refresh = () => queryClient.invalidateQueries({ queryKey });

  // A move past the last loaded row (Page Down or Arrow Down at the end of what is loaded) is not lost: focus goes to
  // the last loaded row now and on to the row asked for once the next page has arrived.
  const wantedRow = useRef<{ r: number; c: number } | null>(null);

  function moveTo(r: number, c: number) {
    wantedRow.current = r > maxRow && hasMore ? { r, c } : null;
    const next = { r: Math.max(0, Math.min(r, maxRow)), c: Math.max(0, Math.min(c, colCount - 1)) };
    focusPending.current = `${next.r}:${next.c}`;
    setPos(next);
    virtualizer.scrollToIndex(next.r, { align: 'auto' });
  }

  useEffect(() => {
    const wanted = wantedRow.current;
    if (wanted && maxRow > at.r) moveTo(wanted.r, wanted.c);
    // Runs when more rows arrive; moveTo reads the latest render's values.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [maxRow]);

  function onGridKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (!(e.target as HTMLElement).dataset.pos) return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 2);
    const ctrl = e.ctrlKey || e.metaKey;
    const moves: Record<string, () => void> = {
      ArrowRight: () => moveTo(at.r, at.c + 1),
      ArrowLeft: () => moveTo(at.r, at.c - 1),
      ArrowDown: () => moveTo(at.r + 1, at.c),
      ArrowUp: () => moveTo(at.r - 1, at.c),
      Home: () => moveTo(ctrl ? 0 : at.r, 0),
      End: () => moveTo(ctrl ? maxRow : at.r, colCount - 1),
      PageDown: () => moveTo(at.r + page, at.c),
      PageUp: () => moveTo(at.r - page, at.c),
    };
    if (e.key === 'Escape' && tip) {
      // WCAG 1.4.13: the reason's tooltip can be dismissed without moving focus; the next move shows it again.
      setHovered(null);
      setFocusWithin(false);
      return;
    }
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  }

  // Focus that arrives by mouse or by Tab moves the roving position along with it.
  function onGridFocus(e: FocusEvent<HTMLDivElement>) {
    setFocusWithin(true);
    const p = (e.target as HTMLElement).dataset.pos?.split(':').map(Number);
    if (p && (p[0] !== at.r || p[1] !== at.c)) {
      wantedRow.current = null;
      setPos({ r: p[0]!, c: p[1]! });
    }
  }

  // Back from the cell's dialog (Escape, Cancel or after a change): focus returns to the cell it was opened from.
  function focusCurrentCell() {
    focusPending.current = `${at.r}:${at.c}`;
    virtualizer.scrollToIndex(at.r, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-pos="${at.r}:${at.c}"]`)?.focus());
  }

  if (columns.length === 0) {
    return (
      <p className="rounded-md border border-dashed p-6 text-sm text-muted-foreground">
        {subjects === 'clients' ? 'No API has permissions yet, so there is nothing to show for M2M clients.' : 'No application matches this filter yet. Operators add applications on the platform.'}
      </p>
    );
  }
  if (rows.length === 0) {
    return <p className="rounded-md border border-dashed p-6 text-sm text-muted-foreground">Nobody matches this filter.</p>;
  }
  const width = `calc(${NAME_WIDTH} + ${px(columns.length * CELL_WIDTH)})`;
  return (
    <div className="space-y-2">
      <div
        ref={scroller}
        role="grid"
        aria-label={subjects === 'clients' ? 'Access matrix of M2M clients by API' : 'Access matrix of people by application'}
        aria-rowcount={hasMore ? -1 : rows.length + 1}
        aria-colcount={columns.length + 1}
        aria-describedby={`${gridId}-keys`}
        onKeyDown={onGridKeyDown}
        onFocus={onGridFocus}
        onBlur={(e) => {
          if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
          // Focus left the grid (Tab, a click elsewhere): a move still waiting for its row must not pull it back.
          setFocusWithin(false);
          focusPending.current = null;
        }}
        onPointerOver={onGridPointerOver}
        onPointerLeave={() => setHovered(null)}
        className="relative max-h-[min(70vh,640px)] overflow-auto rounded-md border [--matrix-name-w:150px] sm:[--matrix-name-w:260px]"
        // Focus moved by keys scrolls the cell clear of the sticky header row and name column (WCAG 2.4.11).
        style={{ scrollPaddingTop: ROW_HEIGHT, scrollPaddingLeft: NAME_WIDTH }}
        data-testid="matrix-scroller"
      >
        <div style={{ width, height: virtualizer.getTotalSize() + ROW_HEIGHT }} className="relative">
          <div role="row" aria-rowindex={1} className="sticky top-0 z-20 flex border-b bg-muted/95 text-xs font-medium" style={{ height: ROW_HEIGHT, width }}>
            <div role="columnheader" aria-colindex={1} className="sticky left-0 z-30 flex items-center bg-muted px-3" style={{ width: NAME_WIDTH }}>
              {subjects === 'clients' ? 'M2M client' : 'Person'}
            </div>
            {columns.map((c, ci) => (
              <div key={c.id} role="columnheader" aria-colindex={ci + 2} className="flex items-center px-2" style={{ width: CELL_WIDTH }} title={c.name}>
                <span className="line-clamp-2 break-all">
                  {c.name}
                  <span className="block font-normal text-muted-foreground">{c.type === 'API' ? 'API' : c.type.replace('_', ' ').toLowerCase()}</span>
                </span>
              </div>
            ))}
          </div>
          {items.map((item) => (
            <MatrixGridRow
              key={item.key}
              index={item.index}
              top={item.start + ROW_HEIGHT}
              width={width}
              row={rows[item.index]}
              columns={columns}
              focusedColumn={at.r === item.index ? at.c : null}
              onOpen={setOpen}
            />
          ))}
          {tip && (
            <div
              role="tooltip"
              className="pointer-events-none absolute z-40 w-max max-w-[min(20rem,60vw)] rounded-md bg-foreground px-3 py-1.5 text-xs text-background shadow-md"
              style={{ top: tip.top + ROW_HEIGHT - 2, left: tip.left, transform: 'translateX(-50%)' }}
            >
              {tip.text}
            </div>
          )}
        </div>
      </div>
      <p id={`${gridId}-keys`} className="text-xs text-muted-foreground">
        One tab stop: arrow keys move between cells, Home and End to the row’s ends, Page Up and Page Down by a screenful; Enter opens a cell.
      </p>
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {rows.length} {rows.length === 1 ? 'row' : 'rows'} loaded{hasMore ? '; scroll for more' : ''}.{' '}
        {pages.isError && <span className="text-destructive">{(pages.error as Error).message}</span>}
      </p>
      {open && (
        <CellDialog
          key={`${open.row.id}-${open.column.id}`}
          target={open}
          subjects={subjects}
          roles={roles}
          scope={scope}
          canWrite={canWrite}
          onClose={() => setOpen(null)}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            focusCurrentCell();
          }}
          onChanged={() => {
            setOpen(null);
            void refresh();
          }}
        />
      )}
    </div>
  );
}

function CellDialog({
  target,
  subjects,
  roles,
  scope,
  canWrite,
  onClose,
  onCloseAutoFocus,
  onChanged,
}: {
  target: OpenCell;
  subjects: 'users' | 'clients';
  roles: Record<string, RoleSummary>;
  scope: MatrixScope;
  canWrite: boolean;
  onClose: () => void;
  onCloseAutoFocus: (e: Event) => void;
  onChanged: () => void;
}) {
  const { row, column, cell } = target;
  const [roleId, setRoleId] = useState<string | null>(column.grantableRoles[0]?.id ?? null);
  const grant = useActionMutation(
    (input: { roleId: string }) =>
      scope.kind === 'org'
        ? scope.grant({ orgSlug: scope.orgSlug, userId: row.id, roleId: input.roleId })
        : scope.grant({ subject: subjects, subjectId: row.id, roleId: input.roleId, orgSlug: scope.orgSlug }),
    {
      onSuccess: () => {
        toast({ title: `Granted ${roles[roleId ?? '']?.name ?? 'the role'} to ${row.label}` });
        onChanged();
      },
    },
  );
  const revoke = useActionMutation(
    (input: { assignmentId: string }) =>
      scope.kind === 'org' ? scope.revoke({ orgSlug: scope.orgSlug, assignmentId: input.assignmentId }) : scope.revoke({ assignmentId: input.assignmentId }),
    {
      onSuccess: () => {
        toast({ title: `Revoked access for ${row.label}` });
        onChanged();
      },
    },
  );
  const summary = roleId ? roles[roleId] : undefined;
  const where = scope.kind === 'org' ? 'in this organization' : scope.orgSlug ? `in ${scope.orgSlug}` : 'everywhere (a global role)';
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent
        title={`${row.label} · ${column.name}`}
        description={`${cell.allow ? 'Allowed' : 'Denied'}: ${cell.reason}`}
        className="max-w-lg"
        onCloseAutoFocus={onCloseAutoFocus}
      >
        {(grant.publicError ?? revoke.publicError) && <Alert variant="destructive">{(grant.publicError ?? revoke.publicError)!.message}</Alert>}
        {!canWrite ? (
          <div className="flex justify-end">
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Close
              </Button>
            </DialogClose>
          </div>
        ) : cell.allow ? (
          cell.revocable.length > 0 ? (
            <div className="space-y-2">
              <p className="text-sm">Revoking removes the role assignment that grants this; other applications of that role are lost too.</p>
              <ul className="space-y-2">
                {cell.revocable.map((r) => (
                  <li key={r.assignmentId} className="flex items-center justify-between gap-2 text-sm">
                    <span>
                      {r.roleName} <span className="text-muted-foreground">({r.scope === 'org' ? 'in the organization' : 'global'})</span>
                    </span>
                    <Button size="sm" variant="destructive" loading={revoke.isPending} onClick={() => revoke.mutate({ assignmentId: r.assignmentId })}>
                      Revoke {r.roleName}
                    </Button>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">
              This comes from the membership tier, an open application or a role managed elsewhere; change the tier on the Members page or ask a
              platform operator.
            </p>
          )
        ) : column.grantableRoles.length === 0 ? (
          <p className="text-sm text-muted-foreground">No role can be granted for {column.name}: no role is mapped to it. Operators map roles to applications.</p>
        ) : (
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              if (roleId) grant.mutate({ roleId });
            }}
          >
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Grant a role {where}</legend>
              {column.grantableRoles.map((r) => (
                <label key={r.id} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="matrix-role" value={r.id} checked={roleId === r.id} onChange={() => setRoleId(r.id)} />
                  {r.name} <span className="text-muted-foreground">({r.key})</span>
                </label>
              ))}
            </fieldset>
            {summary && (
              <div className="rounded-md border bg-muted/40 p-3 text-sm" aria-live="polite">
                <p className="font-medium">{summary.name} also grants</p>
                <p>Applications: {summary.applications.length ? summary.applications.join(', ') : 'none'}</p>
                <p>Permissions: {summary.permissions.length ? summary.permissions.join(', ') : 'none'}</p>
              </div>
            )}
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" loading={grant.isPending} disabled={!roleId}>
                Grant {summary?.name ?? 'role'}
              </Button>
            </div>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
