'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { Check, X } from 'lucide-react';
import { useCallback, useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '@/components/ui/dialog';
import { Spinner } from '@/components/ui/spinner';
import { toast } from '@/components/ui/toaster';
import { Tooltip, TooltipContent, TooltipTrigger } from '@/components/ui/tooltip';
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
const NAME_WIDTH = 260;
const CELL_WIDTH = 132;

/** Fetch the next page when focus or the rendered rows come this close to the end of what is loaded. */
const FETCH_AHEAD_ROWS = 5;

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
  const focusPending = useRef(false);
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

  // After a key moved the position (and the row was scrolled into view and rendered), focus the new cell.
  useEffect(() => {
    if (!focusPending.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-pos="${at.r}:${at.c}"]`);
    if (el) {
      focusPending.current = false;
      el.focus();
    }
  });

  const [open, setOpen] = useState<{ row: MatrixRow; column: MatrixColumn; cell: MatrixCell } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey });

  function moveTo(r: number, c: number) {
    const next = { r: Math.max(0, Math.min(r, maxRow)), c: Math.max(0, Math.min(c, colCount - 1)) };
    focusPending.current = true;
    setPos(next);
    virtualizer.scrollToIndex(next.r, { align: 'auto' });
  }

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
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  }

  // Focus that arrives by mouse or by Tab moves the roving position along with it.
  function onGridFocus(e: FocusEvent<HTMLDivElement>) {
    const p = (e.target as HTMLElement).dataset.pos?.split(':').map(Number);
    if (p && (p[0] !== at.r || p[1] !== at.c)) setPos({ r: p[0]!, c: p[1]! });
  }

  // Back from the cell's dialog (Escape, Cancel or after a change): focus returns to the cell it was opened from.
  function focusCurrentCell() {
    focusPending.current = true;
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
  const width = NAME_WIDTH + columns.length * CELL_WIDTH;
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
        className="relative max-h-[min(70vh,640px)] overflow-auto rounded-md border"
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
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                data-matrix-row
                className="absolute left-0 flex border-b bg-background"
                style={{ top: item.start + ROW_HEIGHT, height: ROW_HEIGHT, width }}
              >
                {!row ? (
                  <div role="gridcell" className="flex items-center gap-2 px-3 text-sm text-muted-foreground">
                    <Spinner label="Loading more rows" /> Loading more…
                  </div>
                ) : (
                  <>
                    <div
                      role="rowheader"
                      aria-colindex={1}
                      tabIndex={at.r === item.index && at.c === 0 ? 0 : -1}
                      data-pos={`${item.index}:0`}
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
                      const label = `${row.label}, ${column.name}: ${cell.allow ? 'allowed' : 'denied'}. ${cell.reason}`;
                      return (
                        <div key={column.id} role="gridcell" aria-colindex={i + 2} className="flex items-center justify-center" style={{ width: CELL_WIDTH }}>
                          <Tooltip>
                            <TooltipTrigger asChild>
                              <button
                                type="button"
                                aria-label={label}
                                aria-haspopup="dialog"
                                tabIndex={at.r === item.index && at.c === i + 1 ? 0 : -1}
                                data-pos={`${item.index}:${i + 1}`}
                                onClick={() => setOpen({ row, column, cell })}
                                className={cn(
                                  'flex size-8 items-center justify-center rounded-md border focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
                                  cell.allow ? 'border-success/40 bg-success/10 text-success' : 'border-border bg-muted/40 text-muted-foreground',
                                )}
                              >
                                {cell.allow ? <Check aria-hidden className="size-4" /> : <X aria-hidden className="size-4" />}
                              </button>
                            </TooltipTrigger>
                            <TooltipContent className="max-w-xs">{cell.reason}</TooltipContent>
                          </Tooltip>
                        </div>
                      );
                    })}
                  </>
                )}
              </div>
            );
          })}
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
  target: { row: MatrixRow; column: MatrixColumn; cell: MatrixCell };
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
