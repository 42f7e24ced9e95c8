import Link from 'next/link';
import { Download, Search } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { AUDIT_ACTIONS } from '@/lib/audit';
import { listHref } from '@/lib/list-params';
import type { AuditFilters } from '@/lib/schemas/audit';
import { auditFilterQuery } from '@/lib/schemas/audit';

const selectClass =
  'flex h-9 rounded-md border border-input bg-background px-3 py-1 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring';

/**
 * The audit log's filter form (a GET form, so the filter lives in the URL) and the export links of the filter. Its rows
 * are audit-rows.ts (the data) and audit-table.tsx (the table).
 */
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
