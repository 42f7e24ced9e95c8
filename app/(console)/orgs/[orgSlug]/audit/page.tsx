import type { Metadata } from 'next';
import { ScrollText } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listOrgAuditEvents } from '@/lib/data/audit-events';
import { parseListParams, type ListItem } from '@/lib/list-params';

export const metadata: Metadata = { title: 'Audit log' };

function summary(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

const columns: DataTableColumn<ListItem<typeof listOrgAuditEvents>>[] = [
  { id: 'at', header: 'When', className: 'whitespace-nowrap tabular-nums', cell: (e) => formatDateTime(e.at) },
  { id: 'actor', header: 'Who', cell: (e) => e.actor },
  { id: 'action', header: 'Action', cell: (e) => <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{e.action}</code> },
  { id: 'target', header: 'Target', className: 'text-xs text-muted-foreground', cell: (e) => e.target ?? '—' },
  {
    id: 'change',
    header: 'Change',
    className: 'max-w-md text-xs',
    cell: (e) => (
      <>
        {e.before !== null && e.before !== undefined && (
          <div>
            <span className="text-muted-foreground">before </span>
            <code className="break-all">{summary(e.before)}</code>
          </div>
        )}
        {e.after !== null && e.after !== undefined && (
          <div>
            <span className="text-muted-foreground">after </span>
            <code className="break-all">{summary(e.after)}</code>
          </div>
        )}
      </>
    ),
  },
];

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.audit);
  const list = parseListParams(await searchParams);
  const page = await listOrgAuditEvents(ctx, { cursor: list.cursor });
  return (
    <ListPage
      title="Audit log"
      description="Every change in this organization: who, what, when, and what it was before. Entries cannot be edited or deleted."
      base={`/orgs/${ctx.org.slug}/audit`}
      params={list}
      page={page}
      caption="Audit events"
      columns={columns}
      getRowId={(e) => e.id}
      empty={{
        icon: <ScrollText aria-hidden className="size-6" />,
        title: 'Nothing recorded yet',
        description: 'Changes made in this organization appear here.',
      }}
      firstLabel="Newest"
      nextLabel="Older"
    />
  );
}
