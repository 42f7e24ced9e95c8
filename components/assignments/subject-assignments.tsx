import { Globe2, Building2 } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ActionResult } from '@/lib/actions/define-action';
import type { AssignmentDto, SubjectAssignmentsDto } from '@/lib/data/assignments';
import { RevokeAssignmentButton } from './revoke-assignment-button';

function AssignmentsTable({
  label,
  assignments,
  subjectLabel,
  scopeLabel,
  revoke,
}: {
  label: string;
  assignments: AssignmentDto[];
  subjectLabel: string;
  scopeLabel: string;
  revoke?: (input: { assignmentId: string }) => Promise<ActionResult<unknown>>;
}) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Role</TableHead>
          <TableHead scope="col">Expires</TableHead>
          <TableHead scope="col">Given</TableHead>
          {revoke && (
            <TableHead scope="col">
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {assignments.map((a) => (
          <TableRow key={a.id}>
            <TableCell>
              <span className="font-medium">{a.role.name}</span> <code className="font-mono text-xs text-muted-foreground">{a.role.key}</code>
            </TableCell>
            <TableCell className="tabular-nums">
              {a.expiresAt ? formatDateTime(a.expiresAt) : 'Never'}
              {a.expired && (
                <Badge variant="outline" className="ml-2">
                  Expired
                </Badge>
              )}
            </TableCell>
            <TableCell className="tabular-nums">
              {formatDateTime(a.createdAt)}
              {a.grantedBy && <span className="block text-xs text-muted-foreground">by {a.grantedBy}</span>}
            </TableCell>
            {revoke && (
              <TableCell className="text-right">
                <RevokeAssignmentButton assignmentId={a.id} roleName={a.role.name} subjectLabel={subjectLabel} scopeLabel={scopeLabel} action={revoke} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * A subject's roles org by org: one section for global roles, then one per org (the page's share of them).
 * Revoke buttons show only when `revoke` is given (the page decides from the caller's powers).
 */
export function SubjectAssignments({
  data,
  subjectLabel,
  revoke,
}: {
  data: SubjectAssignmentsDto;
  subjectLabel: string;
  revoke?: (input: { assignmentId: string }) => Promise<ActionResult<unknown>>;
}) {
  return (
    <div className="space-y-4">
      <section aria-labelledby="scope-global">
        <Card>
          <CardHeader>
            <CardTitle>
              <h3 id="scope-global" className="flex items-center gap-2">
                <Globe2 aria-hidden className="size-4" /> Global roles
              </h3>
            </CardTitle>
            <CardDescription>Held in every organization, and when no organization is named.</CardDescription>
          </CardHeader>
          <CardContent>
            {data.global.length === 0 ? (
              <p className="text-sm text-muted-foreground">No global roles.</p>
            ) : (
              <AssignmentsTable label="Global roles" assignments={data.global} subjectLabel={subjectLabel} scopeLabel="globally" revoke={revoke} />
            )}
          </CardContent>
        </Card>
      </section>
      {data.orgs.items.map((g) => (
        <section key={g.org.id} aria-labelledby={`scope-${g.org.id}`}>
          <Card>
            <CardHeader>
              <CardTitle>
                <h3 id={`scope-${g.org.id}`} className="flex items-center gap-2">
                  <Building2 aria-hidden className="size-4" /> {g.org.name} <span className="font-normal text-muted-foreground">({g.org.slug})</span>
                </h3>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <AssignmentsTable
                label={`Roles in ${g.org.name}`}
                assignments={g.assignments}
                subjectLabel={subjectLabel}
                scopeLabel={`in ${g.org.name}`}
                revoke={revoke}
              />
            </CardContent>
          </Card>
        </section>
      ))}
    </div>
  );
}
