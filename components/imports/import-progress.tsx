'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ActionResult } from '@/lib/actions/define-action';
import type { ImportJobDto } from '@/lib/provisioning/import/jobs';

type JobStatus = ImportJobDto['status'];
const ACTIVE: JobStatus[] = ['QUEUED', 'RUNNING'];
// Outline and secondary badges only: the tinted success/destructive/warning badges fall below 4.5:1 for small text.
const STATUS_VARIANT = { PLANNED: 'outline', QUEUED: 'secondary', RUNNING: 'secondary', SUCCEEDED: 'secondary', FAILED: 'outline', CANCELLED: 'outline' } as const;

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${seconds % 60} s`;
}

/**
 * An import's status: Run (with optional invitations) for a planned job, then a progress bar polled every second
 * while it runs (TanStack Query; the page can be closed and reopened), Cancel, and the final counts.
 */
interface ImportProgressProps {
  initial: ImportJobDto;
  statusUrl: string;
  /** On an org's screen: the org, sent with every action (org actions resolve it against the caller's memberships). */
  orgSlug?: string;
  // Method signatures: the platform's and the org's actions (which also take orgSlug) both fit.
  run(input: { orgSlug?: string; jobId: string; sendInvitations?: boolean }): Promise<ActionResult<{ id: string; status: string }>>;
  cancel(input: { orgSlug?: string; jobId: string }): Promise<ActionResult<{ id: string; status: string }>>;
}

export function ImportProgress({ initial, statusUrl, orgSlug, run, cancel }: ImportProgressProps) {
  const extra = orgSlug ? { orgSlug } : {};
  const router = useRouter();
  const id = useId();
  const [invite, setInvite] = useState(false);
  const { data, refetch } = useQuery<ImportJobDto>({
    queryKey: ['import', initial.id],
    queryFn: async () => {
      const res = await fetch(statusUrl, { cache: 'no-store' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return (await res.json()) as ImportJobDto;
    },
    initialData: initial,
    // Polled every second while the job is queued or running; the page can be closed and reopened.
    refetchInterval: (query) => (ACTIVE.includes(query.state.data?.status ?? initial.status) ? 1_000 : false),
  });
  const job = data ?? initial;
  const active = ACTIVE.includes(job.status);
  // When the job leaves its active states, the server-rendered summary and report are read again.
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) router.refresh();
    wasActive.current = active;
  }, [active, router]);
  const runIt = useActionMutation(run, { onSuccess: () => void refetch() });
  const cancelIt = useActionMutation(cancel, {
    onSuccess: () => {
      void refetch();
      router.refresh();
    },
  });
  const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : 0;
  const error = runIt.publicError ?? cancelIt.publicError;

  return (
    <div className="space-y-4">
      {error && <Alert variant="destructive">{error.message}</Alert>}
      <p className="flex items-center gap-2 text-sm">
        Status: <Badge variant={STATUS_VARIANT[job.status]}>{job.status.toLowerCase()}</Badge>
        {job.cancelRequested && active && <span className="text-muted-foreground">stopping after the current batch…</span>}
      </p>
      {job.status === 'PLANNED' && (
        <div className="flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2 text-sm" htmlFor={`${id}-invite`}>
            <input id={`${id}-invite`} type="checkbox" checked={invite} onChange={(e) => setInvite(e.target.checked)} />
            Send an invitation mail to imported people who have never signed in
          </label>
          <Button onClick={() => runIt.mutate({ jobId: job.id, sendInvitations: invite, ...extra })} disabled={runIt.isPending || job.plan.create + job.plan.update === 0}>
            {runIt.isPending ? 'Starting…' : `Run import (${(job.plan.create + job.plan.update).toLocaleString('en')} changes)`}
          </Button>
          <Button variant="outline" onClick={() => cancelIt.mutate({ jobId: job.id, ...extra })} disabled={cancelIt.isPending}>
            Discard
          </Button>
        </div>
      )}
      {job.status !== 'PLANNED' && (
        <div className="space-y-2">
          <div
            role="progressbar"
            aria-label="Import progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}% (${job.done.toLocaleString('en')} of ${job.total.toLocaleString('en')} rows)`}
            className="h-3 w-full overflow-hidden rounded-full bg-muted"
          >
            <div className="h-full bg-primary transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          <p className="text-sm tabular-nums" aria-live="polite">
            {percent}% · {job.done.toLocaleString('en')} of {job.total.toLocaleString('en')} rows
            {job.rowsPerSecond !== null && ` · ${job.rowsPerSecond.toLocaleString('en')} rows/s`}
            {job.secondsLeft !== null && active && ` · about ${duration(job.secondsLeft)} left`}
          </p>
          {active && !job.cancelRequested && (
            <Button variant="outline" size="sm" onClick={() => cancelIt.mutate({ jobId: job.id, ...extra })} disabled={cancelIt.isPending}>
              Cancel import
            </Button>
          )}
          {job.error && <Alert variant="destructive">{job.error}</Alert>}
        </div>
      )}
    </div>
  );
}
