import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '@/lib/migrate';
import { randomSuffix } from '@/prisma/factories';
import { dropDatabase, ensureDatabase } from '@/tests/test-db';

const made: string[] = [];
async function freshDatabase(): Promise<string> {
  const name = `gatehouse_mig_${randomSuffix(4)}`;
  made.push(name);
  return ensureDatabase(name);
}
afterAll(async () => {
  for (const name of made) await dropDatabase(name);
});

/** Everything a migration can change, as text, to compare before and after. */
async function schemaSnapshot(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const queries = [
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
      `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
      `SELECT event_object_table, trigger_name, action_timing, event_manipulation FROM information_schema.triggers ORDER BY 1, 2, 4`,
    ];
    const parts = [];
    for (const q of queries) parts.push(JSON.stringify((await client.query(q)).rows));
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('apply once, record Prisma-format rows, and change nothing when applied again', async () => {
    const url = await freshDatabase();
    const all = await listMigrations('prisma/migrations');
    const first = await migrate(url);
    expect(first.applied).toEqual(all.map((m) => m.name));
    const before = await schemaSnapshot(url);

    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.skipped).toEqual(all.map((m) => m.name));
    expect(await schemaSnapshot(url)).toBe(before);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    await client.end();
    expect(rows).toHaveLength(all.length);
    for (const [i, row] of rows.entries()) {
      expect(row.migration_name).toBe(all[i]!.name);
      expect(row.checksum).toBe(all[i]!.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('are safe when several instances start at once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
    const appliedTotal = results.reduce((n, r) => n + r.applied.length, 0);
    const all = await listMigrations('prisma/migrations');
    expect(appliedTotal).toBe(all.length);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1');
    await client.end();
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
