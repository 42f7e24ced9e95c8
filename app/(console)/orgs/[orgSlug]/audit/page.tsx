import type { Metadata } from 'next';
import { ScrollText } from 'lucide-react';
import { AuditFilterForm } from '@/components/audit/audit-log';
import { auditRows } from '@/components/audit/audit-rows';
import { AuditTable } from '@/components/audit/audit-table';
import type { AuditHrefFor } from '@/components/audit/audit-sentence';
import { ListPage } from '@/components/ui/list-page';
import { pageOrgContext } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listOrgAuditEvents } from '@/lib/data/audit-events';
import { parseListParams } from '@/lib/list-params';
import { AuditFilters, auditFiltersFrom } from '@/lib/schemas/audit';

export const metadata: Metadata = { title: 'Audit log' };

const { actor, action, from, to } = AuditFilters.shape;

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.audit);
  const raw = await searchParams;
  const list = parseListParams(raw, { filters: { actor, action, from, to } });
  const { org: _org, target: _target, ...filters } = auditFiltersFrom(raw);
  const page = await listOrgAuditEvents(ctx, filters);
  const base = `/orgs/${ctx.org.slug}/audit`;
  // Links this viewer may open: the org itself, and the people it names on the members page (for those who see it).
  const seesMembers = can(ctx.actor, 'members:read');
  const hrefFor: AuditHrefFor = (ref) => {
    if (ref.kind === 'org' && ref.id === ctx.org.id) return `/orgs/${ctx.org.slug}`;
    if (ref.kind === 'user' && ref.id && seesMembers) return `/orgs/${ctx.org.slug}/members?q=${encodeURIComponent(ref.label)}`;
    return null;
  };
  return (
    <ListPage
      title="Audit log"
      description="Every change in this organization: who did what, when, and what it was before. Entries cannot be edited or deleted."
      base={base}
      params={list}
      page={page}
      before={<AuditFilterForm base={base} filters={{ ...filters, org: undefined, target: undefined }} />}
      table={<AuditTable caption="Audit events" rows={auditRows(page.items, hrefFor)} />}
      empty={{
        icon: <ScrollText aria-hidden className="size-6" />,
        title: 'Nothing recorded yet',
        description: 'Changes made in this organization appear here.',
      }}
      noMatch={{ title: 'No event matches', description: 'No event in this organization matches the filter.' }}
      firstLabel="Newest"
      nextLabel="Older"
    />
  );
}
