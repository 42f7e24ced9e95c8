import { z } from 'zod';

/** A page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Opaque cursors: base64url JSON of the last row's sort key, validated on the way back in. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The cursor's keys, or undefined — for no cursor and for one that does not decode or has another shape alike: a
 * stale or forged page link means the first page, never an error (and never a value the query cannot cast).
 */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string | null | undefined): z.output<S> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-]\d{2}(?::\d{2}){0,2}$/;

/**
 * A timestamptz as PostgreSQL writes it as text (`2026-12-01 12:48:59.376592+00`, or `-infinity`), checked so that
 * casting it back with `::timestamptz` cannot fail: a cursor that keeps the database's own text keeps its microseconds.
 */
export const PgTimestampText = z.string().refine((s) => {
  if (s === '-infinity' || s === 'infinity') return true;
  const m = PG_TIMESTAMPTZ.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
});

export function pageSize(limit: number | undefined): number {
  if (!limit || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}

/** Splits one extra fetched row off into a next cursor. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => unknown): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(cursorOf(items[items.length - 1]!)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Keyset pagination: one builder for every list's "rows after the cursor" condition, order and cursor.

/** How a sort key is kept in a row (and compared in a query), and how it is written in a cursor. */
interface KeyKinds {
  string: { row: string; cursor: string };
  uuid: { row: string; cursor: string };
  int: { row: number; cursor: number };
  date: { row: Date; cursor: string };
  bigint: { row: bigint; cursor: string };
}
export type KeyKind = keyof KeyKinds;

const CURSOR_FIELDS = {
  // PostgreSQL text cannot hold NUL: a forged key with one would fail the query instead of matching nothing.
  string: () => z.string().refine((s) => !s.includes('\u0000')),
  uuid: () => z.string().uuid(),
  int: () => z.number().int(),
  date: () => z.string().datetime(),
  bigint: () => z.string().regex(/^\d+$/),
} satisfies { [K in KeyKind]: () => z.ZodType<KeyKinds[K]['cursor']> };

type CursorShape<F extends Record<string, KeyKind>> = { [N in keyof F]: KeyKinds[F[N]]['cursor'] };

/** The one way to describe a cursor: field names and kinds, e.g. `{ createdAt: 'date', id: 'uuid' }`. */
export function cursorSchema<const F extends Record<string, KeyKind>>(fields: F): z.ZodType<CursorShape<F>> {
  const shape = Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, CURSOR_FIELDS[kind]()]));
  return z.object(shape) as unknown as z.ZodType<CursorShape<F>>;
}

type Direction = 'asc' | 'desc';

/** One sort key: a field (a dotted path for a relation's field, e.g. `user.email`), its kind and direction. */
export interface SortKey<P extends string = string, K extends KeyKind = KeyKind, D extends Direction = Direction> {
  path: P;
  kind: K;
  dir: D;
}

export function asc<P extends string, K extends KeyKind>(path: P, kind: K): SortKey<P, K, 'asc'> {
  return { path, kind, dir: 'asc' };
}

export function desc<P extends string, K extends KeyKind>(path: P, kind: K): SortKey<P, K, 'desc'> {
  return { path, kind, dir: 'desc' };
}

/** `{ a: { b: V } }` for the path `a.b`. */
type Nest<P extends string, V> = P extends `${infer Head}.${infer Rest}` ? { [H in Head]: Nest<Rest, V> } : { [H in P]: V };
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type RowValue<S extends SortKey> = KeyKinds[S['kind']]['row'];
type Comparison<S extends SortKey> = RowValue<S> | { gt: RowValue<S> } | { lt: RowValue<S> };

/** What a row must carry for its keys to be read: every key's field at its path. */
export type KeysetRow<Keys extends readonly SortKey[]> = UnionToIntersection<{ [I in keyof Keys]: Nest<Keys[I]['path'], RowValue<Keys[I]>> }[number]>;
/** One arm of the "after the cursor" condition, in Prisma's where shape. */
type KeysetArm<Keys extends readonly SortKey[]> = Partial<UnionToIntersection<{ [I in keyof Keys]: Nest<Keys[I]['path'], Comparison<Keys[I]>> }[number]>>;
type KeysetOrder<Keys extends readonly SortKey[]> = { [I in keyof Keys]: Nest<Keys[I]['path'], Keys[I]['dir']> }[number];

