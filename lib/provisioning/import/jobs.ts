import { recordAudit } from '@/lib/audit';
import type { Db, Tx } from '@/lib/db-client';
import { AppError } from '@/lib/errors';
import type { ParsedFile } from './parse';
import {
  auditActorOf,
  decideRow,
  emptySummary,
  importerPowers,
  planImport,
  readRowStates,
  writeOutcomes,
  type ImportSummary,
  type Importer,
  type RowDecision,
  type RowState,
} from './plan';

/**
 * An import's life: `stageImport` keeps the parsed rows and runs the dry run (status PLANNED; nothing but the job and
 * its staged rows is written); `requestRun` queues it (QUEUED, with an `import.started` audit event, in one
 * transaction with the queue's job); the worker calls `runImport`, which applies batches of rows, each batch in one
 * transaction with its audit events, the outcomes that differ from the plan and the job's resume point (its last row),
 * so a worker killed at any moment resumes after the last row applied. `requestCancel` stops it after the batch in hand.
 */

export const IMPORT_JOB_TYPE = 'import';
/** Rows per batch transaction (ADR 0011: big enough for set-based SQL to pay, small enough to hold locks briefly). */
export const IMPORT_BATCH_SIZE = 2_000;

export interface ImportPayload {
  importer: Importer;
  format: 'csv' | 'jsonl';
  bytes: number;
  sendInvitations: boolean;
  plan: ImportSummary;
}

export interface ImportJobDto {
  id: string;
  status: 'PLANNED' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  fileName: string;
  sha256: string;
  orgId: string | null;
  startedBy: string;
  total: number;
  done: number;
  plan: ImportSummary;
  applied: ImportSummary | null;
  error: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Rows per second since the run started, and seconds left at that pace (null before any batch). */
  rowsPerSecond: number | null;
  secondsLeft: number | null;
}

/** Stages a parsed file as a PLANNED import job and runs its dry run. Writes nothing else. */
export async function stageImport(
  db: Db,
  input: { importer: Importer; fileName: string; parsed: ParsedFile; orgId: string | null; sendInvitations?: boolean },
): Promise<ImportJobDto> {
  const powers = await importerPowers(db, input.importer);
  if (!powers) throw new AppError('FORBIDDEN', 'You may not import people.');
  const { parsed } = input;
  const job = await db.job.create({
    data: {
      type: IMPORT_JOB_TYPE,
      status: 'PLANNED',
      orgId: input.orgId,
      createdById: input.importer.kind === 'api_key' ? null : input.importer.userId,
      fileName: input.fileName.slice(0, 255),
      fileSha256: parsed.sha256,
      total: parsed.rows.length,
      payload: {
        importer: input.importer,
        format: parsed.format,
        bytes: parsed.bytes,
        sendInvitations: input.sendInvitations ?? false,
        plan: emptySummary(),
      } satisfies ImportPayload as object,
    },
    select: { id: true },
  });
  for (let i = 0; i < parsed.rows.length; i += 5_000) {
    const chunk = parsed.rows.slice(i, i + 5_000);
    await db.$executeRaw`
      INSERT INTO import_rows (job_id, row_no, email, name, org_slug, tier, roles, connection, errors)
      SELECT ${job.id}::uuid, v.row_no, v.email, v.name, v.org_slug, v.tier::"Tier",
        COALESCE((SELECT array_agg(x) FROM json_array_elements_text(v.roles::json) x), ARRAY[]::text[]), v.connection, v.errors::jsonb
      FROM unnest(${chunk.map((r) => r.rowNo)}::int[], ${chunk.map((r) => r.email)}::text[], ${chunk.map((r) => r.name)}::text[],
        ${chunk.map((r) => r.orgSlug)}::text[], ${chunk.map((r) => r.tier)}::text[], ${chunk.map((r) => JSON.stringify(r.roles))}::text[],
        ${chunk.map((r) => r.connection)}::text[], ${chunk.map((r) => (r.errors.length > 0 ? JSON.stringify(r.errors) : null))}::text[])
        AS v(row_no, email, name, org_slug, tier, roles, connection, errors)`;
  }
  const plan = await planImport(db, job.id, powers);
  await db.$executeRaw`UPDATE jobs SET payload = jsonb_set(payload, '{plan}', ${JSON.stringify(plan)}::jsonb), updated_at = now() WHERE id = ${job.id}::uuid`;
  return (await getImportJob(db, job.id))!;
}

