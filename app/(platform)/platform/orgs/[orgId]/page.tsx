import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ChevronLeft } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Auth0LinkForm } from '@/components/orgs/auth0-link-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { getPlatformOrg } from '@/lib/data/platform-orgs';
import { setOrgAuth0Link } from '../actions';

export const metadata: Metadata = { title: 'Organization' };

export default async function PlatformOrgPage({ params }: { params: Promise<{ orgId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['orgs/[orgId]']);
  const { orgId } = await params;
  const org = await getPlatformOrg(ctx, orgId);
  if (!org) notFound();
  const canWrite = can(ctx.actor, 'catalog:write');
  return (
    <div className="space-y-6">
      <Link href="/platform/orgs" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden className="size-4" /> All organizations
      </Link>
      <PageHeader title={org.name} description={`The organization with the slug ${org.slug}.`} />

      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>
            <h2>Details</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Slug</dt>
            <dd>
              <code className="font-mono">{org.slug}</code>
            </dd>
            <dt className="text-muted-foreground">Status</dt>
            <dd>{org.suspended ? <Badge variant="secondary">Suspended</Badge> : 'Active'}</dd>
            <dt className="text-muted-foreground">Members</dt>
            <dd className="tabular-nums">{org.members.toLocaleString('en')}</dd>
            <dt className="text-muted-foreground">Created</dt>
            <dd className="tabular-nums">{formatDateTime(org.createdAt)}</dd>
          </dl>
        </CardContent>
      </Card>

      <section aria-labelledby="auth0-link-title">
        <Card className="max-w-2xl">
          <CardHeader>
            <CardTitle>
              <h2 id="auth0-link-title">Auth0 organization</h2>
            </CardTitle>
            <CardDescription>
              The Auth0 Actions find this organization by the Auth0 organization’s id first. Without a link they try the Auth0 organization’s
              name as this organization’s slug, which only works when the two are spelled alike (Auth0 names may hold underscores; slugs may not).
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-3">
            <p className="text-sm">
              {org.auth0OrgId ? (
                <>
                  Linked to <code className="font-mono">{org.auth0OrgId}</code>.
                </>
              ) : (
                'Not linked to an Auth0 organization.'
              )}
            </p>
            {canWrite ? (
              <Auth0LinkForm orgId={org.id} current={org.auth0OrgId} action={setOrgAuth0Link} />
            ) : (
              <p className="text-sm text-muted-foreground">Operators and superadmins can change the link.</p>
            )}
          </CardContent>
        </Card>
      </section>
    </div>
  );
}
