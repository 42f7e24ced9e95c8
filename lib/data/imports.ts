import 'server-only';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { z } from 'zod';
import type { OrgContext, PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { createImportQueue, type ImportQueue } from '@/lib/jobs/queue';
import { logger } from '@/lib/logger';
import {
  getImportJob,
  listImportJobs,
  listImportRows,
  requestCancel,
  requestRun,
  stageImport,
  type ImportJobDto,
  type JobScope,
} from '@/lib/provisioning/import/jobs';
import { IMPORT_MAX_BYTES, ImportFileError, parseImportFile } from '@/lib/provisioning/import/parse';
import type { Importer } from '@/lib/provisioning/import/plan';
import { decodeCursor, encodeCursor, type Page } from './pagination';
import { csvCell } from './matrix-csv';

/**
 * Bulk imports in the console: platform operators at /platform/imports (any org), org owners and admins at
 * /orgs/<slug>/imports (their org, implied). The work is done by the framework-free core
 * (lib/provisioning/import) shared with the decision API's /api/v1/imports and the worker; this file turns a
 * console context into the importer and the job scope, so an org's screens never see another org's jobs.
 */

type ImportCtx = OrgContext | PlatformContext;

function isOrg(ctx: ImportCtx): ctx is OrgContext {
  return 'org' in ctx;
}

export function scopeOf(ctx: ImportCtx): JobScope {
  return isOrg(ctx) ? { platform: false, orgId: ctx.org.id } : { platform: true };
}

function importerOf(ctx: ImportCtx): Importer {
  return isOrg(ctx)
    ? { kind: 'org_member', userId: ctx.user.id, label: ctx.user.email, orgId: ctx.org.id, orgSlug: ctx.org.slug }
    : { kind: 'platform_user', userId: ctx.user.id, label: ctx.user.email };
}

const globalForQueue = globalThis as unknown as { __gatehouseImportQueue?: ImportQueue };

/** The console's producer for the import queue (one per process). */
function queue(): ImportQueue {
  // The embedded PGlite runs no pg-boss: the worker picks queued imports from the jobs table (ADR 0011).
  if (process.env.GATEHOUSE_EMBEDDED_DB === 'true') return { enqueue: async () => false, stop: async () => {} };
  globalForQueue.__gatehouseImportQueue ??= createImportQueue(process.env.DATABASE_URL!, (message, error) =>
    logger.warn({ err: error?.message }, `import queue: ${message}`),
  );
  return globalForQueue.__gatehouseImportQueue;
}

/** Reads the uploaded file (streamed), stages it and runs the dry run. Bad files are refused with row and column. */
export async function startImport(ctx: ImportCtx, file: File): Promise<ImportJobDto> {
  if (file.size > IMPORT_MAX_BYTES) {
    throw new AppError('BAD_INPUT', `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 50 MB. Split it into smaller files.`, {
      fieldErrors: { file: ['The file is larger than 50 MB.'] },
    });
  }
  let parsed;
  try {
    parsed = await parseImportFile(Readable.fromWeb(file.stream() as unknown as NodeReadableStream<Uint8Array>), {
      fileName: file.name,
      impliedOrgSlug: isOrg(ctx) ? ctx.org.slug : null,
    });
  } catch (error) {
    if (error instanceof ImportFileError) throw new AppError('BAD_INPUT', error.message, { fieldErrors: { file: [error.message] } });
    throw error;
  }
  return stageImport(db, { importer: importerOf(ctx), fileName: file.name || 'import.csv', parsed, orgId: isOrg(ctx) ? ctx.org.id : null });
}

/** Runs a planned import: QUEUED with its audit event, then the worker is woken. */
export async function runImportJob(ctx: ImportCtx, input: { jobId: string; sendInvitations?: boolean }): Promise<ImportJobDto> {
  const job = await requestRun(db, input.jobId, scopeOf(ctx), { requestId: ctx.requestId }, async () => {}, { sendInvitations: input.sendInvitations });
  await queue().enqueue(job.id);
  return job;
}

export async function cancelImportJob(ctx: ImportCtx, input: { jobId: string }): Promise<ImportJobDto> {
  return requestCancel(db, input.jobId, scopeOf(ctx));
}

export async function getImport(ctx: ImportCtx, jobId: string): Promise<ImportJobDto | null> {
  return getImportJob(db, jobId, scopeOf(ctx));
}

const JobCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

export async function listImports(ctx: ImportCtx, params: { cursor?: string }): Promise<Page<ImportJobDto>> {
  const page = await listImportJobs(db, scopeOf(ctx), { cursor: decodeCursor(JobCursor, params.cursor) ?? null });
  return { items: page.items, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null };
}

const RowCursor = z.object({ row: z.number().int().min(0) });

/** A page of a job's per-row report (the job must be in the caller's scope). */
export async function listImportReport(ctx: ImportCtx, jobId: string, params: { cursor?: string; errorsOnly?: boolean }) {
  const job = await getImport(ctx, jobId);
  if (!job) throw new AppError('NOT_FOUND', 'That import does not exist.');
  const page = await listImportRows(db, jobId, { afterRow: decodeCursor(RowCursor, params.cursor)?.row ?? 0, errorsOnly: params.errorsOnly });
  return { items: page.items, nextCursor: page.nextAfterRow === null ? null : encodeCursor({ row: page.nextAfterRow }) };
}

/**
 * The whole report as CSV, streamed page by page; cells that look like formulas are quoted as text (csvCell), so a
 * file with `=cmd|…` in a name is safe to open in a spreadsheet.
 */
export async function importReportCsv(ctx: ImportCtx, jobId: string): Promise<{ job: ImportJobDto; body: ReadableStream<Uint8Array> }> {
  const job = await getImport(ctx, jobId);
  if (!job) throw new AppError('NOT_FOUND', 'That import does not exist.');
  const enc = new TextEncoder();
  let after = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (after === -1) return controller.close();
      const page = await listImportRows(db, jobId, { afterRow: after, limit: 1_000 });
      let out = started ? '' : 'row,email,org,tier,roles,outcome,applied,message\n';
      started = true;
      for (const r of page.items) out += [String(r.row), r.email, r.org, r.tier, r.roles, r.outcome, r.applied ? 'yes' : 'no', r.message].map(csvCell).join(',') + '\n';
      controller.enqueue(enc.encode(out));
      after = page.nextAfterRow ?? -1;
    },
  });
  return { job, body };
}
