import type { IncomingMessage } from 'node:http';
import type { Db } from '@/lib/db-client';
import { AppError } from '@/lib/errors';
import type { ImportQueue } from '@/lib/jobs/queue';
import { getImportJob, listImportRows, requestRun, stageImport, type ImportJobDto, type ImportRowDto } from '@/lib/provisioning/import/jobs';
import { ImportFileError, parseImportFile } from '@/lib/provisioning/import/parse';
import type { ApiKeyEntry } from './snapshot';

/**
 * `POST /api/v1/imports` and `GET /api/v1/imports/{id}` (API key scope `import`): the console's bulk import over
 * HTTP, through the same framework-free core (lib/provisioning/import). A key acts platform-wide, as an operator
 * does; its powers are read again at every batch (a revoked key stops the job).
 */

export interface ImportCreated {
  job: ImportJobDto;
}

export interface ImportStatus {
  job: ImportJobDto;
  /** A page of the per-row report, in row order; `nextAfter` is the `after` of the next page (null: last page). */
  rows: ImportRowDto[];
  nextAfter: number | null;
}

const NAME_RE = /^[\w .()-]{1,200}$/u;

/**
 * Streams the request body (the file itself: text/csv or application/x-ndjson) through the parser, stages it and
 * answers the dry run. `?run=true` also queues the run; `?name=` names the file (a `.jsonl` name reads JSON Lines).
 */
export async function createImport(db: Db, queue: ImportQueue | null, key: ApiKeyEntry, req: IncomingMessage, requestId: string): Promise<ImportCreated> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const name = url.searchParams.get('name') ?? (/ndjson|jsonl/i.test(req.headers['content-type'] ?? '') ? 'import.jsonl' : 'import.csv');
  if (!NAME_RE.test(name)) throw new AppError('BAD_INPUT', 'name: use letters, digits, spaces, dots, dashes and brackets (at most 200).');
  const run = url.searchParams.get('run');
  if (run !== null && run !== 'true' && run !== 'false') throw new AppError('BAD_INPUT', 'run: true or false.');
  const sendInvitations = url.searchParams.get('sendInvitations') === 'true';
  let parsed;
  try {
    parsed = await parseImportFile(req, { fileName: name });
  } catch (error) {
    if (error instanceof ImportFileError) throw new AppError(error.tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_INPUT', error.message);
    throw error;
  }
  const importer = { kind: 'api_key' as const, apiKeyId: key.id, label: key.name };
  let job = await stageImport(db, { importer, fileName: name, parsed, orgId: null, sendInvitations });
  if (run === 'true') {
    job = await requestRun(db, job.id, { platform: true }, { requestId }, async () => {});
    await queue?.enqueue(job.id);
  }
  return { job };
}

/** An import's status and a page of its report (`?after=<row>&limit=<1..1000>&errors=true`). */
export async function importStatus(db: Db, id: string, req: IncomingMessage): Promise<ImportStatus> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const after = Number(url.searchParams.get('after') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 100);
  if (!Number.isInteger(after) || after < 0) throw new AppError('BAD_INPUT', 'after: a row number (0 or more).');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new AppError('BAD_INPUT', 'limit: 1 to 1000.');
  const job = await getImportJob(db, id);
  if (!job) throw new AppError('NOT_FOUND', 'There is no import with this id.');
  const page = await listImportRows(db, job.id, { afterRow: after, limit, errorsOnly: url.searchParams.get('errors') === 'true' });
  return { job, rows: page.items, nextAfter: page.nextAfterRow };
}
