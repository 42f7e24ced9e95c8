'use client';

import { PlainLink } from '@/components/ui/plain-link';
import { DataTable, type DataTableColumn } from '@/components/ui/data-table';
import { AuditDiffDisclosure } from './audit-diff-disclosure';
import type { AuditRow } from './audit-rows';
import { SentenceLinks } from './audit-sentence';

const baseColumns: DataTableColumn<AuditRow>[] = [
  {
    id: 'at',
    header: 'When',
    className: 'whitespace-nowrap tabular-nums align-top',
    cell: (r) =>
      r.detailHref ? (
        <PlainLink href={r.detailHref} className="row-link" aria-label={`Event ${r.id}, ${r.when}`}>
          {r.when}
        </PlainLink>
      ) : (
        r.when
      ),
  },
  {
    id: 'event',
    header: 'What happened',
    className: 'min-w-72 align-top',
    cell: (r) => (
      <>
        <SentenceLinks sentence={r.sentence} />
        {r.changes && <AuditDiffDisclosure lines={r.changes} label={r.text} />}
      </>
    ),
  },
  {
    id: 'action',
    header: 'Action',
    className: 'align-top',
    cell: (r) => <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{r.action}</code>,
  },
];

const orgColumn: DataTableColumn<AuditRow> = {
  id: 'org',
  header: 'Organization',
  className: 'align-top',
  cell: (r) =>
    r.org ? (
      r.org.href ? (
        <PlainLink href={r.org.href} className="row-link">
          {r.org.label}
        </PlainLink>
      ) : (
        <span className="text-muted-foreground">{r.org.label}</span>
      )
    ) : (
      <span className="text-muted-foreground">Platform</span>
    ),
};

const withOrg = [...baseColumns, orgColumn];

/**
 * The audit log's table, for the org log, the global log and a user's trail. A client component: its rows arrive as
 * data (auditRows, prepared on the server), and the table is rendered from them on the server and hydrated in the
 * browser. Rendered on the server as an element tree, a page of fifty events was half of its RSC payload and a third
 * of its server time (ADR 0009).
 */
export function AuditTable({ caption, rows, showOrg = false }: { caption: string; rows: AuditRow[]; showOrg?: boolean }) {
  return <DataTable caption={caption} columns={showOrg ? withOrg : baseColumns} rows={rows} getRowId={(r) => r.id} />;
}
