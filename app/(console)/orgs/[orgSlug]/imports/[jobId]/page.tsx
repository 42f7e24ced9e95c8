import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { formatDateTime } from '@/components/common/format';
import { ImportProgress } from '@/components/imports/import-progress';
import { ImportReport, ImportSummaryCard } from '@/components/imports/import-views';
import { PageHeader } from '@/components/ui/page-header';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { getImport, listImportReport } from '@/lib/data/imports';
import { parseListParams } from '@/lib/list-params';
import { cancelOrgImport, runOrgImport } from '../actions';

export const metadata: Metadata = { title: 'Import' };

export default async function OrgImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string; jobId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug, jobId } = await params;
  const ctx = await pageOrgContext(orgSlug, ORG_PAGE_POLICY['imports/[jobId]']);
  // Scoped to this org: another org's job is not found.
  const job = await getImport(ctx, jobId);
  if (!job) notFound();
  const list = parseListParams(await searchParams);
  const report = await listImportReport(ctx, job.id, { cursor: list.cursor });
  const base = `/orgs/${ctx.org.slug}/imports/${job.id}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Import of ${job.fileName || 'a file'}`}
        description={`Uploaded by ${job.startedBy} on ${formatDateTime(job.createdAt)} · SHA-256 ${job.sha256}`}
      />
      <ImportSummaryCard title={job.applied ? 'What the import did' : 'What the import would do (dry run)'} summary={job.applied ?? job.plan} />
      <ImportProgress initial={job} statusUrl={`${base}/status`} orgSlug={ctx.org.slug} run={runOrgImport} cancel={cancelOrgImport} />
      <ImportReport base={base} params={list} page={report} reportHref={`${base}/report`} />
    </div>
  );
}