/** Who may see and act on a job: the platform sees every job, an org member their org's jobs only. */
export type JobScope = { platform: true } | { platform: false; orgId: string };

function scopeWhere(scope: JobScope) {
  return scope.platform ? {} : { orgId: scope.orgId };
}

/** One import job as the console and the API show it (null when it does not exist in the scope). */
export async function getImportJob(db: Db | Tx, id: string, scope: JobScope = { platform: true }): Promise<ImportJobDto | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const job = await db.job.findFirst({ where: { id, type: IMPORT_JOB_TYPE, ...scopeWhere(scope) } });
  return job ? toDto(job) : null;
}

type JobRow = NonNullable<Awaited<ReturnType<Db['job']['findFirst']>>>;

function toDto(job: JobRow): ImportJobDto {
  const payload = job.payload as unknown as ImportPayload;
  const applied = (job.result as { applied?: ImportSummary } | null)?.applied ?? null;
  const elapsed = job.startedAt ? ((job.finishedAt ?? new Date()).getTime() - job.startedAt.getTime()) / 1000 : 0;
  const rate = job.startedAt && job.progress > 0 && elapsed > 0 ? job.progress / elapsed : null;
  return {
    id: job.id,
    status: job.status,
    fileName: job.fileName ?? '',
    sha256: job.fileSha256 ?? '',
    orgId: job.orgId,
    startedBy: payload.importer.label,
    total: job.total,
    done: job.progress,
    plan: payload.plan,
    applied,
    error: job.error,
    cancelRequested: job.cancelRequestedAt !== null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    rowsPerSecond: rate === null ? null : Math.round(rate),
    secondsLeft: rate === null || job.status !== 'RUNNING' ? null : Math.ceil((job.total - job.progress) / rate),
  };
}

