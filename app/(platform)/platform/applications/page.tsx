import type { Metadata } from 'next';
import Link from 'next/link';
import { AppWindow } from 'lucide-react';
import { z } from 'zod';
import { ApplicationForm } from '@/components/catalog/application-form';
import { CatalogCreateDialog } from '@/components/catalog/catalog-create-dialog';
import { Badge } from '@/components/ui/badge';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { RowTitle } from '@/components/ui/row-title';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listApplications } from '@/lib/data/catalog/applications';
import { countOpenReach, NO_REACH } from '@/lib/data/reach';
import { parseListParams, type ListItem } from '@/lib/list-params';
import { ACCESS_POLICY_DESCRIPTIONS, ACCESS_POLICY_LABELS, APP_TYPE_LABELS, APP_TYPES, optionsOf } from '@/lib/vocabulary';
import { createApplication } from './actions';

export const metadata: Metadata = { title: 'Applications' };

const BASE = '/platform/applications';

const FILTERS = { type: z.enum(APP_TYPES) };

const columns: DataTableColumn<ListItem<typeof listApplications>>[] = [
  {
    id: 'name',
    header: 'Name',
    className: 'font-medium',
    cell: (a) => <RowTitle href={`${BASE}/${a.id}`} title={a.name} description={a.description} />,
  },
  { id: 'type', header: 'Type', cell: (a) => <Badge variant="outline">{APP_TYPE_LABELS[a.type]}</Badge> },
  { id: 'client-id', header: 'Client id', cell: (a) => <code className="font-mono text-xs">{a.clientId}</code> },
  {
    id: 'policy',
    header: 'Access policy',
    cell: (a) => (
      <>
        <span className="font-medium">{ACCESS_POLICY_LABELS[a.accessPolicy]}</span>
        <span className="block text-xs text-muted-foreground">{ACCESS_POLICY_DESCRIPTIONS[a.accessPolicy]}</span>
      </>
    ),
  },
  { id: 'roles', header: 'Mapped roles', align: 'right', className: 'tabular-nums', cell: (a) => a.roleCount },
];

export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.applications);
  const sp = await searchParams;
  const params = parseListParams(sp, { filters: FILTERS });
  const canWrite = can(ctx.actor, 'catalog:write');
  const [page, openReach] = await Promise.all([
    listApplications(ctx, { q: params.q, type: params.filters.type, cursor: params.cursor }),
    canWrite ? countOpenReach(ctx) : null,
  ]);
  return (
    <ListPage
      title="Applications"
      description="The applications and M2M clients your users and services sign in to, each with the policy that decides who may."
      actions={
        canWrite ? (
          <CatalogCreateDialog
            buttonLabel="New application"
            title="New application"
            description="Register an application or M2M client by its Auth0 client id, and choose who may use it."
          >
            <ApplicationForm mode="create" action={createApplication} openReach={openReach ?? NO_REACH} />
          </CatalogCreateDialog>
        ) : null
      }
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search applications by name or client id', placeholder: 'Name or client id' }}
      filters={[{ param: 'type', label: 'Type', allLabel: 'All types', options: optionsOf(APP_TYPES, APP_TYPE_LABELS) }]}
      caption="Applications"
      columns={columns}
      getRowId={(a) => a.id}
      empty={{
        icon: <AppWindow aria-hidden className="size-6" />,
        title: 'No applications yet',
        description: canWrite
          ? 'Register your Auth0 applications with “New application”, then map roles to them from each role’s page.'
          : 'An operator registers applications; they will show here.',
      }}
      noMatch={{
        title: 'No application matches',
        description: 'Try another type or search, or clear the filters.',
        action: (
          <Link href={BASE} className="text-sm underline underline-offset-4">
            Clear the filters
          </Link>
        ),
      }}
    />
  );
}
