import type { Metadata } from 'next';
import { OrgSettingsForm } from '@/components/settings/org-settings-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { saveOrgSettings } from './actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY.settings);
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Only owners can change these. Every change is recorded in the audit log." />
      <Card className="max-w-xl">
        <CardHeader>
          <CardTitle>Organization</CardTitle>
          <CardDescription>The address stays {`/orgs/${ctx.org.slug}`}.</CardDescription>
        </CardHeader>
        <CardContent>
          <OrgSettingsForm
            orgSlug={ctx.org.slug}
            defaults={{ name: ctx.org.name, invitationTtlDays: ctx.org.invitationTtlDays }}
            action={saveOrgSettings}
          />
        </CardContent>
      </Card>
    </div>
  );
}
