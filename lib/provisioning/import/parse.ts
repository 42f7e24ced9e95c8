import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import { z } from 'zod';
import { Email } from '@/lib/schemas/email';
import { nameText, text } from '@/lib/schemas/text';
import { TIERS, type Tier } from '@/lib/authz/permissions';

/**
 * Reading an import file: CSV (RFC 4180, UTF-8 with or without a byte-order mark, a header row) or JSON Lines, with
 * the columns email, name, org, tier, roles (role keys separated by `;`) and connection. The bytes are streamed
 * through a hash, a UTF-8 decoder and papaparse; only the parsed rows are kept, never the file twice.
 *
 * Rows are numbered as a spreadsheet shows them: in a CSV the header is row 1 and the first person row 2 (a quoted
 * cell with a line break stays one row); in JSON Lines row N is line N. Problems with the file as a whole (encoding,
 * binary content, unbalanced quotes, columns, size) refuse it with a message naming the row and column; problems
 * with one row's values are kept on the row, shown by the dry run, and that row is never applied.
 */

export const IMPORT_MAX_ROWS = 100_000;
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
export const IMPORT_COLUMNS = ['email', 'name', 'org', 'tier', 'roles', 'connection'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** One problem: the row (1-based, as above) and column it is in, and what to do about it. */
export interface ImportIssue {
  row: number;
  column: ImportColumn | null;
  message: string;
}

/** A person row as read and checked without the database (orgs and roles are checked by the plan). */
export interface ParsedRow {
  rowNo: number;
  email: string;
  name: string | null;
  orgSlug: string;
  tier: Tier | null;
  roles: string[];
  connection: string | null;
  errors: { column: ImportColumn | null; message: string }[];
}

export interface ParsedFile {
  rows: ParsedRow[];
  sha256: string;
  bytes: number;
  format: 'csv' | 'jsonl';
}

/** The file cannot be read as an import: nothing is staged and nothing changes. */
export class ImportFileError extends Error {
  constructor(
    readonly issue: ImportIssue,
    /** Too large (bytes or rows): answered 413 by the API; anything else is bad input. */
    readonly tooLarge = false,
  ) {
    super(describeIssue(issue));
    this.name = 'ImportFileError';
  }
}

/** "Row 12, column tier: …" — how every issue is shown. */
export function describeIssue(issue: ImportIssue): string {
  const where = issue.column ? `Row ${issue.row}, column ${issue.column}` : `Row ${issue.row}`;
  return `${where}: ${issue.message}`;
}

export interface ParseOptions {
  /** The file's name, to tell JSON Lines (`.jsonl`, `.ndjson`) from CSV. */
  fileName: string;
  /** On an org's own screen the org is implied: the column may be left out, and must name this org if present. */
  impliedOrgSlug?: string | null;
  maxRows?: number;
  maxBytes?: number;
}

const RoleKey = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,63}$/, 'is not a role key (lower-case letters, digits and : . _ -)');
const NameCell = nameText({ min: 0, max: 200 });
const ConnectionCell = text({ max: 128 });
const TIER_SET = new Set<string>(TIERS);

/** Streams and parses an import file. Throws ImportFileError when the file as a whole cannot be used. */
export async function parseImportFile(source: AsyncIterable<Uint8Array> | Readable, options: ParseOptions): Promise<ParsedFile> {
  const maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
  const maxBytes = options.maxBytes ?? IMPORT_MAX_BYTES;
  const format = /\.(jsonl|ndjson)$/i.test(options.fileName) ? 'jsonl' : 'csv';
  const decoder = new DecodeUtf8(maxBytes);
  const input = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  const text = input.pipe(decoder);
  input.on('error', (error) => text.destroy(error));
  const collector = new RowCollector(options.impliedOrgSlug ?? null, maxRows);
  if (format === 'csv') await parseCsv(text, collector);
  else await parseJsonLines(text, collector);
  collector.finish();
  return { rows: collector.rows, sha256: decoder.sha256(), bytes: decoder.bytes, format };
}

