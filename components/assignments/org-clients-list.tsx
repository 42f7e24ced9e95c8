import { Bot } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { pageHref } from '@/components/common/page-links';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { OrgClientDto } from '@/lib/data/clients';
import type { Page } from '@/lib/data/pagination';

function ClientsTable({ label, clients, rolesHeader }: { label: string; clients: OrgClientDto[]; rolesHeader: string }) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Client</TableHead>
          <TableHead scope="col">Client id</TableHead>
          <TableHead scope="col">{rolesHeader}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {clients.map((c) => (
          <TableRow key={c.id}>
            <TableCell className="font-medium">{c.name}</TableCell>
            <TableCell>
              <code className="font-mono text-xs">{c.clientId}</code>
            </TableCell>
            <TableCell>
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
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The org's read-only view of the M2M clients acting in it: those with roles scoped to this org, and, listed
 * separately, those with global roles (which act in every org). Each list pages on its own cursor.
 */
export function OrgClientsList({
  orgName,
  inOrg,
  global,
  base,
  cursors,
}: {
  orgName: string;
  inOrg: Page<OrgClientDto>;
  global: Page<OrgClientDto>;
  base: string;
  cursors: { cursor?: string; gcursor?: string };
}) {
  const nothing = inOrg.items.length === 0 && global.items.length === 0 && !cursors.cursor && !cursors.gcursor;
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
            <Pagination
              prevHref={cursors.cursor ? pageHref(base, { gcursor: cursors.gcursor }) : undefined}
              prevLabel="First page"
              nextHref={inOrg.nextCursor ? pageHref(base, { cursor: inOrg.nextCursor, gcursor: cursors.gcursor }) : undefined}
            />
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
            <Pagination
              prevHref={cursors.gcursor ? pageHref(base, { cursor: cursors.cursor }) : undefined}
              prevLabel="First page"
              nextHref={global.nextCursor ? pageHref(base, { cursor: cursors.cursor, gcursor: global.nextCursor }) : undefined}
            />
          </section>
        </>
      )}
    </div>
  );
}