/** A page of import jobs, newest first (keyset on created_at, id). */
export async function listImportJobs(db: Db, scope: JobScope, page: { cursor?: { createdAt: string; id: string } | null; limit?: number } = {}) {
  const limit = Math.min(page.limit ?? 25, 100);
  const c = page.cursor;
  const rows = await db.job.findMany({
    where: {
      type: IMPORT_JOB_TYPE,
      ...scopeWhere(scope),
      ...(c ? { OR: [{ createdAt: { lt: new Date(c.createdAt) } }, { createdAt: new Date(c.createdAt), id: { lt: c.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit).map(toDto);
  const last = rows.length > limit ? items[items.length - 1] : undefined;
  return { items, nextCursor: last ? { createdAt: last.createdAt, id: last.id } : null };
}

export interface ImportRowDto {
  row: number;
  email: string;
  org: string;
  tier: string;
  roles: string;
  outcome: string;
  message: string;
  applied: boolean;
}

/** A page of an import's per-row report, in row order (keyset on row number), optionally errors only. */
export async function listImportRows(db: Db, jobId: string, page: { afterRow?: number; limit?: number; errorsOnly?: boolean } = {}) {
  const limit = Math.min(page.limit ?? 50, 1_000);
  const job = await db.job.findUnique({ where: { id: jobId }, select: { appliedThrough: true } });
  const appliedThrough = job?.appliedThrough ?? 0;
  const rows = await db.importRow.findMany({
    where: { jobId, rowNo: { gt: page.afterRow ?? 0 }, ...(page.errorsOnly ? { outcome: 'error' } : {}) },
    orderBy: { rowNo: 'asc' },
    take: limit + 1,
    select: { rowNo: true, email: true, orgSlug: true, tier: true, roles: true, outcome: true, message: true },
  });
  const items: ImportRowDto[] = rows.slice(0, limit).map((r) => ({
    row: r.rowNo,
    email: r.email,
    org: r.orgSlug,
    tier: r.tier ?? '',
    roles: r.roles.join(';'),
    outcome: r.outcome ?? '',
    message: r.message ?? '',
    applied: r.rowNo <= appliedThrough,
  }));
  return { items, nextAfterRow: rows.length > limit ? items[items.length - 1]!.row : null };
}

/** Queues a PLANNED job (in `enqueue`'s transaction, so the queue's job and the status change commit together). */
export async function requestRun(
  db: Db,
  id: string,
  scope: JobScope,
  by: { requestId: string | null },
  enqueue: (tx: Tx, jobId: string) => Promise<void>,
  options: { sendInvitations?: boolean } = {},
): Promise<ImportJobDto> {
  return db.$transaction(async (tx) => {
    const job = await tx.job.findFirst({ where: { id, type: IMPORT_JOB_TYPE, ...scopeWhere(scope) } });
    if (!job) throw new AppError('NOT_FOUND', 'That import does not exist.');
    if (job.status !== 'PLANNED') throw new AppError('CONFLICT', 'This import has already been run.');
    const payload = job.payload as unknown as ImportPayload;
    const updated = await tx.job.updateMany({
      where: { id, status: 'PLANNED' },
      data: { status: 'QUEUED', payload: { ...payload, sendInvitations: options.sendInvitations ?? payload.sendInvitations } as object },
    });
    if (updated.count === 0) throw new AppError('CONFLICT', 'This import has already been run.');
    await recordAudit(tx, {
      actor: auditActorOf(payload.importer),
      orgId: job.orgId,
      action: 'import.started',
      target: { type: 'job', id },
      after: { fileName: job.fileName, sha256: job.fileSha256, rows: job.total, plan: payload.plan as object },
      requestId: by.requestId,
    });
    await enqueue(tx, id);
    return toDto((await tx.job.findUnique({ where: { id } }))!);
  });
}

/** Asks a queued or running import to stop after its current batch (a queued one stops before its first). */
export async function requestCancel(db: Db, id: string, scope: JobScope): Promise<ImportJobDto> {
  const job = await db.job.findFirst({ where: { id, type: IMPORT_JOB_TYPE, ...scopeWhere(scope) }, select: { status: true } });
  if (!job) throw new AppError('NOT_FOUND', 'That import does not exist.');
  if (job.status === 'PLANNED') {
    await db.job.updateMany({ where: { id, status: 'PLANNED' }, data: { status: 'CANCELLED', cancelRequestedAt: new Date(), finishedAt: new Date() } });
  } else if (job.status === 'QUEUED' || job.status === 'RUNNING') {
    await db.job.updateMany({ where: { id, status: { in: ['QUEUED', 'RUNNING'] } }, data: { cancelRequestedAt: new Date() } });
  } else {
    throw new AppError('CONFLICT', 'This import has finished.');
  }
  return (await getImportJob(db, id))!;
}

/** What one batch did. */
export interface BatchResult {
  rows: number;
  finished: boolean;
  status: ImportJobDto['status'];
}

/**
 * Applies the next batch of a QUEUED or RUNNING import in one transaction: locks the job row (two workers never
 * apply the same rows), re-reads the importer's powers, locks the batch's orgs (as grantOrgRole does, so a grant
 * never races a removal), decides each row again, writes users, memberships, tier changes and role assignments with
 * one audit event per change in one set-based statement, the outcomes that differ from the plan, and the job's
 * progress and resume point (the last row applied). The last batch finishes the job.
 */
export async function applyNextBatch(db: Db, jobId: string, batchSize = IMPORT_BATCH_SIZE): Promise<BatchResult> {
  return db.$transaction(
    async (tx) => {
      // Every statement here is short and run once per batch: JIT compiling them (the row query's estimate is over
      // the threshold) costs more than it saves.
      await tx.$executeRaw`SET LOCAL jit = off`;
      const [job] = await tx.$queryRaw<{ status: ImportJobDto['status']; payload: ImportPayload; cancel: boolean; applied_through: number; result: { applied?: ImportSummary } | null }[]>`
        SELECT status, payload, cancel_requested_at IS NOT NULL AS cancel, applied_through, result FROM jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
      if (!job) return { rows: 0, finished: true, status: 'FAILED' as const };
      if (job.status !== 'QUEUED' && job.status !== 'RUNNING') return { rows: 0, finished: true, status: job.status };
      const importer = job.payload.importer;
      if (job.cancel) {
        await tx.$executeRaw`UPDATE jobs SET status = 'CANCELLED', finished_at = now(), updated_at = now() WHERE id = ${jobId}::uuid`;
        await finishAudit(tx, jobId, importer, 'CANCELLED');
        return { rows: 0, finished: true, status: 'CANCELLED' as const };
      }
      if (job.status === 'QUEUED') await tx.$executeRaw`UPDATE jobs SET status = 'RUNNING', started_at = COALESCE(started_at, now()), attempts = attempts + 1 WHERE id = ${jobId}::uuid`;
      const powers = await importerPowers(tx, importer);
      if (!powers) {
        await tx.$executeRaw`UPDATE jobs SET status = 'FAILED', error = 'The person or key that started this import may not import any more.', finished_at = now(), updated_at = now() WHERE id = ${jobId}::uuid`;
        await finishAudit(tx, jobId, importer, 'FAILED');
        return { rows: 0, finished: true, status: 'FAILED' as const };
      }
      const after = job.applied_through;
      // Locks in id order, so two transactions locking overlapping orgs never deadlock.
      await tx.$queryRaw`
        SELECT id FROM orgs WHERE slug IN (
          SELECT org_slug FROM import_rows WHERE job_id = ${jobId}::uuid AND row_no > ${after} ORDER BY row_no LIMIT ${batchSize})
        ORDER BY id FOR UPDATE`;
      const states = await readRowStates(tx, jobId, after, batchSize);
      const decisions = states.map((s) => decideRow(powers, s));
      const applied = job.result?.applied ?? emptySummary();
      await applyDecisions(tx, jobId, importer, states, decisions, applied);
      // The dry run wrote each row's plan; only a row decided otherwise now (the database changed meanwhile, or an
      // earlier batch created its person) is written again, so a file the dry run foresaw writes no row here.
      const differs = states.flatMap((s, i) => (s.planned.outcome !== decisions[i]!.outcome || s.planned.message !== decisions[i]!.message ? [i] : []));
      if (differs.length > 0) await writeOutcomes(tx, jobId, differs.map((i) => states[i]!.rowNo), differs.map((i) => decisions[i]!));
      const last = states.length > 0 ? states[states.length - 1]!.rowNo : after;
      const [left] = await tx.$queryRaw<{ left: boolean }[]>`SELECT EXISTS (SELECT 1 FROM import_rows WHERE job_id = ${jobId}::uuid AND row_no > ${last}) AS left`;
      const finished = !left!.left;
      await tx.$executeRaw`
        UPDATE jobs SET progress = progress + ${states.length}, applied_through = ${last}, result = jsonb_build_object('applied', ${JSON.stringify(applied)}::jsonb),
          status = CASE WHEN ${finished} THEN 'SUCCEEDED'::"JobStatus" ELSE 'RUNNING'::"JobStatus" END,
          finished_at = CASE WHEN ${finished} THEN now() ELSE NULL END, updated_at = now()
        WHERE id = ${jobId}::uuid`;
      if (finished) await finishAudit(tx, jobId, importer, 'SUCCEEDED');
      return { rows: states.length, finished, status: finished ? ('SUCCEEDED' as const) : ('RUNNING' as const) };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** The job's one closing audit event: who, the file's hash, and what was done. */
async function finishAudit(tx: Tx, jobId: string, importer: Importer, status: string): Promise<void> {
  const job = await tx.job.findUniqueOrThrow({ where: { id: jobId } });
  await recordAudit(tx, {
    actor: auditActorOf(importer),
    orgId: job.orgId,
    action: 'import.finished',
    target: { type: 'job', id: jobId },
    after: { status, fileName: job.fileName, sha256: job.fileSha256, rows: job.total, done: job.progress, applied: (job.result as object | null) ?? null },
  });
}

/**
 * Writes a batch's decisions in one statement: new people, memberships, tier changes and role assignments, each
 * `INSERT … SELECT FROM unnest(…)` (or `UPDATE … FROM`) in a data-modifying CTE, and one audit event per person,
 * membership, tier change and assignment actually made, built in SQL from what those statements returned (a row a
 * concurrent change already made is neither written twice nor audited). Only the decisions cross from Node: ids,
 * tiers and role ids, a few arrays per batch.
 */
async function applyDecisions(tx: Tx, jobId: string, importer: Importer, states: RowState[], decisions: RowDecision[], applied: ImportSummary): Promise<void> {
  const newUsers = new Map<string, { name: string | null; connection: string | null }>();
  // Per changing row (r_*) and per grant (g_*, pointing at its row by ordinal, 1-based as WITH ORDINALITY counts).
  const rOrg: string[] = [];
  const rUser: (string | null)[] = [];
  const rEmail: string[] = [];
  const rAdd: (string | null)[] = [];
  const rTier: (string | null)[] = [];
  const gRow: number[] = [];
  const gRole: string[] = [];
  const gKey: string[] = [];
  decisions.forEach((d, i) => {
    const s = states[i]!;
    if (d.outcome === 'error' || d.outcome === 'unchanged' || !s.orgId) return;
    if (d.createUser && !newUsers.has(s.email)) newUsers.set(s.email, { name: s.name, connection: s.connection });
    rOrg.push(s.orgId);
    rUser.push(s.userId);
    rEmail.push(s.email);
    rAdd.push(d.addMembership);
    rTier.push(d.changeTier?.to ?? null);
    for (const g of d.grant) {
      gRow.push(rOrg.length);
      gRole.push(g.id);
      gKey.push(g.key);
    }
  });
  for (const d of decisions) {
    applied.rows++;
    applied[d.outcome]++;
  }
  if (rOrg.length === 0) return;
  const emails = [...newUsers.keys()];
  const actor = auditActorOf(importer);
  const grantedBy = importer.kind === 'api_key' ? null : importer.userId;
  const [made] = await tx.$queryRaw<{ users: number; memberships: number; tiers: number; grants: number }[]>`
    WITH
    -- A person who has never signed in is known by a placeholder subject until their first sign-in claims it
    -- (lib/provisioning/sign-in.ts); running the file again finds them by email.
    nu AS (
      INSERT INTO users (id, sub, email, name, connection, updated_at)
      SELECT gen_random_uuid(), 'import|' || e, e, n, c, now()
      FROM unnest(${emails}::text[], ${emails.map((e) => newUsers.get(e)!.name)}::text[], ${emails.map((e) => newUsers.get(e)!.connection)}::text[]) AS v(e, n, c)
      ON CONFLICT (sub) DO UPDATE SET updated_at = users.updated_at
      RETURNING id, sub, email, (xmax = 0) AS inserted),
    r AS (
      SELECT v.ord, v.o, COALESCE(v.u, nu.id) AS u, v.e, v.add, v.tier
      FROM unnest(${rOrg}::uuid[], ${rUser}::uuid[], ${rEmail}::text[], ${rAdd}::text[], ${rTier}::text[]) WITH ORDINALITY AS v(o, u, e, add, tier, ord)
      LEFT JOIN nu ON v.u IS NULL AND nu.sub = 'import|' || v.e),
    added AS (
      INSERT INTO memberships (id, org_id, user_id, tier, updated_at)
      SELECT gen_random_uuid(), o, u, add::"Tier", now() FROM r WHERE add IS NOT NULL
      ON CONFLICT (org_id, user_id) DO NOTHING
      RETURNING org_id, user_id, tier),
    changed AS (
      UPDATE memberships m SET tier = r.tier::"Tier", updated_at = now()
      FROM r, LATERAL (SELECT tier AS old FROM memberships WHERE org_id = r.o AND user_id = r.u) prev
      WHERE r.tier IS NOT NULL AND m.org_id = r.o AND m.user_id = r.u AND m.tier <> r.tier::"Tier" AND m.tier <> 'OWNER'
      RETURNING m.org_id, m.user_id, m.tier, prev.old),
    g AS (
      SELECT r.o, r.u, r.e, v.role, v.key
      FROM unnest(${gRow}::int[], ${gRole}::uuid[], ${gKey}::text[]) AS v(ord, role, key) JOIN r ON r.ord = v.ord),
    granted AS (
      INSERT INTO role_assignments (id, role_id, user_id, org_id, granted_by_id)
      SELECT gen_random_uuid(), role, u, o, ${grantedBy}::uuid FROM g
      ON CONFLICT (role_id, user_id, org_id) WHERE user_id IS NOT NULL
        DO UPDATE SET expires_at = NULL, granted_by_id = EXCLUDED.granted_by_id WHERE role_assignments.expires_at IS NOT NULL
      RETURNING id, org_id, user_id, role_id),
    audit AS (
      INSERT INTO audit_events (actor_type, actor_id, actor_label, org_id, action, target_type, target_id, before, after)
      SELECT ${actor.type}, ${actor.type === 'system' ? null : actor.id}::uuid, ${actor.label ?? null}, a.o, a.action, a.tt, a.t, a.b, a.af
      FROM (
        SELECT NULL::uuid AS o, 'user.imported' AS action, 'user' AS tt, nu.id::text AS t, NULL::jsonb AS b,
          jsonb_build_object('email', nu.email, 'via', 'import', 'jobId', ${jobId}::text) AS af
        FROM nu WHERE nu.inserted
        UNION ALL
        SELECT added.org_id, 'member.added', 'user', added.user_id::text, NULL,
          jsonb_build_object('email', r.e, 'tier', added.tier, 'via', 'import', 'jobId', ${jobId}::text)
        FROM added JOIN r ON r.o = added.org_id AND r.u = added.user_id
        UNION ALL
        SELECT changed.org_id, 'member.tier_changed', 'user', changed.user_id::text, jsonb_build_object('tier', changed.old, 'email', r.e),
          jsonb_build_object('tier', changed.tier, 'via', 'import', 'jobId', ${jobId}::text)
        FROM changed JOIN r ON r.o = changed.org_id AND r.u = changed.user_id
        UNION ALL
        SELECT granted.org_id, 'assignment.created', 'assignment', granted.id::text, NULL,
          jsonb_build_object('roleId', granted.role_id, 'role', g.key, 'subject', jsonb_build_object('type', 'user', 'id', granted.user_id, 'email', g.e),
            'orgId', granted.org_id, 'via', 'import', 'jobId', ${jobId}::text)
        FROM granted JOIN g ON g.o = granted.org_id AND g.u = granted.user_id AND g.role = granted.role_id
      ) a)
    SELECT (SELECT count(*) FROM nu WHERE inserted)::int AS users, (SELECT count(*) FROM added)::int AS memberships,
      (SELECT count(*) FROM changed)::int AS tiers, (SELECT count(*) FROM granted)::int AS grants`;
  applied.newUsers += made!.users;
  applied.newMemberships += made!.memberships;
  applied.tierChanges += made!.tiers;
  applied.roleGrants += made!.grants;
}

/**
 * Runs an import to its end, batch after batch; stops early when `shouldStop` says so (the worker shutting down)
 * and leaves the job RUNNING for the next worker to resume. Returns the final status.
 */
export async function runImport(
  db: Db,
  jobId: string,
  options: { batchSize?: number; shouldStop?: () => boolean; onBatch?: (r: BatchResult) => void } = {},
): Promise<ImportJobDto['status']> {
  for (;;) {
    if (options.shouldStop?.()) return 'RUNNING';
    const r = await applyNextBatch(db, jobId, options.batchSize);
    options.onBatch?.(r);
    if (r.finished) return r.status;
  }
}

