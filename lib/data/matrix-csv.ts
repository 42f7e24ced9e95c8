import 'server-only';
import type { MatrixPage } from './matrix';
import { pagedTextStream } from './paged-stream';

/** CSV cells: quoted when needed, and never starting with a formula character (CSV injection in spreadsheets). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Streams the whole matrix for a filter as CSV, page by page (the server never holds more than one page).
 * Columns: name, email (or client id), tier, last sign-in, then one column per application: allowed/denied and why.
 * The first page is read before the stream is returned, so a refusal (an unknown org filter) is answered as an error
 * response, not as a connection reset after a 200's headers have gone out.
 */
export async function matrixCsvStream(fetchPage: (cursor: string | undefined) => Promise<MatrixPage>): Promise<ReadableStream<Uint8Array>> {
  return pagedTextStream(fetchPage, (page, first) => {
    let out = first ? ['name', 'email_or_client_id', 'tier', 'last_sign_in', ...page.columns.map((c) => c.name)].map(csvCell).join(',') + '\n' : '';
    for (const r of page.rows) {
      const cells = r.cells.map((c) => `${c.allow ? 'allowed' : 'denied'}: ${c.reason}`);
      out += [r.label, r.sublabel, r.tier ?? '', r.lastLoginAt ?? '', ...cells].map(csvCell).join(',') + '\n';
    }
    return out;
  });
}
