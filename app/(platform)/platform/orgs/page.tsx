import type { Metadata } from 'next';
import { Building2, Download } from 'lucide-react';
import { PlatformOrgsTable } from '@/components/platform/orgs-table';
import { buttonVariants } from '@/components/ui/button';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listPlatformOrgs } from '@/lib/data/platform-orgs';
import { listHref, listSortLinks, parseListParams } from '@/lib/list-params';
import { PLATFORM_ORG_LIST_OPTIONS, platformOrgFilters } from '@/lib/schemas/platform-orgs';

export const metadata: Metadata = { title: 'Organizations' };

const BASE = '/platform/orgs';

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
      table={<PlatformOrgsTable rows={page.items} sortLinks={listSortLinks(BASE, params)} />}
      empty={{ icon: <Building2 aria-hidden className="size-6" />, title: 'No organizations yet', description: 'Organizations appear here when people create them.' }}
      noMatch={{ title: 'No organization matches', description: 'No organization matches this search and these filters. Clear a filter or search for something else.' }}
    />
  );
}
