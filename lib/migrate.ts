import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * Applies prisma/migrations/<name>/migration.sql files in order and records them in Prisma's `_prisma_migrations`
 * table format, so `prisma migrate deploy` keeps working wherever Prisma's engines can be downloaded.
 *
 * Safe to run twice (applied migrations are skipped) and safe when several instances start at once: every step runs
 * in a transaction that first takes a transaction-level advisory lock, then re-checks what is applied.
 */
export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

// An arbitrary constant shared by every Gatehouse instance: "gatehouse" as bytes, folded into a bigint.
const LOCK_KEY = 0x67617465686f7573n;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function listMigrations(dir: string): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> {
  const dir = options.dir ?? path.join(process.cwd(), 'prisma', 'migrations');
  const log = options.log ?? (() => {});
  const migrations = await listMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const result: MigrationResult = { applied: [], skipped: [] };
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY.toString()]);
    await client.query(CREATE_TABLE);
    await client.query('COMMIT');

    for (const m of migrations) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY.toString()]);
        const { rows } = await client.query<{ checksum: string; finished_at: Date | null }>(
          'SELECT checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
          [m.name],
        );
        const done = rows.find((r) => r.finished_at !== null);
        if (done) {
          if (done.checksum !== m.checksum) {
            log(`warning: ${m.name} was changed after it was applied (checksum differs); migrations are forward-only`);
          }
          await client.query('COMMIT');
          result.skipped.push(m.name);
          continue;
        }
        const id = randomUUID();
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
        result.applied.push(m.name);
        log(`applied ${m.name}`);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.end();
  }
  return result;
}