/** Hashes the bytes, refuses binary content and invalid UTF-8, strips a BOM, and counts lines for messages. */
class DecodeUtf8 extends Transform {
  bytes = 0;
  line = 1;
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor(private readonly maxBytes: number) {
    super({ decodeStrings: true, readableObjectMode: true });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      return done(new ImportFileError({ row: this.line, column: null, message: `the file is larger than ${this.maxBytes / 1024 / 1024} MB; split it into smaller files.` }, true));
    }
    this.hash.update(chunk);
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      let row = this.line;
      for (let i = chunk.indexOf(10); i !== -1 && i < nul; i = chunk.indexOf(10, i + 1)) row++;
      return done(new ImportFileError({ row, column: null, message: 'this is a binary file, not CSV or JSON Lines text (it contains NUL bytes).' }));
    }
    let decoded: string;
    try {
      decoded = this.decoder.decode(chunk, { stream: true });
    } catch {
      // Name the line of the first byte that is not UTF-8 (a lenient decode marks it with U+FFFD).
      const lenient = new TextDecoder('utf-8').decode(chunk);
      const at = lenient.indexOf('\uFFFD');
      const row = this.line + (lenient.slice(0, Math.max(0, at)).match(/\n/g)?.length ?? 0);
      return done(new ImportFileError({ row, column: null, message: 'the file is not UTF-8 text; save it as "CSV UTF-8" and upload it again.' }));
    }
    for (let i = decoded.indexOf('\n'); i !== -1; i = decoded.indexOf('\n', i + 1)) this.line++;
    done(null, decoded.length > 0 ? decoded : undefined);
  }
  override _flush(done: TransformCallback): void {
    try {
      const rest = this.decoder.decode();
      done(null, rest.length > 0 ? rest : undefined);
    } catch {
      done(new ImportFileError({ row: this.line, column: null, message: 'the file ends in the middle of a UTF-8 character; it is not UTF-8 text.' }));
    }
  }
  sha256(): string {
    return this.hash.digest('hex');
  }
}

/** Checks each row's cells (no database) and gathers the rows. */
class RowCollector {
  readonly rows: ParsedRow[] = [];
  private readonly firstRowOf = new Map<string, number>();
  constructor(
    private readonly impliedOrg: string | null,
    private readonly maxRows: number,
  ) {}

  add(rowNo: number, cells: Partial<Record<ImportColumn, string>>, extra: ParsedRow['errors'] = []): void {
    if (this.rows.length >= this.maxRows) {
      throw new ImportFileError({ row: rowNo, column: null, message: `the file has more than ${this.maxRows.toLocaleString('en')} people; split it into smaller files.` }, true);
    }
    const errors = [...extra];
    const rawEmail = (cells.email ?? '').trim();
    const email = Email.safeParse(rawEmail);
    if (!rawEmail) errors.push({ column: 'email', message: 'the email is empty.' });
    else if (!email.success) errors.push({ column: 'email', message: `"${clip(rawEmail)}" is not an email address.` });
    const name = NameCell.safeParse(cells.name ?? '');
    if (!name.success) errors.push({ column: 'name', message: name.error.issues[0]?.message ?? 'the name is not valid.' });
    let orgSlug = (cells.org ?? '').trim().toLowerCase();
    if (this.impliedOrg) {
      if (orgSlug && orgSlug !== this.impliedOrg) errors.push({ column: 'org', message: `this screen imports into ${this.impliedOrg} only.` });
      orgSlug = this.impliedOrg;
    } else if (!orgSlug) errors.push({ column: 'org', message: 'the org is empty; give the slug of the organization.' });
    const tierText = (cells.tier ?? '').trim().toUpperCase();
    if (tierText && !TIER_SET.has(tierText)) errors.push({ column: 'tier', message: `"${clip(tierText)}" is not a tier (owner, admin or employee).` });
    const roles = [...new Set((cells.roles ?? '').split(';').map((r) => r.trim()).filter(Boolean))];
    for (const r of roles) if (!RoleKey.safeParse(r).success) errors.push({ column: 'roles', message: `"${clip(r)}" is not a role key.` });
    const connectionText = (cells.connection ?? '').trim();
    const connection = ConnectionCell.safeParse(connectionText);
    if (!connection.success) errors.push({ column: 'connection', message: connection.error.issues[0]?.message ?? 'the connection is not valid.' });
    const key = `${rawEmail.toLowerCase()}\u0000${orgSlug}`;
    const first = this.firstRowOf.get(key);
    if (first !== undefined && rawEmail) errors.push({ column: 'email', message: `this person is already in row ${first} for the same org.` });
    else this.firstRowOf.set(key, rowNo);
    this.rows.push({
      rowNo,
      email: email.success ? email.data.toLowerCase() : rawEmail.slice(0, 320),
      name: name.success && name.data ? name.data : null,
      orgSlug: orgSlug.slice(0, 200),
      tier: tierText && TIER_SET.has(tierText) ? (tierText as Tier) : null,
      roles: roles.slice(0, 50),
      connection: connection.success && connection.data ? connection.data : null,
      errors,
    });
  }

