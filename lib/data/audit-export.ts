import 'server-only';
import { auditSentence, sentenceText } from '@/lib/audit-sentences';
import type { AuditEventDto } from './audit-events';
import { csvCell } from './matrix-csv';
import { MAX_PAGE_SIZE, type Page } from './pagination';
import { pagedTextStream } from './paged-stream';

/**
 * Audit log exports, streamed: the filter's events are read page by page with the list's own cursor (the server never
 * holds more than one page), as CSV (RFC 4180: CRLF line ends, quoted fields, and cells that cannot start a
 * spreadsheet formula) or JSON Lines (one event per line). The first page is read before the stream is returned, so a
 * failing query is an error response rather than a cut-off 200.
 */

export type AuditExportFormat = 'csv' | 'jsonl';

const CSV_HEADER = ['id', 'at', 'sentence', 'action', 'actor_type', 'actor_id', 'actor', 'org_id', 'org', 'target_type', 'target_id', 'target', 'before', 'after', 'request_id'];

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** One event as a CSV record (without the line end). */
export function auditCsvRecord(e: AuditEventDto): string {
  return [
    e.id,
    e.at,
    sentenceText(auditSentence(e)),
    e.action,
    e.actor.type,
    e.actor.id ?? '',
    e.actor.label ?? '',
    e.org?.id ?? '',
    e.org?.label ?? '',
    e.target?.type ?? '',
    e.target?.id ?? '',
    e.target?.label ?? '',
    json(e.before),
    json(e.after),
    e.requestId ?? '',
  ]
    .map(csvCell)
    .join(',');
}

/** One event as a JSON Lines record (without the line end). */
export function auditJsonRecord(e: AuditEventDto): string {
  return JSON.stringify({ ...e, sentence: sentenceText(auditSentence(e)) });
}

/** Streams every event of a list (given as "the page after this cursor") in the format. */
export async function auditExportStream(
  format: AuditExportFormat,
  list: (params: { cursor?: string; limit?: number }) => Promise<Page<AuditEventDto>>,
): Promise<ReadableStream<Uint8Array>> {
  return pagedTextStream(
    (cursor) => list({ cursor, limit: MAX_PAGE_SIZE }),
    (page, first) =>
      (first && format === 'csv' ? CSV_HEADER.join(',') + '\r\n' : '') +
      page.items.map((e) => (format === 'csv' ? auditCsvRecord(e) + '\r\n' : auditJsonRecord(e) + '\n')).join(''),
  );
}

/** The response headers of an export. */
export function auditExportHeaders(format: AuditExportFormat, disposition: string): HeadersInit {
  return {
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'Content-Disposition': disposition,
    'Cache-Control': 'no-store',
  };
}
