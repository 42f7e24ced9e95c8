import type { Metadata } from 'next';
import { z } from 'zod';
import { Users } from 'lucide-react';
import { PlatformUsersTable } from '@/components/platform/users-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformUsers, USER_ORG_COUNT_FILTERS } from '@/lib/data/platform-users';
import { parseListParams } from '@/lib/list-params';
import { PLATFORM_ROLE_LABELS, PLATFORM_ROLES } from '@/lib/vocabulary';

export const metadata: Metadata = { title: 'Users' };

const BASE = '/platform/users';

const FILTERS = {
  role: z.enum([...PLATFORM_ROLES, 'any']),
  status: z.enum(['blocked', 'active']),
  orgs: z.enum(USER_ORG_COUNT_FILTERS),
  never: z.literal('1'),
};

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
      table={<PlatformUsersTable rows={page.items} />}
      empty={{ icon: <Users aria-hidden className="size-6" />, title: 'No users yet', description: 'People appear here after their first sign-in.' }}
      noMatch={{ title: 'No user matches', description: 'No user’s email, name or Auth0 subject starts with that, under these filters.' }}
    />
  );
}
