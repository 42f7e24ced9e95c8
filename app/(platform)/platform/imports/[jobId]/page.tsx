import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { formatDateTime } from '@/components/common/format';
import { ImportProgress } from '@/components/imports/import-progress';
import { ImportReport, ImportSummaryCard } from '@/components/imports/import-views';
import { PageHeader } from '@/components/ui/page-header';
import { pagePlatform } from '@/lib/authz/page';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';
import { getImport, listImportReport } from '@/lib/data/imports';
import { parseListParams } from '@/lib/list-params';
import { cancelPlatformImport, runPlatformImport } from '../actions';

export const metadata: Metadata = { title: 'Import' };

export default async function PlatformImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ jobId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await pagePlatform(PLATFORM_PAGE_POLICY['imports/[jobId]']);
  const { jobId } = await params;
  const job = await getImport(ctx, jobId);
  if (!job) notFound();
  const list = parseListParams(await searchParams);
  const report = await listImportReport(ctx, job.id, { cursor: list.cursor });
  const base = `/platform/imports/${job.id}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Import of ${job.fileName || 'a file'}`}
        description={`Uploaded by ${job.startedBy} on ${formatDateTime(job.createdAt)} · SHA-256 ${job.sha256}`}
      />
      <ImportSummaryCard title={job.applied ? 'What the import did' : 'What the import would do (dry run)'} summary={job.applied ?? job.plan} />
      <ImportProgress initial={job} statusUrl={`${base}/status`} run={runPlatformImport} cancel={cancelPlatformImport} />
      <ImportReport base={base} params={list} page={report} reportHref={`${base}/report`} />
    </div>
  );
}
