import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ChevronLeft } from 'lucide-react';
import { ApplicationForm } from '@/components/catalog/application-form';
import { formatDateTime } from '@/components/common/format';
import { DeleteZone } from '@/components/forms/delete-zone';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { getApplication, getApplicationUsage } from '@/lib/data/catalog/applications';
import { countOpenReach, listWhoCanReach, NO_REACH } from '@/lib/data/reach';
import { listRolesForMapping } from '@/lib/data/catalog/role-grants';
import { listHref, parseListParams } from '@/lib/list-params';
import { OrgSearchQuery } from '@/lib/schemas/assignments';
import { ApplicationRolesEditor } from '@/components/catalog/application-roles-editor';
import { Button } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { Input } from '@/components/ui/input';
import { KeysetPagination } from '@/components/ui/pagination';
import { ACCESS_POLICY_DESCRIPTIONS, ACCESS_POLICY_LABELS, APP_TYPE_LABELS, TIER_LABELS } from '@/lib/vocabulary';
import { deleteApplication, setApplicationRole, updateApplication } from '../actions';

export const metadata: Metadata = { title: 'Application' };

const REACH_ORG = 'org';

export default async function ApplicationPage({
  params,
  searchParams,
}: {
  params: Promise<{ applicationId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['applications/[applicationId]']);
  const { applicationId } = await params;
  const sp = await searchParams;
  const list = parseListParams(sp);
  const orgSlug = OrgSearchQuery.catch(undefined).parse(sp[REACH_ORG]) || undefined;
  const canWrite = can(ctx.actor, 'catalog:write');
  const [app, usage, openReach, reach, allRoles] = await Promise.all([
    getApplication(ctx, applicationId),
    canWrite ? getApplicationUsage(ctx, applicationId) : null,
    canWrite ? countOpenReach(ctx) : null,
    listWhoCanReach(ctx, applicationId, { orgSlug, cursor: list.cursor }),
    canWrite ? listRolesForMapping(ctx) : null,
  ]);
  if (!app) notFound();
  const base = `/platform/applications/${app.id}`;
  const reachQuery = { [REACH_ORG]: orgSlug };
  const csvHref = `/platform/applications/reach?${new URLSearchParams({ applicationId: app.id, ...(orgSlug ? { org: orgSlug } : {}) })}`;
  const nobodyGetsIn = app.accessPolicy !== 'OPEN' && app.roleCount === 0;
  return (
    <div className="space-y-6">
      <Link href="/platform/applications" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden className="size-4" /> All applications
      </Link>
      <PageHeader title={app.name} description={app.description || `${APP_TYPE_LABELS[app.type]} with the Auth0 client id ${app.clientId}.`} />
      {nobodyGetsIn && (
        <Alert variant="warning">
          Its policy needs mapped roles and none is mapped, so nobody can use it. Map a role to it below, or from the role’s page under Roles.
        </Alert>
      )}

      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>
            <h2>Details</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {canWrite ? (
            <ApplicationForm
              mode="edit"
              application={{
                id: app.id,
                name: app.name,
                type: app.type,
                clientId: app.clientId,
                accessPolicy: app.accessPolicy,
                description: app.description,
                url: app.url ?? '',
              }}
              openReach={openReach ?? NO_REACH}
              action={updateApplication}
            />
          ) : (
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Type</dt>
              <dd>{APP_TYPE_LABELS[app.type]}</dd>
              <dt className="text-muted-foreground">Auth0 client id</dt>
              <dd>
                <code className="font-mono">{app.clientId}</code>
              </dd>
              <dt className="text-muted-foreground">Access policy</dt>
              <dd>
                {ACCESS_POLICY_LABELS[app.accessPolicy]}
                <span className="block text-muted-foreground">{ACCESS_POLICY_DESCRIPTIONS[app.accessPolicy]}</span>
              </dd>
              <dt className="text-muted-foreground">Description</dt>
              <dd>{app.description || '—'}</dd>
              <dt className="text-muted-foreground">Updated</dt>
              <dd className="tabular-nums">{formatDateTime(app.updatedAt)}</dd>
            </dl>
          )}
        </CardContent>
      </Card>

      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>
            <h2>Mapped roles</h2>
          </CardTitle>
          <CardDescription>
            {app.accessPolicy === 'OPEN'
              ? 'The policy is open, so these roles do not decide who gets in; they still show what the application is meant for.'
              : app.accessPolicy === 'ANY_ROLE'
                ? 'Holding any one of these roles lets someone in.'
                : 'Someone needs every one of these roles to get in.'}{' '}
            {canWrite ? 'Tick a role to map it here (saved at once), or change the mapping on each role’s page.' : 'The mapping is changed on each role’s page.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {allRoles ? (
            <ApplicationRolesEditor
              applicationId={app.id}
              applicationName={app.name}
              roles={allRoles}
              mapped={app.roles.map((r) => r.id)}
              action={setApplicationRole}
            />
          ) : app.roles.length === 0 ? (
            <p className="text-sm text-muted-foreground">No role is mapped to it. Open a role under Roles and choose this application there.</p>
          ) : (
            <ul className="space-y-1 text-sm" aria-label={`Roles mapped to ${app.name}`}>
              {app.roles.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center gap-2">
                  <Link href={`/platform/roles/${r.id}`} className="underline-offset-4 hover:underline">
                    {r.name}
                  </Link>
                  <code className="font-mono text-xs text-muted-foreground">{r.key}</code>
                  {r.builtIn && <Badge variant="secondary">Built-in</Badge>}
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      {reach && (
        <section aria-labelledby="who-can-reach" className="space-y-3">
          <div className="flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="who-can-reach" className="text-lg font-semibold">
                Who can reach this
              </h2>
              <p className="text-sm text-muted-foreground">
                Everyone {app.name} lets in, per organization, with the reason Gatehouse gives it (the same answer as the decision API).
              </p>
            </div>
            <a href={csvHref} className="text-sm font-medium underline-offset-4 hover:underline" download>
              Download CSV
            </a>
          </div>
          <form method="get" action={base} className="flex flex-wrap items-end gap-2" role="search" aria-label="Who can reach this, by organization">
            <div className="space-y-1.5">
              <label htmlFor="reach-org" className="text-sm leading-none">
                Organization (slug)
              </label>
              <Input id="reach-org" name={REACH_ORG} defaultValue={orgSlug ?? ''} placeholder="All organizations" className="w-56" />
            </div>
            <Button type="submit" variant="outline">
              Show
            </Button>
          </form>
          {reach.items.length === 0 ? (
            <p className="text-sm text-muted-foreground" data-testid="reach-empty">
              {orgSlug ? `Nobody in ${orgSlug} can reach ${app.name}.` : `Nobody can reach ${app.name} yet.`}
            </p>
          ) : (
            <DataTable
              caption={`People who can reach ${app.name}`}
              rows={reach.items}
              getRowId={(r) => `${r.orgId}/${r.userId}`}
              columns={[
                {
                  id: 'org',
                  header: 'Organization',
                  cell: (r) => (
                    <Link href={`/platform/orgs/${r.orgId}`} className="underline-offset-4 hover:underline">
                      {r.orgName}
                    </Link>
                  ),
                },
                { id: 'person', header: 'Person', className: 'font-medium break-all', cell: (r) => (r.name ? `${r.name} (${r.email})` : r.email) },
                { id: 'tier', header: 'Tier', cell: (r) => TIER_LABELS[r.tier] },
                { id: 'reason', header: 'Why', cell: (r) => r.reason },
              ]}
            />
          )}
          <KeysetPagination cursor={list.cursor} nextCursor={reach.nextCursor} href={(cursor) => listHref(base, reachQuery, { cursor })} />
        </section>
      )}

      {canWrite && usage && (
        <DeleteZone
          thing="application"
          name={app.name}
          description={usage.summary}
          consequence="Its role mappings go, and as an M2M client it loses its roles. This cannot be undone."
          action={deleteApplication}
          input={{ applicationId: app.id }}
          usage={usage}
          redirectTo="/platform/applications"
        />
      )}
    </div>
  );
}
