import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ChevronLeft } from 'lucide-react';
import { DeleteZone } from '@/components/forms/delete-zone';
import { UnsavedChangesProvider } from '@/components/forms/unsaved-changes';
import { RoleApplicationsEditor } from '@/components/catalog/role-applications-editor';
import { RoleForm } from '@/components/catalog/role-form';
import { RolePermissionsEditor } from '@/components/catalog/role-permissions-editor';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { TIER_LABELS } from '@/lib/vocabulary';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApplicationChoices, listPermissionChoices } from '@/lib/data/catalog/role-grants';
import { getRole, getRoleUsage, type RoleDto } from '@/lib/data/catalog/roles';
import { ACCESS_POLICY_LABELS, APP_TYPE_LABELS } from '@/lib/vocabulary';
import { deleteRole, setRoleApplications, setRolePermissions, updateRole } from '../actions';

export const metadata: Metadata = { title: 'Role' };

/** What the role grants, for readers (grouped by API). */
function GrantsReadOnly({ role }: { role: RoleDto }) {
  const byApi = new Map<string, { name: string; values: string[] }>();
  for (const p of role.permissions) {
    const g = byApi.get(p.apiId) ?? { name: p.apiName, values: [] };
    g.values.push(p.value);
    byApi.set(p.apiId, g);
  }
  return (
    <div className="space-y-3 text-sm">
      {byApi.size === 0 ? (
        <p className="text-muted-foreground">It grants no permissions.</p>
      ) : (
        [...byApi.entries()].map(([apiId, g]) => (
          <div key={apiId}>
            <h3 className="font-medium">
              <Link href={`/platform/apis/${apiId}`} className="underline-offset-4 hover:underline">
                {g.name}
              </Link>
            </h3>
            <ul className="mt-1 flex flex-wrap gap-1">
              {g.values.map((v) => (
                <li key={v}>
                  <Badge variant="outline" className="font-mono">
                    {v}
                  </Badge>
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </div>
  );
}

export default async function RolePage({ params }: { params: Promise<{ roleId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['roles/[roleId]']);
  const { roleId } = await params;
  const canWrite = can(ctx.actor, 'catalog:write');
  const role = await getRole(ctx, roleId);
  if (!role) notFound();
  const permissionIds = role.permissions.map((p) => p.id);
  const applicationIds = role.applications.map((a) => a.id);
  const [permissionChoices, applicationChoices, usage] = canWrite
    ? await Promise.all([
        listPermissionChoices(ctx, { include: permissionIds }),
        listApplicationChoices(ctx, { include: applicationIds }),
        role.builtIn ? null : getRoleUsage(ctx, role.id),
      ])
    : [null, null, null];
  return (
    <UnsavedChangesProvider>
    <div className="space-y-6">
      <Link href="/platform/roles" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden className="size-4" /> All roles
      </Link>
      <PageHeader
        title={role.name}
        description={
          role.builtIn && role.tier
            ? `Built-in: every ${TIER_LABELS[role.tier].toLowerCase()} of an organization has this role there. Its key cannot change and it cannot be deleted.`
            : role.description || `The role ${role.key}.`
        }
        actions={role.builtIn ? <Badge variant="secondary">Built-in</Badge> : undefined}
      />

      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>
            <h2>Details</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {canWrite ? (
            <RoleForm
              mode="edit"
              role={{ id: role.id, key: role.key, name: role.name, description: role.description, builtIn: role.builtIn }}
              action={updateRole}
            />
          ) : (
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Key</dt>
              <dd>
                <code className="font-mono">{role.key}</code>
              </dd>
              <dt className="text-muted-foreground">Name</dt>
              <dd>{role.name}</dd>
              <dt className="text-muted-foreground">Description</dt>
              <dd>{role.description || '—'}</dd>
            </dl>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Permissions</h2>
          </CardTitle>
          <CardDescription>Everyone holding this role gets these permissions, grouped by API.</CardDescription>
        </CardHeader>
        <CardContent>
          {permissionChoices ? (
            <RolePermissionsEditor
              roleId={role.id}
              roleName={role.name}
              groups={permissionChoices.groups}
              selected={permissionIds}
              truncated={permissionChoices.truncated}
              action={setRolePermissions}
            />
          ) : (
            <GrantsReadOnly role={role} />
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Applications</h2>
          </CardTitle>
          <CardDescription>
            Applications with the policy “{ACCESS_POLICY_LABELS.ANY_ROLE}” let in holders of any mapped role; “{ACCESS_POLICY_LABELS.ALL_ROLES}” needs
            every mapped role. Open applications ignore roles.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {applicationChoices ? (
            <RoleApplicationsEditor
              roleId={role.id}
              roleName={role.name}
              applications={applicationChoices.items}
              selected={applicationIds}
              truncated={applicationChoices.truncated}
              action={setRoleApplications}
            />
          ) : role.applications.length === 0 ? (
            <p className="text-sm text-muted-foreground">It is mapped to no application.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {role.applications.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center gap-2">
                  <Link href={`/platform/applications/${a.id}`} className="underline-offset-4 hover:underline">
                    {a.name}
                  </Link>
                  <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge>
                  <Badge variant="secondary">{ACCESS_POLICY_LABELS[a.accessPolicy]}</Badge>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      {canWrite && usage && (
        <DeleteZone
          thing="role"
          name={role.name}
          description={usage.summary}
          consequence="Everyone holding it loses it at once; its assignments, rule effects, invitation roles and application mappings go too. This cannot be undone."
          action={deleteRole}
          input={{ roleId: role.id }}
          usage={usage}
          redirectTo="/platform/roles"
        />
      )}
    </div>
    </UnsavedChangesProvider>
  );
}
