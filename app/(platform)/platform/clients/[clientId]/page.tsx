import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AddAssignmentForm } from '@/components/assignments/add-assignment-form';
import { SubjectAssignments } from '@/components/assignments/subject-assignments';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { KeysetPagination } from '@/components/ui/pagination';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listAssignableRoles, listSubjectAssignments } from '@/lib/data/assignments';
import { getClient } from '@/lib/data/clients';
import { searchOrgs } from '@/lib/data/orgs';
import { listHref, parseListParams } from '@/lib/list-params';
import { ORG_QUERY_PARAM, OrgSearchQuery } from '@/lib/schemas/assignments';
import { createAssignment, deleteAssignment } from '../actions';

export const metadata: Metadata = { title: 'M2M client' };

export default async function ClientPage({
  params,
  searchParams,
}: {
  params: Promise<{ clientId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['clients/[clientId]']);
  const { clientId } = await params;
  const client = await getClient(ctx, clientId);
  if (!client) notFound();
  const sp = await searchParams;
  const list = parseListParams(sp);
  const orgQuery = OrgSearchQuery.catch(undefined).parse(sp[ORG_QUERY_PARAM]);
  const canWrite = can(ctx.actor, 'catalog:write');
  const [assignments, roles, orgChoices] = await Promise.all([
    listSubjectAssignments(ctx, { clientAppId: client.id }, { cursor: list.cursor }),
    canWrite ? listAssignableRoles() : Promise.resolve([]),
    canWrite ? searchOrgs(ctx, orgQuery) : Promise.resolve([]),
  ]);
  const base = `/platform/clients/${client.id}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform/clients" className="text-muted-foreground underline-offset-4 hover:underline">
          ← All M2M clients
        </Link>
      </p>
      <PageHeader title={client.name} description={client.description || `The M2M client ${client.clientId} and its roles, org by org.`} />
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted-foreground">Auth0 client id</dt>
        <dd>
          <code className="font-mono text-xs">{client.clientId}</code>
        </dd>
        <dt className="text-muted-foreground">Role assignments</dt>
        <dd className="tabular-nums">{client.assignmentCount}</dd>
      </dl>
      <section aria-labelledby="roles-heading" className="space-y-4">
        <h2 id="roles-heading" className="text-lg font-semibold">
          Roles, org by org
        </h2>
        <SubjectAssignments data={assignments} subjectLabel={client.name} revoke={canWrite ? deleteAssignment : undefined} />
        <KeysetPagination
          cursor={list.cursor}
          nextCursor={assignments.orgs.nextCursor}
          href={(cursor) => listHref(base, list.query, { cursor })}
          firstLabel="First organizations"
          nextLabel="More organizations"
        />
      </section>
      {canWrite && (
        <section aria-labelledby="add-heading">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2 id="add-heading">Add a role</h2>
              </CardTitle>
              <CardDescription>
                Give {client.name} a role globally or in one organization. It counts at the next client-credentials exchange and in every
                decision from then on.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <AddAssignmentForm
                subject={{ clientAppId: client.id }}
                subjectLabel={client.name}
                roles={roles}
                orgChoices={orgChoices}
                action={createAssignment}
              />
            </CardContent>
          </Card>
        </section>
      )}
    </div>
  );
}
