import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('20261202070000 removes role assignments of non-members with an audit event each, then refuses new ones', async () => {
    const FK = '20261202070000_assignment_membership_fk';
    const url = await freshDatabase();
    // The database as it was before the foreign key: every earlier migration, from a copy of the folder.
    const before = await mkdtemp(path.join(tmpdir(), 'gatehouse-mig-'));
    try {
      for (const m of await listMigrations('prisma/migrations')) {
        if (m.name >= FK) break;
        await cp(path.join('prisma/migrations', m.name), path.join(before, m.name), { recursive: true });
      }
      await migrate(url, { dir: before });
    } finally {
      await rm(before, { recursive: true, force: true });
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const one = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0];
      const org = await one(`INSERT INTO orgs (id, slug, name) VALUES (gen_random_uuid(), 'mig-org', 'Mig org') RETURNING id`);
      const role = await one(`INSERT INTO roles (id, key, name) VALUES (gen_random_uuid(), 'mig-role', 'Mig role') RETURNING id`);
      const member = await one(`INSERT INTO users (id, sub, email) VALUES (gen_random_uuid(), 'auth0|mig-member', 'member@example.test') RETURNING id`);
      const gone = await one(`INSERT INTO users (id, sub, email) VALUES (gen_random_uuid(), 'auth0|mig-gone', 'gone@example.test') RETURNING id`);
      await client.query(`INSERT INTO memberships (id, org_id, user_id, tier) VALUES (gen_random_uuid(), $1, $2, 'EMPLOYEE')`, [org.id, member.id]);
      const kept = await one(`INSERT INTO role_assignments (id, role_id, user_id, org_id) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`, [role.id, member.id, org.id]);
      const global = await one(`INSERT INTO role_assignments (id, role_id, user_id, org_id) VALUES (gen_random_uuid(), $1, $2, NULL) RETURNING id`, [role.id, gone.id]);
      // What a grant that raced the member's removal left behind: a role in an org the user is not a member of.
      const orphan = await one(`INSERT INTO role_assignments (id, role_id, user_id, org_id) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`, [role.id, gone.id, org.id]);

      const result = await migrate(url);
      expect(result.applied[0]).toBe(FK);
      const ids = (await client.query(`SELECT id FROM role_assignments ORDER BY id`)).rows.map((r) => r.id);
      expect(ids.sort()).toEqual([kept.id, global.id].sort());
      const events = (await client.query(`SELECT actor_type, org_id, action, target_id, before, after FROM audit_events WHERE action = 'assignment.deleted'`)).rows;
      expect(events).toEqual([
        {
          actor_type: 'system',
          org_id: org.id,
          action: 'assignment.deleted',
          target_id: orphan.id,
          before: { role: 'mig-role', subject: { type: 'user', id: gone.id, email: 'gone@example.test' }, org: 'mig-org', expiresAt: null },
          after: { reason: 'orphan: the user is not a member of the org' },
        },
      ]);
      // From now on the database itself refuses an org role without the membership, and removing the membership
      // removes its roles.
      const refused = await client.query(`INSERT INTO role_assignments (id, role_id, user_id, org_id) VALUES (gen_random_uuid(), $1, $2, $3)`, [role.id, gone.id, org.id]).catch((e) => e);
      expect(refused.code).toBe('23503');
      await client.query(`DELETE FROM memberships WHERE org_id = $1 AND user_id = $2`, [org.id, member.id]);
      expect((await client.query(`SELECT id FROM role_assignments WHERE id = $1`, [kept.id])).rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
