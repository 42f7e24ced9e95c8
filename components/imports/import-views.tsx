import Link from 'next/link';
import { FileUp } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListView } from '@/components/ui/list-view';
import type { ListParams } from '@/lib/list-params';
import type { ImportJobDto, ImportRowDto } from '@/lib/provisioning/import/jobs';
import type { ImportSummary } from '@/lib/provisioning/import/plan';

/** The columns of the imports list (platform and org screens alike). */
export function importJobColumns(base: string): DataTableColumn<ImportJobDto>[] {
  return [
    {
      id: 'file',
      header: 'File',
      className: 'font-medium',
      cell: (j) => (
        <>
          <Link href={`${base}/${j.id}`} className="underline-offset-4 hover:underline">
            {j.fileName || 'import'}
          </Link>
          <span className="block font-mono text-xs text-muted-foreground" title={`SHA-256 ${j.sha256}`}>
            SHA-256 {j.sha256.slice(0, 16)}…
          </span>
        </>
      ),
    },
    { id: 'status', header: 'Status', cell: (j) => <Badge variant={j.status === 'SUCCEEDED' ? 'secondary' : 'outline'}>{j.status.toLowerCase()}</Badge> },
    { id: 'rows', header: 'Rows', className: 'tabular-nums', cell: (j) => `${j.done.toLocaleString('en')} / ${j.total.toLocaleString('en')}` },
    { id: 'errors', header: 'Errors', className: 'tabular-nums', cell: (j) => (j.applied ?? j.plan).error.toLocaleString('en') },
    { id: 'by', header: 'Started by', className: 'text-sm', cell: (j) => j.startedBy },
    { id: 'created', header: 'Uploaded', className: 'tabular-nums', cell: (j) => formatDateTime(j.createdAt) },
  ];
}

export const IMPORTS_EMPTY = {
  icon: <FileUp aria-hidden className="size-6" />,
  title: 'No imports yet',
  description: 'Upload a file above: Gatehouse checks it and shows what it would change before anything is written.',
};

const SUMMARY_LABELS: [keyof ImportSummary, string][] = [
  ['rows', 'Rows'],
  ['newUsers', 'New people'],
  ['newMemberships', 'New memberships'],
  ['tierChanges', 'Tier changes'],
  ['roleGrants', 'Role grants'],
  ['unchanged', 'Unchanged'],
  ['error', 'Errors'],
];

/** The dry run's plan, or what the run did. */
export function ImportSummaryCard({ title, summary }: { title: string; summary: ImportSummary }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>{title}</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-7">
          {SUMMARY_LABELS.map(([key, label]) => (
            <div key={key}>
              <dt className="text-xs text-muted-foreground">{label}</dt>
              <dd className="text-xl font-semibold tabular-nums">{summary[key].toLocaleString('en')}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

// Outline and secondary badges only: the tinted success/destructive badges fall below 4.5:1 for small text (axe).
const OUTCOME_VARIANT = { create: 'secondary', update: 'secondary', unchanged: 'outline', error: 'outline' } as const;

const reportColumns: DataTableColumn<ImportRowDto>[] = [
  { id: 'row', header: 'Row', className: 'tabular-nums', cell: (r) => r.row },
  { id: 'email', header: 'Email', cell: (r) => r.email },
  { id: 'org', header: 'Org', cell: (r) => r.org },
  { id: 'tier', header: 'Tier', cell: (r) => r.tier.toLowerCase() },
  { id: 'roles', header: 'Roles', className: 'text-xs', cell: (r) => r.roles.replaceAll(';', ', ') },
  {
    id: 'outcome',
    header: 'Outcome',
    cell: (r) => (r.outcome ? <Badge variant={OUTCOME_VARIANT[r.outcome as keyof typeof OUTCOME_VARIANT] ?? 'outline'}>{r.outcome}</Badge> : null),
  },
  { id: 'message', header: 'What happens', className: 'text-sm', cell: (r) => r.message },
];

/** The per-row report, paged (keyset on the row number), with the CSV download. */
export function ImportReport({
  base,
  params,
  page,
  reportHref,
}: {
  base: string;
  params: ListParams<string>;
  page: { items: ImportRowDto[]; nextCursor: string | null };
  reportHref: string;
}) {
  return (
    <section aria-labelledby="import-report" className="space-y-3">
      <h2 id="import-report" className="text-lg font-semibold">
        Report per row
      </h2>
      <ListView
        base={base}
        params={params}
        page={page}
        caption="Import report"
        columns={reportColumns}
        getRowId={(r) => String(r.row)}
        toolbar={
          <a href={reportHref} className="inline-flex h-8 items-center rounded-md border border-border px-3 text-sm hover:bg-muted" download>
            Download report (CSV)
          </a>
        }
        empty={{ title: 'No rows', description: 'This file had no people in it.' }}
        firstLabel="First rows"
        nextLabel="Next rows"
      />
    </section>
  );
}
