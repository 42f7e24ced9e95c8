import type { Metadata } from 'next';
import { ScrollText } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { pageHref } from '@/components/common/page-links';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listOrgAuditEvents } from '@/lib/data/audit-events';
import { PageCursor } from '@/lib/schemas/org';

export const metadata: Metadata = { title: 'Audit log' };

function summary(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.audit);
  const cursor = PageCursor.catch(undefined).parse((await searchParams).cursor);
  const page = await listOrgAuditEvents(ctx, { cursor });
  const base = `/orgs/${ctx.org.slug}/audit`;
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Every change in this organization: who, what, when, and what it was before. Entries cannot be edited or deleted." />
      {page.items.length === 0 ? (
        <EmptyState icon={<ScrollText aria-hidden className="size-6" />} title="Nothing recorded yet" description="Changes made in this organization appear here." />
      ) : (
        <Table aria-label="Audit events">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">When</TableHead>
              <TableHead scope="col">Who</TableHead>
              <TableHead scope="col">Action</TableHead>
              <TableHead scope="col">Target</TableHead>
              <TableHead scope="col">Change</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((e) => (
              <TableRow key={e.id}>
                <TableCell className="whitespace-nowrap tabular-nums">{formatDateTime(e.at)}</TableCell>
                <TableCell>{e.actor}</TableCell>
                <TableCell>
                  <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{e.action}</code>
                </TableCell>
                <TableCell className="text-xs text-muted-foreground">{e.target ?? '—'}</TableCell>
                <TableCell className="max-w-md text-xs">
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
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? base : undefined}
        prevLabel="Newest"
        nextHref={page.nextCursor ? pageHref(base, { cursor: page.nextCursor }) : undefined}
        nextLabel="Older"
      />
    </div>
  );
}
