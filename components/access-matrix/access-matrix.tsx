'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Check, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
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

/**
 * The access matrix grid: server-paginated rows (React Query infinite query), virtualized so the DOM only holds the
 * rows on screen. Each cell is a button: its accessible name and tooltip give the reason; activating it opens
 * grant or revoke when the caller may change access.
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
  // The React compiler cannot memoize this hook's functions; this component opts out of nothing else.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { fetchNextPage, isFetchingNextPage } = pages;
  useEffect(() => {
    // Fetch ahead while the reader is near the end of what is loaded.
    if (hasMore && !isFetchingNextPage && lastIndex >= rows.length - 5) void fetchNextPage();
  }, [hasMore, isFetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  const [open, setOpen] = useState<{ row: MatrixRow; column: MatrixColumn; cell: MatrixCell } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey });

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
        className="relative max-h-[min(70vh,640px)] overflow-auto rounded-md border"
        data-testid="matrix-scroller"
      >
        <div style={{ width, height: virtualizer.getTotalSize() + ROW_HEIGHT }} className="relative">
          <div role="row" aria-rowindex={1} className="sticky top-0 z-20 flex border-b bg-muted/95 text-xs font-medium" style={{ height: ROW_HEIGHT, width }}>
            <div role="columnheader" className="sticky left-0 z-30 flex items-center bg-muted px-3" style={{ width: NAME_WIDTH }}>
              {subjects === 'clients' ? 'M2M client' : 'Person'}
            </div>
            {columns.map((c) => (
              <div key={c.id} role="columnheader" className="flex items-center px-2" style={{ width: CELL_WIDTH }} title={c.name}>
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
                    <div role="rowheader" className="sticky left-0 z-10 flex min-w-0 flex-col justify-center bg-background px-3" style={{ width: NAME_WIDTH }}>
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
                      const label = `${row.label}, ${column.name}: ${cell.allow ? 'allowed' : 'denied'}. ${cell.message}`;
                      return (
                        <div key={column.id} role="gridcell" className="flex items-center justify-center" style={{ width: CELL_WIDTH }}>
                          <Tooltip>
                            <TooltipTrigger asChild>
                              <button
                                type="button"
                                aria-label={label}
                                aria-haspopup={canWrite ? 'dialog' : undefined}
                                onClick={() => canWrite && setOpen({ row, column, cell })}
                                className={cn(
                                  'flex size-8 items-center justify-center rounded-md border focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
                                  cell.allow ? 'border-success/40 bg-success/10 text-success' : 'border-border bg-muted/40 text-muted-foreground',
                                  !canWrite && 'cursor-default',
                                )}
                              >
                                {cell.allow ? <Check aria-hidden className="size-4" /> : <X aria-hidden className="size-4" />}
                              </button>
                            </TooltipTrigger>
                            <TooltipContent className="max-w-xs">{cell.message}</TooltipContent>
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
          onClose={() => setOpen(null)}
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
  onClose,
  onChanged,
}: {
  target: { row: MatrixRow; column: MatrixColumn; cell: MatrixCell };
  subjects: 'users' | 'clients';
  roles: Record<string, RoleSummary>;
  scope: MatrixScope;
  onClose: () => void;
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
      <DialogContent title={`${row.label} · ${column.name}`} description={`${cell.allow ? 'Allowed' : 'Denied'}: ${cell.message}`} className="max-w-lg">
        {(grant.publicError ?? revoke.publicError) && <Alert variant="destructive">{(grant.publicError ?? revoke.publicError)!.message}</Alert>}
        {cell.allow ? (
          cell.revocable.length > 0 ? (
            <div className="space-y-2">
              <p className="text-sm">Revoking removes the role assignment that grants this; other applications of that role are lost too.</p>
              <ul className="space-y-2">
                {cell.revocable.map((r) => (
                  <li key={r.assignmentId} className="flex items-center justify-between gap-2 text-sm">
                    <span>
                      {r.roleKey} <span className="text-muted-foreground">({r.scope === 'org' ? 'in the organization' : 'global'})</span>
                    </span>
                    <Button size="sm" variant="destructive" loading={revoke.isPending} onClick={() => revoke.mutate({ assignmentId: r.assignmentId })}>
                      Revoke {r.roleKey}
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
