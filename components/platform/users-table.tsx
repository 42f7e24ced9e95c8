'use client';

import { PlainLink } from '@/components/ui/plain-link';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import { DataTable, type DataTableColumn } from '@/components/ui/data-table';
import type { PlatformUserListItemDto } from '@/lib/data/platform-users';
import { PLATFORM_ROLE_LABELS } from '@/lib/vocabulary';

const BASE = '/platform/users';

const columns: DataTableColumn<PlatformUserListItemDto>[] = [
  {
    id: 'user',
    header: 'User',
    className: 'max-w-xs',
    cell: (u) => (
      <>
        <PlainLink href={`${BASE}/${u.id}`} className="row-link block truncate font-medium" title={u.email}>
          {u.email}
        </PlainLink>
        {u.name && <div className="truncate text-xs text-muted-foreground">{u.name}</div>}
      </>
    ),
  },
  { id: 'sub', header: 'Auth0 subject', className: 'max-w-48', cell: (u) => <code className="block truncate font-mono text-xs" title={u.sub}>{u.sub}</code> },
  {
    id: 'role',
    header: 'Platform role',
    cell: (u) =>
      u.platformRole === 'NONE' && !u.blocked ? (
        <span className="text-muted-foreground">—</span>
      ) : (
        <span className="flex flex-wrap gap-1">
          {u.platformRole !== 'NONE' ? <Badge variant="secondary">{PLATFORM_ROLE_LABELS[u.platformRole]}</Badge> : <span className="text-muted-foreground">—</span>}
          {u.blocked && <Badge variant="outline">Blocked</Badge>}
        </span>
      ),
  },
  { id: 'orgs', header: 'Orgs', align: 'right', className: 'tabular-nums', cell: (u) => u.orgs.toLocaleString('en') },
  { id: 'last', header: 'Last sign-in', className: 'whitespace-nowrap tabular-nums', cell: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Never') },
];

/** The users list's table: its rows arrive as data and render here (ListView's `table`, ADR 0009). */
export function PlatformUsersTable({ rows }: { rows: PlatformUserListItemDto[] }) {
  return <DataTable caption="Users" columns={columns} rows={rows} getRowId={(u) => u.id} />;
}
