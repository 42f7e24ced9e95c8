import type { Metadata } from 'next';
import { ScrollText } from 'lucide-react';
import { AuditFilterForm } from '@/components/audit/audit-log';
import { auditRows } from '@/components/audit/audit-rows';
import { platformAuditHref } from '@/components/audit/audit-sentence';
import { AuditTable } from '@/components/audit/audit-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformAuditEvents } from '@/lib/data/audit-events';
import { parseListParams } from '@/lib/list-params';
import { AuditFilters, auditFiltersFrom } from '@/lib/schemas/audit';

export const metadata: Metadata = { title: 'Audit log' };

const BASE = '/platform/audit';
const { org, actor, action, target, from, to } = AuditFilters.shape;

export default async function PlatformAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.audit);
  const raw = await searchParams;
  const params = parseListParams(raw, { filters: { org, actor, action, target, from, to } });
  const filters = auditFiltersFrom(raw);
  const page = await listPlatformAuditEvents(ctx, filters);
  return (
    <ListPage
      title="Audit log"
      description="Every change in every organization and on the platform, and every look staff took at tenant data. Entries cannot be edited or deleted."
      base={BASE}
      params={params}
      page={page}
      before={<AuditFilterForm base={BASE} filters={filters} platform />}
      table={<AuditTable caption="Audit events" rows={auditRows(page.items, platformAuditHref, { showOrg: true, detailHref: (e) => `${BASE}/${e.id}` })} showOrg />}

      empty={{ icon: <ScrollText aria-hidden className="size-6" />, title: 'Nothing recorded yet', description: 'Changes and staff looks appear here.' }}
      noMatch={{ title: 'No event matches', description: 'No event matches the filter (an unknown organization or person matches nothing).' }}
      firstLabel="Newest"
      nextLabel="Older"
    />
  );
}
