import type { Metadata } from 'next';
import { Bot } from 'lucide-react';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { RowTitle } from '@/components/ui/row-title';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listClients } from '@/lib/data/clients';
import { parseListParams, type ListItem } from '@/lib/list-params';

export const metadata: Metadata = { title: 'M2M clients' };

const BASE = '/platform/clients';

const columns: DataTableColumn<ListItem<typeof listClients>>[] = [
  {
    id: 'name',
    header: 'Name',
    className: 'font-medium',
    cell: (c) => <RowTitle href={`${BASE}/${c.id}`} title={c.name} description={c.description} />,
  },
  { id: 'client-id', header: 'Client id', cell: (c) => <code className="font-mono text-xs">{c.clientId}</code> },
  { id: 'assignments', header: 'Role assignments', align: 'right', className: 'tabular-nums', cell: (c) => c.assignmentCount },
];

export default async function ClientsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.clients);
  const sp = await searchParams;
  const params = parseListParams(sp);
  const page = await listClients(ctx, { q: params.q, cursor: params.cursor });
  return (
    <ListPage
      title="M2M clients"
      description="Machine-to-machine applications and the roles they hold, globally or per organization. Open a client to see its roles org by org and change them."
      base={BASE}
      params={params}
      page={page}
      search={{ label: 'Search M2M clients by name or client id', placeholder: 'Name or client id' }}
      caption="M2M clients"
      columns={columns}
      getRowId={(c) => c.id}
      empty={{
        icon: <Bot aria-hidden className="size-6" />,
        title: 'No M2M clients yet',
        description: 'Register an application of type M2M under Applications to give it roles here.',
      }}
      noMatch={{ title: 'No M2M client matches', description: `No M2M application has “${params.q}” in its name or client id.` }}
    />
  );
}
