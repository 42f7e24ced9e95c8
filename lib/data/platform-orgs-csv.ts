import 'server-only';
import { csvCell } from './matrix-csv';
import { pagedTextStream } from './paged-stream';
import type { Page } from './pagination';
import type { PlatformOrgListItemDto } from './platform-orgs';

export const ORG_CSV_HEADER = ['id', 'name', 'slug', 'auth0_org_id', 'status', 'members', 'created_at', 'last_sign_in_at'] as const;

/** One org as a CSV record: RFC 4180 (CRLF line ends, quoted fields with doubled quotes), formula-safe cells. */
export function orgCsvRecord(o: PlatformOrgListItemDto): string {
  return (
    [o.id, o.name, o.slug, o.auth0OrgId ?? '', o.suspended ? 'suspended' : 'active', String(o.members), o.createdAt, o.lastSignInAt ?? '']
      .map(csvCell)
      .join(',') + '\r\n'
  );
}

/**
 * Streams every org of a filter as CSV, page by page through the list's keyset (never more than one page in memory).
 * The first page is read before the stream is returned, so a failure is an error response, not a cut-off file.
 */
export async function orgsCsvStream(fetchPage: (cursor: string | undefined) => Promise<Page<PlatformOrgListItemDto>>): Promise<ReadableStream<Uint8Array>> {
  return pagedTextStream(fetchPage, (page, first) => (first ? ORG_CSV_HEADER.join(',') + '\r\n' : '') + page.items.map(orgCsvRecord).join(''));
}
