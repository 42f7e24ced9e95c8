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
import { countOpenReach, NO_REACH } from '@/lib/data/reach';
import { ACCESS_POLICY_DESCRIPTIONS, ACCESS_POLICY_LABELS, APP_TYPE_LABELS } from '@/lib/vocabulary';
import { deleteApplication, updateApplication } from '../actions';

export const metadata: Metadata = { title: 'Application' };

export default async function ApplicationPage({ params }: { params: Promise<{ applicationId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['applications/[applicationId]']);
  const { applicationId } = await params;
  const canWrite = can(ctx.actor, 'catalog:write');
  const [app, usage, openReach] = await Promise.all([
    getApplication(ctx, applicationId),
    canWrite ? getApplicationUsage(ctx, applicationId) : null,
    canWrite ? countOpenReach(ctx) : null,
  ]);
  if (!app) notFound();
  const nobodyGetsIn = app.accessPolicy !== 'OPEN' && app.roleCount === 0;
  return (
    <div className="space-y-6">
      <Link href="/platform/applications" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden className="size-4" /> All applications
      </Link>
      <PageHeader title={app.name} description={app.description || `${APP_TYPE_LABELS[app.type]} with the Auth0 client id ${app.clientId}.`} />
      {nobodyGetsIn && (
        <Alert variant="warning">
          Its policy needs mapped roles and none is mapped, so nobody can use it. Map roles to it from their pages under Roles.
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
            Change the mapping on each role’s page.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {app.roles.length === 0 ? (
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
