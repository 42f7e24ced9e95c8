import type { Metadata } from 'next';
import { KeyRound } from 'lucide-react';
import { OrgAssignmentsList } from '@/components/access/org-assignments-list';
import { requireOrgContext } from '@/lib/authz/context';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { listOrgAssignments } from '@/lib/data/assignments';
import { PageCursor } from '@/lib/schemas/org';

export const metadata: Metadata = { title: 'Access' };

export default async function AccessPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const ctx = await requireOrgContext(orgSlug, ORG_PAGE_POLICY.access);
  const cursor = PageCursor.catch(undefined).parse((await searchParams).cursor);
  const page = await listOrgAssignments(ctx, { kind: 'user', cursor });
  return (
    <OrgAssignmentsList
      title="Access"
      description="Roles given to members in this organization. Each role opens the applications mapped to it; every member also has the built-in role of their tier."
      tableLabel="Org role assignments"
      subjectHeader="Member"
      empty={{ icon: <KeyRound aria-hidden className="size-6" />, title: 'No org roles assigned yet', description: 'Members still get the built-in role of their tier.' }}
      page={page}
      base={`/orgs/${ctx.org.slug}/access`}
      onFirstPage={!cursor}
    />
  );
}
