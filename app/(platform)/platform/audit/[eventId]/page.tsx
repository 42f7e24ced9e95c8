import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuditDiffTable } from '@/components/audit/audit-diff';
import { AuditSentence, platformAuditHref } from '@/components/audit/audit-sentence';
import { formatDateTime } from '@/components/common/format';
import { Breadcrumbs } from '@/components/ui/breadcrumbs';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { getPlatformAuditEvent } from '@/lib/data/audit-events';

export const metadata: Metadata = { title: 'Audit event' };

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <p className="text-sm text-muted-foreground">Nothing recorded.</p>;
  return <pre className="overflow-x-auto rounded-md bg-muted p-3 text-xs">{JSON.stringify(value, null, 2)}</pre>;
}

export default async function PlatformAuditEventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['audit/[eventId]']);
  const { eventId } = await params;
  const e = await getPlatformAuditEvent(ctx, eventId);
  if (!e) notFound();
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: 'Platform', href: '/platform' }, { label: 'Audit log', href: '/platform/audit' }, { label: `Event ${e.id}` }]} />
      <PageHeader title={`Event ${e.id}`} description={`${e.action} · ${formatDateTime(e.at)}`} />
      <Card className="max-w-3xl">
        <CardHeader>
          <CardTitle>
            <h2>What happened</h2>
          </CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <p>
            <AuditSentence event={e} hrefFor={platformAuditHref} />
          </p>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted-foreground">When</dt>
            <dd className="tabular-nums">{e.at}</dd>
            <dt className="text-muted-foreground">Who</dt>
            <dd>
              {e.actor.type === 'user' && e.actor.id ? (
                <Link href={`/platform/users/${e.actor.id}`} className="underline-offset-4 hover:underline">
                  {e.actor.label ?? e.actor.id}
                </Link>
              ) : (
                `${e.actor.type}${e.actor.label ? `: ${e.actor.label}` : ''}`
              )}
            </dd>
            <dt className="text-muted-foreground">Organization</dt>
            <dd>
              {e.org ? (
                e.org.known ? (
                  <Link href={`/platform/orgs/${e.org.id}`} className="underline-offset-4 hover:underline">
                    {e.org.label}
                  </Link>
                ) : (
                  e.org.label
                )
              ) : (
                'Platform'
              )}
            </dd>
            <dt className="text-muted-foreground">Target</dt>
            <dd className="break-all">{e.target ? `${e.target.type} ${e.target.id ?? ''}${e.target.label ? ` (${e.target.label})` : ''}` : '—'}</dd>
            <dt className="text-muted-foreground">Request id</dt>
            <dd>
              <code className="font-mono text-xs">{e.requestId ?? '—'}</code>
            </dd>
          </dl>
        </CardContent>
      </Card>
      <section aria-labelledby="diff-title" className="max-w-3xl space-y-3">
        <h2 id="diff-title" className="text-lg font-semibold">
          Before and after
        </h2>
        <AuditDiffTable before={e.before} after={e.after} caption="Fields that changed" />
        <details>
          <summary className="cursor-pointer text-sm text-muted-foreground hover:text-foreground">Recorded values (JSON)</summary>
          <div className="mt-2 grid gap-3 md:grid-cols-2">
            <div>
              <h3 className="mb-1 text-sm font-medium">Before</h3>
              <Json value={e.before} />
            </div>
            <div>
              <h3 className="mb-1 text-sm font-medium">After</h3>
              <Json value={e.after} />
            </div>
          </div>
        </details>
      </section>
    </div>
  );
}
