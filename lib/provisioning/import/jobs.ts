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
} from './plan';

/**
 * An import's life: `stageImport` keeps the parsed rows and runs the dry run (status PLANNED; nothing but the job and
 * its staged rows is written); `requestRun` queues it (QUEUED, with an `import.started` audit event, in one
 * transaction with the queue's job); the worker calls `runImport`, which applies batches of rows, each batch in one
 * transaction with its audit events, its rows' outcomes and the job's progress, so a worker killed at any moment
 * resumes at the first row not applied. `requestCancel` stops it after the batch in hand.
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
  const rows = await db.importRow.findMany({
    where: { jobId, rowNo: { gt: page.afterRow ?? 0 }, ...(page.errorsOnly ? { outcome: 'error' } : {}) },
    orderBy: { rowNo: 'asc' },
    take: limit + 1,
    select: { rowNo: true, email: true, orgSlug: true, tier: true, roles: true, outcome: true, message: true, appliedAt: true },
  });
  const items: ImportRowDto[] = rows.slice(0, limit).map((r) => ({
    row: r.rowNo,
    email: r.email,
    org: r.orgSlug,
    tier: r.tier ?? '',
    roles: r.roles.join(';'),
    outcome: r.outcome ?? '',
    message: r.message ?? '',
    applied: r.appliedAt !== null,
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
 * never races a removal), decides each row again, writes users, memberships, tier changes and role assignments
 * set-based, one audit event per change, the rows' outcomes and the job's progress. The last batch finishes the job.
 */
