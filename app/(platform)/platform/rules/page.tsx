import type { Metadata } from 'next';
import Link from 'next/link';
import { ListOrdered } from 'lucide-react';
import { pageHref } from '@/components/common/page-links';
import { RuleForm } from '@/components/rules/rule-form';
import { RuleEnabledSwitch, RuleMoveButtons } from '@/components/rules/rule-row-actions';
import { RuleConditionsSummary, RuleEffectSummary } from '@/components/rules/rule-summary';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listAssignableRoles } from '@/lib/data/assignments';
import { searchOrgs } from '@/lib/data/orgs';
import { countRules, listRules } from '@/lib/data/rules';
import { ORG_QUERY_PARAM, OrgSearchQuery } from '@/lib/schemas/assignments';
import { PageCursor } from '@/lib/schemas/org';
import { createRule, moveRule, updateRule } from './actions';

export const metadata: Metadata = { title: 'Default-role rules' };

const BASE = '/platform/rules';

export default async function RulesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.rules);
  const sp = await searchParams;
  const cursor = PageCursor.catch(undefined).parse(sp.cursor);
  const orgQuery = OrgSearchQuery.catch(undefined).parse(sp[ORG_QUERY_PARAM]);
  const canWrite = can(ctx.actor, 'catalog:write');
  const [page, total, roles, orgChoices] = await Promise.all([
    listRules(ctx, { cursor }),
    countRules(ctx),
    canWrite ? listAssignableRoles() : Promise.resolve([]),
    canWrite ? searchOrgs(ctx, orgQuery) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Default-role rules"
        description="When someone signs in for the first time, the enabled rules they match apply from top to bottom: they join an organization with a tier and get roles. A rule marked “stop” ends the evaluation for whoever it matches."
      />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<ListOrdered aria-hidden className="size-6" />}
          title="No rules yet"
          description={canWrite ? 'Create the first rule below.' : 'An operator creates rules; they will show here.'}
        />
      ) : (
        <Table aria-label="Default-role rules, in evaluation order">
          <TableHeader>
            <TableRow>
              <TableHead scope="col" className="w-12">
                #
              </TableHead>
              <TableHead scope="col">Rule</TableHead>
              <TableHead scope="col">When</TableHead>
              <TableHead scope="col">Then</TableHead>
              <TableHead scope="col">Enabled</TableHead>
              {canWrite && (
                <TableHead scope="col">
                  <span className="sr-only">Order</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.map((r) => (
              <TableRow key={r.id}>
                <TableCell className="tabular-nums text-muted-foreground">{r.position}</TableCell>
                <TableCell className="font-medium">
                  <Link href={`${BASE}/${r.id}`} className="underline-offset-4 hover:underline">
                    {r.name}
                  </Link>
                  {r.stop && (
                    <Badge variant="secondary" className="ml-2">
                      Stop
                    </Badge>
                  )}
                </TableCell>
                <TableCell className="text-sm">
                  <RuleConditionsSummary rule={r} />
                </TableCell>
                <TableCell className="text-sm">
                  <RuleEffectSummary rule={r} />
                </TableCell>
                <TableCell>
                  {canWrite ? (
                    <RuleEnabledSwitch rule={r} action={updateRule} />
                  ) : (
                    <Badge variant={r.enabled ? 'secondary' : 'outline'}>{r.enabled ? 'Enabled' : 'Disabled'}</Badge>
                  )}
                </TableCell>
                {canWrite && (
                  <TableCell className="text-right">
                    <RuleMoveButtons rule={r} first={r.position === 1} last={r.position === total} action={moveRule} />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination
        prevHref={cursor ? BASE : undefined}
        prevLabel="First page"
        nextHref={page.nextCursor ? pageHref(BASE, { cursor: page.nextCursor }) : undefined}
      />
      {canWrite && (
        <section aria-labelledby="new-rule">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2 id="new-rule">New rule</h2>
              </CardTitle>
              <CardDescription>New rules go to the end of the order; move them up to run earlier.</CardDescription>
            </CardHeader>
            <CardContent>
              <RuleForm mode="create" roles={roles} orgChoices={orgChoices} action={createRule} />
            </CardContent>
          </Card>
        </section>
      )}
    </div>
  );
}
