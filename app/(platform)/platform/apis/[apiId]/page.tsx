import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ChevronLeft, KeyRound } from 'lucide-react';
import { ApiForm } from '@/components/catalog/api-form';
import { PermissionAddForm } from '@/components/catalog/permission-add-form';
import { formatDateTime } from '@/components/common/format';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { DeleteZone } from '@/components/forms/delete-zone';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { getApi, getApiUsage } from '@/lib/data/catalog/apis';
import { createPermission, deleteApi, deletePermission, updateApi } from '../actions';

export const metadata: Metadata = { title: 'API' };

function grantedBy(roleCount: number): { inUse: boolean; summary: string } {
  if (roleCount === 0) return { inUse: false, summary: 'No role grants it.' };
  return { inUse: true, summary: `${roleCount} ${roleCount === 1 ? 'role grants' : 'roles grant'} it.` };
}

export default async function ApiPage({ params }: { params: Promise<{ apiId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['apis/[apiId]']);
  const { apiId } = await params;
  const canWrite = can(ctx.actor, 'catalog:write');
  const [api, usage] = await Promise.all([getApi(ctx, apiId), canWrite ? getApiUsage(ctx, apiId) : null]);
  if (!api) notFound();
  return (
    <div className="space-y-6">
      <Link href="/platform/apis" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden className="size-4" /> All APIs
      </Link>
      <PageHeader title={api.name} description={api.description || `The API with the identifier ${api.identifier}.`} />

      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>
            <h2>Details</h2>
          </CardTitle>
          <CardDescription>Changing the identifier changes which tokens (audience) its permissions apply to.</CardDescription>
        </CardHeader>
        <CardContent>
          {canWrite ? (
            <ApiForm mode="edit" api={{ id: api.id, name: api.name, identifier: api.identifier, description: api.description }} action={updateApi} />
          ) : (
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Name</dt>
              <dd>{api.name}</dd>
              <dt className="text-muted-foreground">Identifier</dt>
              <dd>
                <code className="font-mono">{api.identifier}</code>
              </dd>
              <dt className="text-muted-foreground">Description</dt>
              <dd>{api.description || '—'}</dd>
              <dt className="text-muted-foreground">Updated</dt>
              <dd className="tabular-nums">{formatDateTime(api.updatedAt)}</dd>
            </dl>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Permissions</h2>
          </CardTitle>
          <CardDescription>
            {api.permissionCount === 1 ? '1 permission' : `${api.permissionCount} permissions`}. Roles grant them; backends check them with the
            decision API.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {canWrite && <PermissionAddForm apiId={api.id} action={createPermission} />}
          {api.permissions.length === 0 ? (
            <EmptyState
              icon={<KeyRound aria-hidden className="size-6" />}
              title="No permissions yet"
              description={canWrite ? 'Add the permissions this API checks, such as read:config, above.' : 'An operator adds the permissions this API checks.'}
            />
          ) : (
            <DataTable
              caption={`Permissions of ${api.name}`}
              rows={api.permissions}
              getRowId={(p) => p.id}
              columns={[
                { id: 'value', header: 'Permission', cell: (p) => <code className="font-mono">{p.value}</code> },
                { id: 'description', header: 'Description', cell: (p) => p.description || <span className="text-muted-foreground">—</span> },
                { id: 'roles', header: 'Roles granting it', align: 'right', className: 'tabular-nums', cell: (p) => p.roleCount },
              ]}
              rowActions={
                canWrite
                  ? (p) => (
                      <ConfirmAction
                        action={deletePermission}
                        input={{ permissionId: p.id }}
                        usage={grantedBy(p.roleCount)}
                        label="Delete"
                        ariaLabel={`Delete permission ${p.value}`}
                        size="sm"
                        title={`Delete ${p.value}?`}
                        description="Roles stop granting it at once, and tokens no longer carry it."
                        confirmLabel="Delete permission"
                        done={`Deleted ${p.value}`}
                      />
                    )
                  : undefined
              }
            />
          )}
          {api.permissions.length < api.permissionCount && (
            <p className="text-sm text-muted-foreground">Showing the first {api.permissions.length} permissions by name.</p>
          )}
        </CardContent>
      </Card>

      {canWrite && usage && (
        <DeleteZone
          thing="API"
          name={api.name}
          description={`${usage.summary} Deleting it deletes its permissions too.`}
          consequence="Its permissions are deleted and roles stop granting them. This cannot be undone."
          action={deleteApi}
          input={{ apiId: api.id }}
          usage={usage}
          redirectTo="/platform/apis"
        />
      )}
    </div>
  );
}