export async function applyNextBatch(db: Db, jobId: string, batchSize = IMPORT_BATCH_SIZE): Promise<BatchResult> {
  return db.$transaction(
    async (tx) => {
      const [job] = await tx.$queryRaw<{ status: ImportJobDto['status']; payload: ImportPayload; cancel: boolean; progress: number; result: { applied?: ImportSummary } | null }[]>`
        SELECT status, payload, cancel_requested_at IS NOT NULL AS cancel, progress, result FROM jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
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
      const slugs = await tx.$queryRaw<{ org_slug: string }[]>`
        SELECT DISTINCT org_slug FROM (SELECT org_slug FROM import_rows WHERE job_id = ${jobId}::uuid AND applied_at IS NULL ORDER BY row_no LIMIT ${batchSize}) b`;
      // Locks in id order, so two transactions locking overlapping orgs never deadlock.
      await tx.$queryRaw`SELECT id FROM orgs WHERE slug = ANY(${slugs.map((s) => s.org_slug)}::text[]) ORDER BY id FOR UPDATE`;
      const states = await readRowStates(tx, jobId, 0, batchSize);
      const decisions = states.map((s) => decideRow(powers, s));
      const applied = job.result?.applied ?? emptySummary();
      await applyDecisions(tx, jobId, importer, states, decisions, applied);
      await writeOutcomes(tx, jobId, states.map((s) => s.rowNo), decisions, true);
      const [left] = await tx.$queryRaw<{ left: boolean }[]>`SELECT EXISTS (SELECT 1 FROM import_rows WHERE job_id = ${jobId}::uuid AND applied_at IS NULL) AS left`;
      const finished = !left!.left;
      await tx.$executeRaw`
        UPDATE jobs SET progress = progress + ${states.length}, result = jsonb_build_object('applied', ${JSON.stringify(applied)}::jsonb),
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

/** Writes a batch's decisions set-based, with one audit event per changed membership or assignment. */
async function applyDecisions(tx: Tx, jobId: string, importer: Importer, states: { email: string; name: string | null; connection: string | null; orgId: string | null; userId: string | null }[], decisions: RowDecision[], applied: ImportSummary): Promise<void> {
  const newUsers = new Map<string, { name: string | null; connection: string | null }>();
  decisions.forEach((d, i) => {
    const s = states[i]!;
    if (d.createUser && !newUsers.has(s.email)) newUsers.set(s.email, { name: s.name, connection: s.connection });
  });
  const emails = [...newUsers.keys()];
  const ids = new Map<string, string>();
  let inserted = new Set<string>();
  if (emails.length > 0) {
    // A person who has never signed in is known by a placeholder subject until their first sign-in claims it
    // (lib/provisioning/sign-in.ts); running the file again finds them by email.
    const made = await tx.$queryRaw<{ id: string; email: string; inserted: boolean }[]>`
      INSERT INTO users (id, sub, email, name, connection, updated_at)
      SELECT gen_random_uuid(), 'import|' || e, e, n, c, now() FROM unnest(${emails}::text[], ${emails.map((e) => newUsers.get(e)!.name)}::text[], ${emails.map((e) => newUsers.get(e)!.connection)}::text[]) AS v(e, n, c)
      ON CONFLICT (sub) DO UPDATE SET updated_at = users.updated_at
      RETURNING id, email, (xmax = 0) AS inserted`;
    for (const u of made) ids.set(u.email, u.id);
    inserted = new Set(made.filter((u) => u.inserted).map((u) => u.id));
  }
  const userOf = (i: number) => states[i]!.userId ?? ids.get(states[i]!.email)!;

  const audits: { org: string | null; action: string; targetType: string; target: string; before: string | null; after: string }[] = [];
  for (const [email, id] of ids) if (inserted.has(id)) audits.push({ org: null, action: 'user.imported', targetType: 'user', target: id, before: null, after: JSON.stringify({ email, via: 'import', jobId }) });

  const mOrg: string[] = [];
  const mUser: string[] = [];
  const mTier: string[] = [];
  const tOrg: string[] = [];
  const tUser: string[] = [];
  const tTier: string[] = [];
  const aOrg: string[] = [];
  const aUser: string[] = [];
  const aRole: string[] = [];
  const aKey: string[] = [];
  decisions.forEach((d, i) => {
    const orgId = states[i]!.orgId;
    if (d.outcome === 'error' || d.outcome === 'unchanged' || !orgId) return;
    const userId = userOf(i);
    if (d.addMembership) {
      mOrg.push(orgId);
      mUser.push(userId);
      mTier.push(d.addMembership);
    }
    if (d.changeTier) {
      tOrg.push(orgId);
      tUser.push(userId);
      tTier.push(d.changeTier.to);
    }
    for (const g of d.grant) {
      aOrg.push(orgId);
      aUser.push(userId);
      aRole.push(g.id);
      aKey.push(g.key);
    }
  });
  const emailOf = new Map<string, string>();
  states.forEach((s, i) => decisions[i]!.outcome !== 'error' && decisions[i]!.outcome !== 'unchanged' && emailOf.set(userOf(i), s.email));

  if (mOrg.length > 0) {
    const added = await tx.$queryRaw<{ org_id: string; user_id: string; tier: string }[]>`
      INSERT INTO memberships (id, org_id, user_id, tier, updated_at)
      SELECT gen_random_uuid(), o, u, t::"Tier", now() FROM unnest(${mOrg}::uuid[], ${mUser}::uuid[], ${mTier}::text[]) AS v(o, u, t)
      ON CONFLICT (org_id, user_id) DO NOTHING
      RETURNING org_id, user_id, tier`;
    for (const m of added) {
      audits.push({ org: m.org_id, action: 'member.added', targetType: 'user', target: m.user_id, before: null, after: JSON.stringify({ email: emailOf.get(m.user_id) ?? null, tier: m.tier, via: 'import', jobId }) });
    }
    applied.newMemberships += added.length;
  }
  if (tOrg.length > 0) {
    const changed = await tx.$queryRaw<{ org_id: string; user_id: string; tier: string; old: string }[]>`
      UPDATE memberships m SET tier = v.t::"Tier", updated_at = now()
      FROM unnest(${tOrg}::uuid[], ${tUser}::uuid[], ${tTier}::text[]) AS v(o, u, t),
        LATERAL (SELECT tier AS old FROM memberships WHERE org_id = v.o AND user_id = v.u) prev
      WHERE m.org_id = v.o AND m.user_id = v.u AND m.tier <> v.t::"Tier" AND m.tier <> 'OWNER'
      RETURNING m.org_id, m.user_id, m.tier, prev.old`;
    for (const m of changed) {
      audits.push({ org: m.org_id, action: 'member.tier_changed', targetType: 'user', target: m.user_id, before: JSON.stringify({ tier: m.old, email: emailOf.get(m.user_id) ?? null }), after: JSON.stringify({ tier: m.tier, via: 'import', jobId }) });
    }
    applied.tierChanges += changed.length;
  }
  if (aOrg.length > 0) {
    const grantedBy = importer.kind === 'api_key' ? null : importer.userId;
    const made = await tx.$queryRaw<{ id: string; org_id: string; user_id: string; role_id: string }[]>`
      INSERT INTO role_assignments (id, role_id, user_id, org_id, granted_by_id)
      SELECT gen_random_uuid(), r, u, o, ${grantedBy}::uuid FROM unnest(${aOrg}::uuid[], ${aUser}::uuid[], ${aRole}::uuid[]) AS v(o, u, r)
      ON CONFLICT (role_id, user_id, org_id) WHERE user_id IS NOT NULL
        DO UPDATE SET expires_at = NULL, granted_by_id = EXCLUDED.granted_by_id WHERE role_assignments.expires_at IS NOT NULL
      RETURNING id, org_id, user_id, role_id`;
    const keyOf = new Map(aRole.map((id, i) => [id, aKey[i]!]));
    for (const a of made) {
      audits.push({ org: a.org_id, action: 'assignment.created', targetType: 'assignment', target: a.id, before: null, after: JSON.stringify({ roleId: a.role_id, role: keyOf.get(a.role_id) ?? null, subject: { type: 'user', id: a.user_id, email: emailOf.get(a.user_id) ?? null }, orgId: a.org_id, via: 'import', jobId }) });
    }
    applied.roleGrants += made.length;
  }
  if (audits.length > 0) {
    const actor = auditActorOf(importer);
    await tx.$executeRaw`
      INSERT INTO audit_events (actor_type, actor_id, actor_label, org_id, action, target_type, target_id, before, after)
      SELECT ${actor.type}, ${actor.type === 'system' ? null : actor.id}::uuid, ${actor.label ?? null}, o, a, tt, t, b::jsonb, af::jsonb
      FROM unnest(${audits.map((a) => a.org)}::uuid[], ${audits.map((a) => a.action)}::text[], ${audits.map((a) => a.targetType)}::text[],
        ${audits.map((a) => a.target)}::text[], ${audits.map((a) => a.before)}::text[], ${audits.map((a) => a.after)}::text[]) AS v(o, a, tt, t, b, af)`;
  }
  applied.newUsers += inserted.size;
  for (const d of decisions) {
    applied.rows++;
    applied[d.outcome]++;
  }
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

