import { Bot } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { KeysetPagination } from '@/components/ui/pagination';
import type { OrgClientDto } from '@/lib/data/clients';
import type { Page } from '@/lib/data/pagination';
import { listHref, type ListParams } from '@/lib/list-params';

function ClientsTable({ label, clients, rolesHeader }: { label: string; clients: OrgClientDto[]; rolesHeader: string }) {
  return (
    <DataTable
      caption={label}
      rows={clients}
      getRowId={(c) => c.id}
      columns={[
        { id: 'name', header: 'Client', className: 'font-medium', cell: (c) => c.name },
        { id: 'client-id', header: 'Client id', cell: (c) => <code className="font-mono text-xs">{c.clientId}</code> },
        {
          id: 'roles',
          header: rolesHeader,
          cell: (c) => (
            <ul className="flex flex-wrap gap-2">
              {c.roles.map((r) => (
                <li key={r.assignmentId}>
                  <Badge variant="outline" title={r.key}>
                    {r.name}
                    {r.expiresAt && <span className="font-normal text-muted-foreground"> until {formatDateTime(r.expiresAt)}</span>}
                  </Badge>
                </li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}

/**
 * The org's read-only view of the M2M clients acting in it: those with roles scoped to this org, and, listed
 * separately, those with global roles (which act in every org). Each list pages on its own cursor (`cursor`,
 * `gcursor`), and each list's links keep the other's place.
 */
export function OrgClientsList({
  orgName,
  inOrg,
  global,
  base,
  params,
}: {
  orgName: string;
  inOrg: Page<OrgClientDto>;
  global: Page<OrgClientDto>;
  base: string;
  /** parseListParams twice: the default cursor, and `{ cursorParam: 'gcursor' }`. */
  params: { inOrg: ListParams; global: ListParams };
}) {
  const cursor = params.inOrg.cursor;
  const gcursor = params.global.cursor;
  const nothing = inOrg.items.length === 0 && global.items.length === 0 && !cursor && !gcursor;
  return (
    <div className="space-y-8">
      <PageHeader
        title="M2M clients"
        description={`Machine-to-machine clients acting in ${orgName} and their roles. Read-only: platform operators manage them.`}
      />
      {nothing ? (
        <EmptyState
          icon={<Bot aria-hidden className="size-6" />}
          title="No M2M client acts in this organization"
          description="When an operator gives a client a role in this organization, or a global role, it shows up here."
        />
      ) : (
        <>
          <section aria-labelledby="clients-in-org" className="space-y-3">
            <div className="space-y-1">
              <h2 id="clients-in-org" className="text-lg font-semibold">
                Roles in {orgName}
              </h2>
              <p className="text-sm text-muted-foreground">Clients with a role scoped to this organization.</p>
            </div>
            {inOrg.items.length === 0 ? (
              <p className="text-sm text-muted-foreground">No client has a role scoped to this organization.</p>
            ) : (
              <ClientsTable label={`M2M clients with roles in ${orgName}`} clients={inOrg.items} rolesHeader="Roles here" />
            )}
            <KeysetPagination cursor={cursor} nextCursor={inOrg.nextCursor} href={(c) => listHref(base, { cursor: c, gcursor })} />
          </section>
          <section aria-labelledby="clients-global" className="space-y-3">
            <div className="space-y-1">
              <h2 id="clients-global" className="text-lg font-semibold">
                Global roles
              </h2>
              <p className="text-sm text-muted-foreground">Clients whose roles hold in every organization, this one included.</p>
            </div>
            {global.items.length === 0 ? (
              <p className="text-sm text-muted-foreground">No client has a global role.</p>
            ) : (
              <ClientsTable label="M2M clients with global roles" clients={global.items} rolesHeader="Global roles" />
            )}
            <KeysetPagination cursor={gcursor} nextCursor={global.nextCursor} href={(c) => listHref(base, { cursor, gcursor: c })} />
          </section>
        </>
      )}
    </div>
  );
}
