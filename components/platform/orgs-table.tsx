'use client';

import { PlainLink } from '@/components/ui/plain-link';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import { DataTable, type DataTableColumn } from '@/components/ui/data-table';
import type { PlatformOrgListItemDto } from '@/lib/data/platform-orgs';
import type { SortLinks } from '@/lib/list-params';

const BASE = '/platform/orgs';

const columns: DataTableColumn<PlatformOrgListItemDto>[] = [
  {
    id: 'name',
    header: 'Name',
    sortable: true,
    className: 'font-medium',
    cell: (o) => (
      <>
        <PlainLink href={`${BASE}/${o.id}`} className="row-link">
          {o.name}
        </PlainLink>
        {o.suspended && (
          <Badge variant="secondary" className="ml-2">
            Suspended
          </Badge>
        )}
      </>
    ),
  },
  { id: 'slug', header: 'Slug', className: 'font-mono text-xs', cell: (o) => o.slug },
  {
    id: 'auth0',
    header: 'Auth0 organization',
    cell: (o) => (o.auth0OrgId ? <code className="font-mono text-xs">{o.auth0OrgId}</code> : <span className="text-muted-foreground">Not linked</span>),
  },
  { id: 'members', header: 'Members', sortable: true, sortDescFirst: true, align: 'right', className: 'tabular-nums', cell: (o) => o.members.toLocaleString('en') },
  { id: 'created', header: 'Created', sortable: true, sortDescFirst: true, className: 'tabular-nums', cell: (o) => formatDateTime(o.createdAt) },
  {
    id: 'last_sign_in',
    header: 'Last sign-in',
    sortable: true,
    sortDescFirst: true,
    className: 'tabular-nums',
    cell: (o) => (o.lastSignInAt ? formatDateTime(o.lastSignInAt) : <span className="text-muted-foreground">Never</span>),
  },
];

/** The organizations list's table: its rows arrive as data and render here (ListView's `table`, ADR 0009). */
export function PlatformOrgsTable({ rows, sortLinks }: { rows: PlatformOrgListItemDto[]; sortLinks?: SortLinks }) {
  return <DataTable caption="Organizations" columns={columns} rows={rows} getRowId={(o) => o.id} sortLinks={sortLinks} />;
}
