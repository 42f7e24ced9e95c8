import Link from 'next/link';
import { Download, Search } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Button } from '@/components/ui/button';
import type { DataTableColumn } from '@/components/ui/data-table';
import { Input } from '@/components/ui/input';
import { AUDIT_ACTIONS } from '@/lib/audit';
import { auditSentence, diffAudit, sentenceText } from '@/lib/audit-sentences';
import type { AuditEventDto } from '@/lib/data/audit-events';
import { listHref } from '@/lib/list-params';
import type { AuditFilters } from '@/lib/schemas/audit';
import { auditFilterQuery } from '@/lib/schemas/audit';
import { AuditDiffDisclosure } from './audit-diff-disclosure';
import { AuditSentence, type AuditHrefFor } from './audit-sentence';

/**
 * The one audit event renderer, shared by the org audit log, the global audit log and the user detail's trail:
 * the event as a sentence with links (where the viewer may open them), its before/after on demand, and the filter
 * form with the exports of the filter.
 */
export function auditColumns(hrefFor: AuditHrefFor, opts: { showOrg?: boolean; detailHref?: (e: AuditEventDto) => string } = {}): DataTableColumn<AuditEventDto>[] {
  return [
    {
      id: 'at',
      header: 'When',
      className: 'whitespace-nowrap tabular-nums align-top',
      cell: (e) =>
        opts.detailHref ? (
          <Link href={opts.detailHref(e)} className="row-link" aria-label={`Event ${e.id}, ${formatDateTime(e.at)}`}>
            {formatDateTime(e.at)}
          </Link>
        ) : (
          formatDateTime(e.at)
        ),
    },
    {
      id: 'event',
      header: 'What happened',
      className: 'min-w-72 align-top',
      cell: (e) => (
        <>
          <AuditSentence event={e} hrefFor={hrefFor} />
          {hasValues(e) && <AuditDiffDisclosure lines={diffAudit(e.before, e.after)} label={sentenceText(auditSentence(e))} />}
        </>
      ),
    },
    {
      id: 'action',
      header: 'Action',
      className: 'align-top',
      cell: (e) => <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{e.action}</code>,
    },
    ...(opts.showOrg
      ? [
          {
            id: 'org',
            header: 'Organization',
            className: 'align-top',
            cell: (e: AuditEventDto) =>
              e.org ? (
                e.org.known ? (
                  <Link href={`/platform/orgs/${e.org.id}`} className="row-link">
                    {e.org.label}
                  </Link>
                ) : (
                  <span className="text-muted-foreground">{e.org.label}</span>
                )
              ) : (
                <span className="text-muted-foreground">Platform</span>
              ),
          } satisfies DataTableColumn<AuditEventDto>,
        ]
      : []),
  ];
}

/** Whether the event recorded a before or an after (an event with neither has no "Changes" to open). */
function hasValues(e: AuditEventDto): boolean {
  return (e.before !== null && e.before !== undefined) || (e.after !== null && e.after !== undefined);
}

const selectClass =
  'flex h-9 rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/** The filter form (a GET form, so the filter lives in the URL) and the export links of the filter. */
export function AuditFilterForm({ base, filters, platform = false }: { base: string; filters: AuditFilters; platform?: boolean }) {
  const query = auditFilterQuery(filters);
  const field = (name: keyof AuditFilters, label: string, props: { type?: string; placeholder?: string } = {}) => (
    <div className="space-y-1.5">
      <label htmlFor={`audit-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <Input id={`audit-${name}`} name={name} defaultValue={filters[name] ?? ''} className="w-44" {...props} />
    </div>
  );
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <form action={base} method="get" role="search" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-2">
        {platform && field('org', 'Organization', { placeholder: 'Slug or id' })}
        {field('actor', 'Who', { placeholder: 'Email or user id' })}
        <div className="space-y-1.5">
          <label htmlFor="audit-action" className="block text-sm font-medium">
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ''} className={selectClass}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        {platform && field('target', 'Target', { placeholder: 'type:id or id' })}
        {field('from', 'From', { type: 'date' })}
        {field('to', 'To', { type: 'date' })}
        <Button type="submit" variant="secondary">
          <Search aria-hidden className="size-4" />
          Apply
        </Button>
        {Object.values(query).some(Boolean) && (
          <Button asChild variant="ghost">
            <Link href={base}>Clear filters</Link>
          </Button>
        )}
      </form>
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="outline" size="sm">
          <a href={listHref(`${base}/export`, { ...query, format: 'csv' })} download>
            <Download aria-hidden className="size-4" />
            Export CSV
          </a>
        </Button>
        {platform && (
          <Button asChild variant="outline" size="sm">
            <a href={listHref(`${base}/export`, { ...query, format: 'jsonl' })} download>
              <Download aria-hidden className="size-4" />
              Export JSON Lines
            </a>
          </Button>
        )}
      </div>
    </div>
  );
}
