import type { Metadata } from 'next';
import { Bot } from 'lucide-react';
import { OrgAssignmentsList } from '@/components/access/org-assignments-list';
import { requireOrgContext } from '@/lib/authz/context';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listOrgAssignments } from '@/lib/data/assignments';
import { PageCursor } from '@/lib/schemas/org';

export const metadata: Metadata = { title: 'M2M clients' };

export default async function ClientsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgContext(orgSlug, ORG_PAGE_POLICY.clients);
  const cursor = PageCursor.catch(undefined).parse((await searchParams).cursor);
  const page = await listOrgAssignments(ctx, { kind: 'client', cursor });
  return (
    <OrgAssignmentsList
      title="M2M clients"
      description="Machine-to-machine clients acting in this organization and their roles here. Read-only: platform operators manage them."
      tableLabel="M2M client roles"
      subjectHeader="Client"
      empty={{ icon: <Bot aria-hidden className="size-6" />, title: 'No M2M client acts in this organization', description: 'When an operator gives a client a role in this organization, it shows up here.' }}
      page={page}
      base={`/orgs/${ctx.org.slug}/clients`}
      onFirstPage={!cursor}
    />
  );
}
