import type { ReactNode } from 'react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCaption, TableCell, TableContainer, TableHead, TableHeader, TableRow } from '@/components/ui/table';

export interface ChartTable {
  caption: string;
  head: string[];
  /** Cells per row; numbers are right-aligned. */
  rows: { key: string; cells: ReactNode[] }[];
}

/**
 * A chart with its text alternative: a one-sentence summary (read first by screen readers) and the chart's figures as
 * a table in a disclosure. With `empty`, the chart is left out and the sentence says why (a fresh install has no
 * sign-ins yet), so there are no axes drawn over nothing.
 */
export function ChartCard({
  id,
  title,
  summary,
  empty,
  controls,
  table,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  empty?: string;
  controls?: ReactNode;
  table: ChartTable;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <Card>
        <CardHeader>
          <div className="flex flex-wrap items-start justify-between gap-2">
            <CardTitle>
              <h2 id={`${id}-title`}>{title}</h2>
            </CardTitle>
            {controls}
          </div>
          <CardDescription>{empty ?? summary}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          {empty ? (
            <div className="flex h-32 items-center justify-center rounded-lg border border-dashed border-border text-sm text-muted-foreground">
              Nothing to chart yet.
            </div>
          ) : (
            <>
              {children}
              <details className="text-sm">
                <summary className="cursor-pointer text-muted-foreground hover:text-foreground">Show the figures as a table</summary>
                <TableContainer label={table.caption} className="mt-2 max-h-96 overflow-y-auto">
                  <Table>
                    <TableCaption className="sr-only">{table.caption}</TableCaption>
                    <TableHeader>
                      <TableRow>
                        {table.head.map((h, i) => (
                          <TableHead key={h} scope="col" className={i > 0 ? 'text-right' : undefined}>
                            {h}
                          </TableHead>
                        ))}
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {table.rows.map((r) => (
                        <TableRow key={r.key}>
                          {r.cells.map((c, i) => (
                            <TableCell key={i} className={i > 0 ? 'text-right tabular-nums' : undefined}>
                              {c}
                            </TableCell>
                          ))}
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </TableContainer>
              </details>
            </>
          )}
        </CardContent>
      </Card>
    </section>
  );
}
