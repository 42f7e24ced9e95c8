import type { Metadata } from 'next';
import Link from 'next/link';
import { Building2 } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformOrgs } from '@/lib/data/platform-orgs';
import { parseListParams, type ListItem } from '@/lib/list-params';

export const metadata: Metadata = { title: 'Organizations' };

const BASE = '/platform/orgs';

const columns: DataTableColumn<ListItem<typeof listPlatformOrgs>>[] = [
  {
    id: 'name',
    header: 'Name',
    className: 'font-medium',
    cell: (o) => (
      <>
        <Link href={`${BASE}/${o.id}`} className="underline-offset-4 hover:underline">
          {o.name}
        </Link>
        {o.suspended && (
          <Badge variant="secondary" className="ml-2">
            Suspended
          </Badge>
        )}
      </>
    ),
  },
  { id: 'slug', header: 'Slug', cell: (o) => <code className="font-mono text-xs">{o.slug}</code> },
  {
    id: 'auth0',
    header: 'Auth0 organization',
    cell: (o) => (o.auth0OrgId ? <code className="font-mono text-xs">{o.auth0OrgId}</code> : <span className="text-muted-foreground">Not linked</span>),
  },
  { id: 'members', header: 'Members', align: 'right', className: 'tabular-nums', cell: (o) => o.members.toLocaleString('en') },
];

export default async function PlatformOrgsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.orgs);
  const params = parseListParams(await searchParams);
  const page = await listPlatformOrgs(ctx, { q: params.q, cursor: params.cursor });
  return (
    <ListPage
      title="Organizations"
      description="Every organization, and the Auth0 organization each is linked to. The Auth0 Actions find an organization by that link first, then by its name as a slug."
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search organizations', placeholder: 'Name, slug or Auth0 organization id' }}
      caption="Organizations"
      columns={columns}
      getRowId={(o) => o.id}
      empty={{ icon: <Building2 aria-hidden className="size-6" />, title: 'No organizations yet', description: 'Organizations appear here when people create them.' }}
      noMatch={{ title: 'No organization matches', description: `No organization has “${params.q}” in its name, slug or Auth0 organization id.` }}
    />
  );
}
