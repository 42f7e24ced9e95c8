import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeleteZone } from '@/components/forms/delete-zone';
import { BackfillButton } from '@/components/rules/backfill-button';
import { RuleForm } from '@/components/rules/rule-form';
import { RuleConditionsSummary, RuleEffectSummary } from '@/components/rules/rule-summary';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { DataTable } from '@/components/ui/data-table';
import { KeysetPagination } from '@/components/ui/pagination';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { listAssignableRoles } from '@/lib/data/assignments';
import { searchOrgs } from '@/lib/data/orgs';
import { dryRunRule, getRule } from '@/lib/data/rules';
import { listHref, parseListParams } from '@/lib/list-params';
import { ORG_QUERY_PARAM, OrgSearchQuery } from '@/lib/schemas/assignments';
import { backfillRule, deleteRule, previewRuleMatches, updateRule } from '../actions';

export const metadata: Metadata = { title: 'Default-role rule' };

export default async function RulePage({
  params,
  searchParams,
}: {
  params: Promise<{ ruleId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['rules/[ruleId]']);
  const { ruleId } = await params;
  const rule = await getRule(ctx, ruleId);
  if (!rule) notFound();
  const sp = await searchParams;
  const list = parseListParams(sp);
  const orgQuery = OrgSearchQuery.catch(undefined).parse(sp[ORG_QUERY_PARAM]);
  const canWrite = can(ctx.actor, 'catalog:write');
  const [dryRun, roles, orgChoices] = await Promise.all([
    dryRunRule(ctx, { ruleId: rule.id }, { cursor: list.cursor }),
    canWrite ? listAssignableRoles() : Promise.resolve([]),
    canWrite ? searchOrgs(ctx, orgQuery) : Promise.resolve([]),
  ]);
  const base = `/platform/rules/${rule.id}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/platform/rules" className="text-muted-foreground underline-offset-4 hover:underline">
          ← All rules
        </Link>
      </p>
      <PageHeader
        title={rule.name}
        description={`Rule ${rule.position} in the evaluation order${rule.stop ? '; it stops the evaluation for whoever it matches' : ''}.`}
      />
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-muted-foreground">When</dt>
        <dd>
          <RuleConditionsSummary rule={rule} />
        </dd>
        <dt className="text-muted-foreground">Then</dt>
        <dd>
          <RuleEffectSummary rule={rule} />
        </dd>
        <dt className="text-muted-foreground">Status</dt>
        <dd>
          <Badge variant={rule.enabled ? 'secondary' : 'outline'}>{rule.enabled ? 'Enabled' : 'Disabled'}</Badge>
        </dd>
      </dl>

      {canWrite && (
        <section aria-labelledby="edit-rule">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2 id="edit-rule">Edit</h2>
              </CardTitle>
              <CardDescription>Changes apply to first sign-ins from now on; use Backfill below for people who signed in before.</CardDescription>
            </CardHeader>
            <CardContent>
              <RuleForm
                key={rule.updatedAt}
                mode="edit"
                ruleId={rule.id}
                roles={roles}
                orgChoices={orgChoices}
                action={updateRule}
                preview={previewRuleMatches}
                initial={{
                  name: rule.name,
                  enabled: rule.enabled,
                  connection: rule.connection ?? '',
                  emailDomain: rule.emailDomain ?? '',
                  requireVerifiedEmail: rule.requireVerifiedEmail,
                  org: rule.org,
                  tier: rule.tier,
                  roles: rule.roles.map((r) => ({ roleId: r.id, global: r.global })),
                  stop: rule.stop,
                }}
              />
            </CardContent>
          </Card>
        </section>
      )}

      <section aria-labelledby="dry-run" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="space-y-1">
            <h2 id="dry-run" className="text-lg font-semibold">
              Dry run
            </h2>
            <p className="text-sm text-muted-foreground" role="status">
              {dryRun.count === 1 ? '1 existing user meets' : `${dryRun.count.toLocaleString('en')} existing users meet`} this rule’s conditions.
              Earlier rules and their stop flags are not taken into account here.
            </p>
          </div>
          {canWrite && <BackfillButton rule={rule} matching={dryRun.count} action={backfillRule} />}
        </div>
        {dryRun.items.length > 0 && (
          <DataTable
            caption="Existing users this rule matches"
            rows={dryRun.items}
            getRowId={(u) => u.id}
            columns={[
              { id: 'email', header: 'Email', className: 'font-medium', cell: (u) => u.email },
              { id: 'name', header: 'Name', cell: (u) => u.name ?? '—' },
              { id: 'connection', header: 'Connection', cell: (u) => u.connection ?? '—' },
              { id: 'verified', header: 'Email verified', cell: (u) => (u.emailVerified ? 'Yes' : 'No') },
            ]}
          />
        )}
        <KeysetPagination cursor={list.cursor} nextCursor={dryRun.nextCursor} href={(cursor) => listHref(base, list.query, { cursor })} />
      </section>

      {canWrite && (
        <DeleteZone
          thing="rule"
          name={`“${rule.name}”`}
          description="The rules after it move up one place. Memberships and roles it already gave stay as they are."
          consequence="New users are no longer checked against it. Memberships and roles it already gave stay as they are."
          action={deleteRule}
          input={{ ruleId: rule.id }}
          redirectTo="/platform/rules"
        />
      )}
    </div>
  );
}
