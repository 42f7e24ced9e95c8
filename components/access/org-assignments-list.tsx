import type { ReactNode } from 'react';
import { formatDateTime } from '@/components/common/format';
import { pageHref } from '@/components/common/page-links';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { OrgAssignmentDto } from '@/lib/data/assignments';
import type { Page } from '@/lib/data/pagination';

/** A titled, paginated table of org-scoped role assignments (to members or to M2M clients). */
export function OrgAssignmentsList(props: {
  title: string;
  description: string;
  tableLabel: string;
  subjectHeader: string;
  empty: { icon: ReactNode; title: string; description: string };
  page: Page<OrgAssignmentDto>;
  base: string;
  onFirstPage: boolean;
}) {
  const { page, base } = props;
  return (
    <div className="space-y-6">
      <PageHeader title={props.title} description={props.description} />
      {page.items.length === 0 ? (
        <EmptyState icon={props.empty.icon} title={props.empty.title} description={props.empty.description} />
      ) : (
        <Table aria-label={props.tableLabel}>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">{props.subjectHeader}</TableHead>
              <TableHead scope="col">Role</TableHead>
              <TableHead scope="col">Expires</TableHead>
              <TableHead scope="col">Since</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((a) => (
              <TableRow key={a.id}>
                <TableCell className="font-medium">{a.subject}</TableCell>
                <TableCell>{a.role}</TableCell>
                <TableCell className="tabular-nums">{a.expiresAt ? formatDateTime(a.expiresAt) : 'Never'}</TableCell>
                <TableCell className="tabular-nums">{formatDateTime(a.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={props.onFirstPage ? undefined : base}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref(base, { cursor: page.nextCursor }) : undefined}
      />
    </div>
  );
}
