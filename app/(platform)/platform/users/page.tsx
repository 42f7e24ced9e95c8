import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { Users } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformUsers, USER_ORG_COUNT_FILTERS } from '@/lib/data/platform-users';
import { parseListParams, type ListItem } from '@/lib/list-params';
import { PLATFORM_ROLE_LABELS, PLATFORM_ROLES } from '@/lib/vocabulary';

export const metadata: Metadata = { title: 'Users' };

const BASE = '/platform/users';

const FILTERS = {
  role: z.enum([...PLATFORM_ROLES, 'any']),
  status: z.enum(['blocked', 'active']),
  orgs: z.enum(USER_ORG_COUNT_FILTERS),
  never: z.literal('1'),
};

const columns: DataTableColumn<ListItem<typeof listPlatformUsers>>[] = [
  {
    id: 'user',
    header: 'User',
    className: 'max-w-xs',
    cell: (u) => (
      <>
        <Link href={`${BASE}/${u.id}`} className="row-link block truncate font-medium" title={u.email}>
          {u.email}
        </Link>
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

export default async function PlatformUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.users);
  const params = parseListParams(await searchParams, { filters: FILTERS });
  const f = params.filters;
  const page = await listPlatformUsers(ctx, { q: params.q, role: f.role, status: f.status, orgs: f.orgs, never: f.never === '1', cursor: params.cursor });
  return (
    <ListPage
      title="Users"
      description="Everyone who has signed in to any organization, with their platform role. Open a user to see their memberships, what they can reach and why, and their sign-ins."
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search users by email, name or Auth0 subject', placeholder: 'Email, name or auth0|… (starts with)' }}
      filters={[
        {
          param: 'role',
          label: 'Platform role',
          allLabel: 'Any',
          options: [{ value: 'any', label: 'Any platform role' }, ...PLATFORM_ROLES.map((r) => ({ value: r, label: PLATFORM_ROLE_LABELS[r] }))],
        },
        { param: 'status', label: 'Status', allLabel: 'All', options: [{ value: 'active', label: 'Active' }, { value: 'blocked', label: 'Blocked' }] },
        { param: 'orgs', label: 'Organizations', allLabel: 'Any number', options: [{ value: '0', label: 'None' }, { value: '1', label: 'One' }, { value: '2+', label: 'Two or more' }] },
        { param: 'never', label: 'Sign-ins', allLabel: 'Any', options: [{ value: '1', label: 'Never signed in' }] },
      ]}
      caption="Users"
      columns={columns}
      getRowId={(u) => u.id}
      empty={{ icon: <Users aria-hidden className="size-6" />, title: 'No users yet', description: 'People appear here after their first sign-in.' }}
      noMatch={{ title: 'No user matches', description: 'No user’s email, name or Auth0 subject starts with that, under these filters.' }}
    />
  );
}
