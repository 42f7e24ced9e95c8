import type { Metadata } from 'next';
import Link from 'next/link';
import { ListOrdered } from 'lucide-react';
import { RuleForm } from '@/components/rules/rule-form';
import { RuleEnabledSwitch, RuleMoveButtons } from '@/components/rules/rule-row-actions';
import { RuleConditionsSummary, RuleEffectSummary } from '@/components/rules/rule-summary';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { DataTableColumn } from '@/components/ui/data-table';
import { ListPage } from '@/components/ui/list-page';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listAssignableRoles } from '@/lib/data/assignments';
import { searchOrgs } from '@/lib/data/orgs';
import { countRules, listRules } from '@/lib/data/rules';
import { parseListParams, type ListItem } from '@/lib/list-params';
import { ORG_QUERY_PARAM, OrgSearchQuery } from '@/lib/schemas/assignments';
import { backfillRule, createRule, moveRule, previewRuleMatches, updateRule } from './actions';

export const metadata: Metadata = { title: 'Default-role rules' };

const BASE = '/platform/rules';

export default async function RulesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY.rules);
  const sp = await searchParams;
  const list = parseListParams(sp);
  const orgQuery = OrgSearchQuery.catch(undefined).parse(sp[ORG_QUERY_PARAM]);
  const canWrite = can(ctx.actor, 'catalog:write');
  const [page, total, roles, orgChoices] = await Promise.all([
    listRules(ctx, { cursor: list.cursor }),
    countRules(ctx),
    canWrite ? listAssignableRoles() : Promise.resolve([]),
    canWrite ? searchOrgs(ctx, orgQuery) : Promise.resolve([]),
  ]);
  const columns: DataTableColumn<ListItem<typeof listRules>>[] = [
    { id: 'position', header: '#', headerClassName: 'w-12', className: 'tabular-nums text-muted-foreground', cell: (r) => r.position },
    {
      id: 'name',
      header: 'Rule',
      className: 'font-medium',
      cell: (r) => (
        <>
          <Link href={`${BASE}/${r.id}`} className="underline-offset-4 hover:underline">
            {r.name}
          </Link>
          {r.stop && (
            <Badge variant="secondary" className="ml-2">
              Stop
            </Badge>
          )}
        </>
      ),
    },
    { id: 'when', header: 'When', className: 'text-sm', cell: (r) => <RuleConditionsSummary rule={r} /> },
    { id: 'then', header: 'Then', className: 'text-sm', cell: (r) => <RuleEffectSummary rule={r} /> },
    {
      id: 'enabled',
      header: 'Enabled',
      cell: (r) =>
        canWrite ? (
          <RuleEnabledSwitch rule={r} action={updateRule} backfill={backfillRule} />
        ) : (
          <Badge variant={r.enabled ? 'secondary' : 'outline'}>{r.enabled ? 'Enabled' : 'Disabled'}</Badge>
        ),
    },
    {
      id: 'order',
      header: 'Order',
      hideHeader: true,
      hidden: !canWrite,
      align: 'right',
      cell: (r) => <RuleMoveButtons rule={r} first={r.position === 1} last={r.position === total} action={moveRule} />,
    },
  ];
  return (
    <ListPage
      title="Default-role rules"
      description="When someone signs in for the first time, the enabled rules they match apply from top to bottom: they join an organization with a tier and get roles. A rule marked “stop” ends the evaluation for whoever it matches."
      base={BASE}
      params={list}
      page={page}
      caption="Default-role rules, in evaluation order"
      columns={columns}
      getRowId={(r) => r.id}
      empty={{
        icon: <ListOrdered aria-hidden className="size-6" />,
        title: 'No rules yet',
        description: canWrite ? 'Create the first rule below.' : 'An operator creates rules; they will show here.',
      }}
      after={
        canWrite && (
          <section aria-labelledby="new-rule">
            <Card>
              <CardHeader>
                <CardTitle>
                  <h2 id="new-rule">New rule</h2>
                </CardTitle>
                <CardDescription>New rules go to the end of the order; move them up to run earlier.</CardDescription>
              </CardHeader>
              <CardContent>
                <RuleForm mode="create" roles={roles} orgChoices={orgChoices} action={createRule} preview={previewRuleMatches} />
              </CardContent>
            </Card>
          </section>
        )
      }
    />
  );
}
