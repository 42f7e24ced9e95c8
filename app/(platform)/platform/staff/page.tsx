import type { Metadata } from 'next';
import Link from 'next/link';
import { ShieldCheck } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { AddStaffForm } from '@/components/staff/add-staff-form';
import { PlatformRoleControl } from '@/components/staff/platform-role-control';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listStaff, type StaffMemberDto } from '@/lib/data/staff';
import { parseListParams } from '@/lib/list-params';
import { PLATFORM_ROLE_LABELS } from '@/lib/vocabulary';
import { setPlatformRole } from './actions';

export const metadata: Metadata = { title: 'Staff' };

const BASE = '/platform/staff';

export default async function PlatformStaffPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.staff);
  const params = parseListParams(await searchParams);
  const page = await listStaff(ctx, { cursor: params.cursor });
  const manages = can(ctx.actor, 'staff:manage');
  const columns: DataTableColumn<StaffMemberDto>[] = [
    {
      id: 'user',
      header: 'Person',
      cell: (s) => (
        <div className="min-w-0">
          <Link href={`/platform/users/${s.id}`} className="block truncate font-medium underline-offset-4 hover:underline">
            {s.email}
          </Link>
          {s.name && <div className="truncate text-xs text-muted-foreground">{s.name}</div>}
        </div>
      ),
    },
    {
      id: 'role',
      header: 'Platform role',
      cell: (s) =>
        manages ? (
          <PlatformRoleControl userId={s.id} email={s.email} current={s.platformRole} action={setPlatformRole} self={s.id === ctx.user.id} />
        ) : (
          <span className="flex gap-1">
            <Badge variant="secondary">{PLATFORM_ROLE_LABELS[s.platformRole]}</Badge>
            {s.id === ctx.user.id && <span className="text-xs text-muted-foreground">(you)</span>}
          </span>
        ),
    },
    { id: 'status', header: 'Status', cell: (s) => (s.blocked ? <Badge variant="outline">Blocked</Badge> : 'Active') },
    { id: 'last', header: 'Last sign-in', className: 'whitespace-nowrap tabular-nums', cell: (s) => (s.lastLoginAt ? formatDateTime(s.lastLoginAt) : 'Never') },
  ];
  return (
    <ListPage
      title="Staff"
      description="Who works on the platform: staff read every org and user (each look is recorded), operators also edit the catalog, superadmins also manage staff, block users and suspend orgs. The platform always keeps at least one superadmin."
      base={BASE}
      params={params}
      page={page}
      before={
        manages ? (
          <Card className="max-w-3xl">
            <CardHeader>
              <CardTitle>
                <h2>Add someone</h2>
              </CardTitle>
              <CardDescription>They must have signed in once. You may lower your own role, never raise it, and the last superadmin stays one.</CardDescription>
            </CardHeader>
            <CardContent>
              <AddStaffForm action={setPlatformRole} />
            </CardContent>
          </Card>
        ) : (
          <p className="text-sm text-muted-foreground">Only superadmins change platform roles.</p>
        )
      }
      caption="Platform staff"
      columns={columns}
      getRowId={(s) => s.id}
      empty={{ icon: <ShieldCheck aria-hidden className="size-6" />, title: 'No staff yet' }}
    />
  );
}
