import Link from 'next/link';
import { Globe2, Building2 } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import type { ActionResult } from '@/lib/actions/define-action';
import type { AssignmentDto, SubjectAssignmentsDto } from '@/lib/data/assignments';

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
    <DataTable
      caption={label}
      rows={assignments}
      getRowId={(a) => a.id}
      columns={[
        {
          id: 'role',
          header: 'Role',
          cell: (a) => (
            <>
              <span className="font-medium">{a.role.name}</span> <code className="font-mono text-xs text-muted-foreground">{a.role.key}</code>
            </>
          ),
        },
        {
          id: 'expires',
          header: 'Expires',
          className: 'tabular-nums',
          cell: (a) => (
            <>
              {a.expiresAt ? formatDateTime(a.expiresAt) : 'Never'}
              {a.expired && (
                <Badge variant="outline" className="ml-2">
                  Expired
                </Badge>
              )}
            </>
          ),
        },
        {
          id: 'given',
          header: 'Given',
          className: 'tabular-nums',
          cell: (a) => (
            <>
              {formatDateTime(a.createdAt)}
              {a.grantedBy && <span className="block text-xs text-muted-foreground">by {a.grantedBy}</span>}
            </>
          ),
        },
      ]}
      rowActions={
        revoke
          ? (a) => (
              <ConfirmAction
                action={revoke}
                input={{ assignmentId: a.id }}
                label="Revoke"
                ariaLabel={`Revoke ${a.role.name} ${scopeLabel}`}
                size="sm"
                title={`Revoke ${a.role.name} ${scopeLabel}?`}
                description={`${subjectLabel} loses this role ${scopeLabel} at once. You can give it again later.`}
                confirmLabel="Revoke role"
                done={`Revoked ${a.role.name} ${scopeLabel}`}
              />
            )
          : undefined
      }
    />
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
                  <Building2 aria-hidden className="size-4" />{' '}
                  <Link href={`/platform/orgs/${g.org.id}`} className="underline-offset-4 hover:underline">
                    {g.org.name}
                  </Link>{' '}
                  <span className="font-normal text-muted-foreground">({g.org.slug})</span>
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