/** A page request read by a keyset: spread `where`, `orderBy` and `take` into the query, then pass its rows to `page`. */
export interface KeysetQuery<Keys extends readonly SortKey[]> {
  /** The rows after the cursor (`{}` on the first page). */
  where: { OR?: KeysetArm<Keys>[] };
  orderBy: KeysetOrder<Keys>[];
  /** One more row than the page holds, to learn whether there is a next page. */
  take: number;
  page<T extends KeysetRow<Keys>>(rows: T[]): Page<T>;
}

export interface Keyset<Keys extends readonly SortKey[]> {
  /** The cursor's shape: each key by its field's last name, as `cursorSchema` writes it. */
  schema: z.ZodType<Record<string, string | number>>;
  query(params: { cursor?: string | null; limit?: number }): KeysetQuery<Keys>;
}

function nest(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reduceRight<unknown>((inner, field) => ({ [field]: inner }), value) as Record<string, unknown>;
}

/** Merges arms built per key into one object (keys under the same relation share it). */
function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    target[k] =
      existing && typeof existing === 'object' && v && typeof v === 'object' && !(v instanceof Date)
        ? merge({ ...(existing as Record<string, unknown>) }, v as Record<string, unknown>)
        : v;
  }
  return target;
}

function read(row: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, field) => (v as Record<string, unknown> | null | undefined)?.[field], row);
}

function toCursorValue(kind: KeyKind, value: unknown): string | number {
  if (kind === 'date') return (value as Date).toISOString();
  if (kind === 'bigint') return (value as bigint).toString();
  return value as string | number;
}

function fromCursorValue(kind: KeyKind, value: string | number): unknown {
  if (kind === 'date') return new Date(value);
  if (kind === 'bigint') return BigInt(value);
  return value;
}

/**
 * Keyset pagination over the given sort keys, the last of which must be unique (usually the id): the order, the
 * condition "after the cursor" (for keys k1..kn: k1 past, or k1 equal and k2 past, ...), the cursor (the last row's
 * keys, by their field's last name) and the page. Every list in lib/data pages through one of these.
 */
export function keyset<const Keys extends readonly SortKey[]>(...keys: Keys): Keyset<Keys> {
  const named = keys.map((k) => ({ ...k, name: k.path.split('.').pop()! }));
  if (new Set(named.map((k) => k.name)).size !== named.length) throw new Error('keyset: two sort keys share a cursor name');
  const schema = cursorSchema(Object.fromEntries(named.map((k) => [k.name, k.kind])));
  const orderBy = named.map((k) => nest(k.path, k.dir)) as KeysetOrder<Keys>[];
  return {
    schema,
    query(params) {
      const limit = pageSize(params.limit);
      const cursor = decodeCursor(schema, params.cursor);
      const where = cursor
        ? {
            OR: named.map((key, i) =>
              named
                .slice(0, i)
                .map((k) => nest(k.path, fromCursorValue(k.kind, cursor[k.name]!)))
                .concat(nest(key.path, { [key.dir === 'asc' ? 'gt' : 'lt']: fromCursorValue(key.kind, cursor[key.name]!) }))
                .reduce(merge, {}),
            ) as KeysetArm<Keys>[],
          }
        : {};
      return {
        where,
        orderBy,
        take: limit + 1,
        page: (rows) => toPage(rows, limit, (last) => Object.fromEntries(named.map((k) => [k.name, toCursorValue(k.kind, read(last, k.path))]))),
      };
    },
  };
}

/** Lists ordered by name (ties by id), the common case. */
export const byName = keyset(asc('name', 'string'), asc('id', 'uuid'));

/** Lists newest first (ties by id). */
export const newestFirst = keyset(desc('createdAt', 'date'), desc('id', 'uuid'));