  finish(): void {
    if (this.rows.length === 0) throw new ImportFileError({ row: 2, column: null, message: 'the file has no people in it.' });
  }
}

function clip(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

function headerOf(cells: string[], impliedOrg: boolean): ImportColumn[] {
  const seen = new Set<string>();
  const columns = cells.map((raw) => {
    const name = raw.trim().toLowerCase();
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      throw new ImportFileError({ row: 1, column: null, message: `unknown column "${clip(raw.trim())}"; the columns are ${IMPORT_COLUMNS.join(', ')}.` });
    }
    if (seen.has(name)) throw new ImportFileError({ row: 1, column: name as ImportColumn, message: 'this column appears twice.' });
    seen.add(name);
    return name as ImportColumn;
  });
  if (!seen.has('email')) throw new ImportFileError({ row: 1, column: 'email', message: 'the column is missing; the header row must name an email column.' });
  if (!impliedOrg && !seen.has('org')) throw new ImportFileError({ row: 1, column: 'org', message: 'the column is missing; give each person an org slug.' });
  return columns;
}

function parseCsv(text: Readable, collector: RowCollector): Promise<void> {
  return new Promise((resolve, reject) => {
    let header: ImportColumn[] | null = null;
    let rowNo = 0;
    let failed = false;
    const fail = (error: unknown, parser?: Papa.Parser) => {
      if (failed) return;
      failed = true;
      parser?.abort();
      text.destroy();
      reject(error);
    };
    text.on('error', (error) => fail(error));
    // RFC 4180 CSV, streamed row by row (papaparse's `step` over a Node Readable).
    Papa.parse<string[]>(text, {
      skipEmptyLines: 'greedy',
      step: (result, parser) => {
        if (failed) return;
        rowNo++;
        try {
          const quote = result.errors.find((e) => e.type === 'Quotes');
          if (quote) {
            const column = header?.[Math.max(0, result.data.length - 1)] ?? null;
            throw new ImportFileError({ row: rowNo, column, message: 'a quoted cell is not closed (unbalanced quotes); every " that opens a cell must close it, and a quote inside a cell is written "".' });
          }
          if (!header) {
            header = headerOf(result.data, collector['impliedOrg'] !== null);
            return;
          }
          const extra: ParsedRow['errors'] = [];
          if (result.data.length !== header.length) {
            extra.push({ column: null, message: `this row has ${result.data.length} cells but the header has ${header.length} columns.` });
          }
          const cells: Partial<Record<ImportColumn, string>> = {};
          header.forEach((column, i) => (cells[column] = result.data[i] ?? ''));
          collector.add(rowNo, cells, extra);
        } catch (error) {
          fail(error, parser);
        }
      },
      complete: () => {
        if (failed) return;
        if (!header) return fail(new ImportFileError({ row: 1, column: null, message: 'the file is empty; the first row must name the columns.' }));
        resolve();
      },
      error: (error: Error) => fail(error),
    });
  });
}

async function parseJsonLines(text: Readable, collector: RowCollector): Promise<void> {
  let buffered = '';
  let line = 0;
  const take = (raw: string) => {
    line++;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ImportFileError({ row: line, column: null, message: 'this line is not a JSON object.' });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ImportFileError({ row: line, column: null, message: 'this line is not a JSON object.' });
    }
    const cells: Partial<Record<ImportColumn, string>> = {};
    for (const [k, v] of Object.entries(value)) {
      if (!(IMPORT_COLUMNS as readonly string[]).includes(k)) {
        throw new ImportFileError({ row: line, column: null, message: `unknown field "${clip(k)}"; the fields are ${IMPORT_COLUMNS.join(', ')}.` });
      }
      if (v === null || v === undefined) continue;
      cells[k as ImportColumn] = Array.isArray(v) ? v.map(String).join(';') : String(v);
    }
    collector.add(line, cells);
  };
  for await (const chunk of text) {
    buffered += chunk as string;
    let i: number;
    while ((i = buffered.indexOf('\n')) !== -1) {
      take(buffered.slice(0, i).replace(/\r$/, ''));
      buffered = buffered.slice(i + 1);
    }
  }
  if (buffered) take(buffered);
}
