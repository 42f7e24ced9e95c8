import 'server-only';
import { z } from 'zod';
import { audit, type AuditChange, type AuditContext } from '@/lib/audit';
import { db, type Tx } from '@/lib/db';
import { AppError, isUniqueViolation } from '@/lib/errors';
import { Prisma } from '@/lib/generated/prisma/client.ts';

/**
 * The shapes every platform mutation in lib/data repeats, written once: "create → audit" (`createAudited`),
 * "lock → read → compare → update → audit" (`updateLocked`), "lock → usage → confirm → delete" (`deleteLocked`),
 * a unique key turned into a field error (`withUnique`), and the sentences that say what uses a row (`usage`).
 */

const UUID = z.string().uuid();

/** Ids from URLs: anything that is not a uuid matches no row (and never reaches the database as a cast error). */
export function isId(value: string): boolean {
  return UUID.safeParse(value).success;
}

/** "1 role", "3 roles", "1,200 roles". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** The answer for a row that a mutation expected but that is gone. */
export function gone(what: string): AppError {
  return new AppError('NOT_FOUND', `That ${what} does not exist; it may have been deleted.`);
}

/** What uses a row: the counts, whether any is non-zero, and a sentence saying so. */
export interface Usage<C extends Record<string, number>> {
  counts: C;
  inUse: boolean;
  /** e.g. "3 roles grant its permissions"; "Nothing uses it." when unused. */
  summary: string;
}

/** Builds a usage from its counts and the clauses that describe them (null for a zero count). */
export function usage<C extends Record<string, number>>(counts: C, inUse: boolean, parts: (string | null)[]): Usage<C> {
  const sentence = parts.filter((p): p is string => p !== null).join('; ');
  return { counts, inUse, summary: sentence ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.` : 'Nothing uses it.' };
}

/** A delete of something in use is CONFLICT, saying what uses it, unless the caller confirmed. */
export function assertConfirmed(u: Usage<Record<string, number>>, confirm: boolean, what: string): void {
  if (u.inUse && !confirm) {
    throw new AppError('CONFLICT', `${u.summary.replace(/\.$/, '')}. Confirm to delete ${what} anyway.`);
  }
}

/** The unique key a mutation may hit, as the error and the field error the form shows. */
export interface UniqueConflict {
  field: string;
  message: string;
  /** The field's own message, when it differs from the error's. */
  fieldMessage?: string;
}

/** Runs a mutation; a unique violation becomes CONFLICT with a field error (the one key named here). */
export async function withUnique<T>(run: () => Promise<T>, conflict: UniqueConflict): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) {
      const fieldErrors = { [conflict.field]: [conflict.fieldMessage ?? conflict.message] };
      throw new AppError('CONFLICT', conflict.message, { fieldErrors, cause: error });
    }
    throw error;
  }
}

export type LockableTable = 'apis' | 'permissions' | 'roles' | 'applications' | 'default_role_rules';

/** Row lock for the rest of the transaction: rows that reference it wait, so what is read about it stays true. */
export async function lockRow(tx: Tx, table: LockableTable, id: string): Promise<boolean> {
  if (!isId(id)) return false;
  // `table` is one of the literals above, never input.
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id}::uuid FOR UPDATE`;
  return rows.length > 0;
}

/** A row to lock, and the word for it in "That … does not exist". */
export interface LockTarget {
  table: LockableTable;
  id: string;
  what: string;
}

/** Locks the row or answers NOT_FOUND ("That … does not exist"). */
export async function lockOrThrow(tx: Tx, target: LockTarget): Promise<void> {
  if (!(await lockRow(tx, target.table, target.id))) throw gone(target.what);
}

/** What uses a row, read in one snapshot; null when the row does not exist (or the id is malformed). */
export async function usageIfExists<U>(id: string, exists: (tx: Tx) => Promise<number>, measure: (tx: Tx) => Promise<U>): Promise<U | null> {
  if (!isId(id)) return null;
  return db.$transaction(async (tx) => ((await exists(tx)) ? measure(tx) : null));
}

/** Create → audit in one transaction; the unique key named becomes CONFLICT with a field error. */
export async function createAudited<Row>(
  ctx: AuditContext,
  spec: { create: (tx: Tx) => Promise<Row>; audit: (row: Row) => AuditChange; unique: UniqueConflict },
): Promise<Row> {
  return withUnique(
    () =>
      db.$transaction(async (tx) => {
        const row = await spec.create(tx);
        await audit(tx, ctx, spec.audit(row));
        return row;
      }),
    spec.unique,
  );
}

/**
 * Lock → read → compare → update → audit, in one transaction: `change` turns the row into the audited fields
 * before and after (and throws to refuse the change); when every field is the same nothing is written.
 */
export async function updateLocked<Row, V extends Prisma.InputJsonObject>(
  ctx: AuditContext,
  spec: {
    lock: LockTarget;
    read: (tx: Tx) => Promise<Row>;
    change: (row: Row) => { before: V; after: V };
    write: (tx: Tx, after: V) => Promise<unknown>;
    audit: Omit<AuditChange, 'before' | 'after'>;
    unique?: UniqueConflict;
  },
): Promise<{ row: Row; after: V; changed: boolean }> {
  const run = () =>
    db.$transaction(async (tx) => {
      await lockOrThrow(tx, spec.lock);
      const row = await spec.read(tx);
      const { before, after } = spec.change(row);
      if (Object.keys(after).every((k) => before[k] === after[k])) return { row, after, changed: false };
      await spec.write(tx, after);
      await audit(tx, ctx, { ...spec.audit, before, after });
      return { row, after, changed: true };
    });
  return spec.unique ? withUnique(run, spec.unique) : run();
}

/**
 * Lock → usage → confirm → delete → audit, in one transaction: a row in use is only deleted when the caller
 * confirmed, and the audit row keeps what it was and what used it. `read` may throw to refuse the delete.
 */
export async function deleteLocked<Row, U extends Usage<Record<string, number>>>(
  ctx: AuditContext,
  spec: {
    lock: LockTarget;
    read: (tx: Tx) => Promise<Row>;
    usage: (tx: Tx, row: Row) => Promise<U>;
    confirm: { given: boolean; what: string };
    remove: (tx: Tx, row: Row) => Promise<unknown>;
    audit: (row: Row, usage: U) => AuditChange;
  },
): Promise<Row> {
  return db.$transaction(async (tx) => {
    await lockOrThrow(tx, spec.lock);
    const row = await spec.read(tx);
    const u = await spec.usage(tx, row);
    assertConfirmed(u, spec.confirm.given, spec.confirm.what);
    await spec.remove(tx, row);
    await audit(tx, ctx, spec.audit(row, u));
    return row;
  });
}
