import type { Metadata } from 'next';
import Link from 'next/link';
import { Building2, Download } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import { buttonVariants } from '@/components/ui/button';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformOrgs } from '@/lib/data/platform-orgs';
import { listHref, parseListParams, type ListItem } from '@/lib/list-params';
import { PLATFORM_ORG_LIST_OPTIONS, platformOrgFilters } from '@/lib/schemas/platform-orgs';

export const metadata: Metadata = { title: 'Organizations' };

const BASE = '/platform/orgs';

const columns: DataTableColumn<ListItem<typeof listPlatformOrgs>>[] = [
  {
    id: 'name',
    header: 'Name',
    sortable: true,
    className: 'font-medium',
    cell: (o) => (
      <>
        <Link href={`${BASE}/${o.id}`} className="row-link">
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

export default async function PlatformOrgsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.orgs);
  const params = parseListParams(await searchParams, PLATFORM_ORG_LIST_OPTIONS);
  const page = await listPlatformOrgs(ctx, { ...platformOrgFilters(params), cursor: params.cursor });
  return (
    <ListPage
      title="Organizations"
      description="Every organization, its size and last sign-in, and the Auth0 organization each is linked to. The Auth0 Actions find an organization by that link first, then by its name as a slug."
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search organizations', placeholder: 'Name, slug or Auth0 organization id' }}
      tabs={{
        param: 'status',
        label: 'Status',
        options: [
          { value: undefined, label: 'All' },
          { value: 'active', label: 'Active' },
          { value: 'suspended', label: 'Suspended' },
        ],
      }}
      filters={[
        {
          param: 'created',
          label: 'Created',
          allLabel: 'Any time',
          options: [
            { value: '7', label: 'Last 7 days' },
            { value: '30', label: 'Last 30 days' },
            { value: '90', label: 'Last 90 days' },
            { value: 'older', label: 'More than 90 days ago' },
          ],
        },
        {
          param: 'size',
          label: 'Members',
          allLabel: 'Any size',
          options: [
            { value: 'empty', label: 'None' },
            { value: 'small', label: '1–9' },
            { value: 'medium', label: '10–99' },
            { value: 'large', label: '100–999' },
            { value: 'huge', label: '1,000 or more' },
          ],
        },
      ]}
      toolbar={
        <a href={listHref(`${BASE}/export`, params.query)} className={buttonVariants({ variant: 'outline' })} download>
          <Download aria-hidden className="size-4" /> Export CSV
        </a>
      }
      caption="Organizations"
      columns={columns}
      getRowId={(o) => o.id}
      empty={{ icon: <Building2 aria-hidden className="size-6" />, title: 'No organizations yet', description: 'Organizations appear here when people create them.' }}
      noMatch={{ title: 'No organization matches', description: 'No organization matches this search and these filters. Clear a filter or search for something else.' }}
    />
  );
}
