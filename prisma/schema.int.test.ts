import { readFile } from 'node:fs/promises';
import { getDMMF } from '@prisma/internals';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * Proves schema.prisma and the SQL migrations describe the same database: tables, columns, types, nullability,
 * primary keys, unique keys, foreign keys and enums. Runs against the migrated test database.
 */
type Dmmf = Awaited<ReturnType<typeof getDMMF>>;

const SCALAR_TO_UDT: Record<string, string> = {
  String: 'text',
  Int: 'int4',
  BigInt: 'int8',
  Boolean: 'bool',
  DateTime: 'timestamp',
  Json: 'jsonb',
  Float: 'float8',
  Decimal: 'numeric',
};
const NATIVE_TO_UDT: Record<string, string> = { Uuid: 'uuid', Timestamptz: 'timestamptz', Text: 'text', Date: 'date' };

let dmmf: Dmmf;
let client: pg.Client;
let extraUniques: string[];

beforeAll(async () => {
  dmmf = await getDMMF({ datamodel: await readFile('prisma/schema.prisma', 'utf8') });
  extraUniques = JSON.parse(await readFile('prisma/db-only-constraints.json', 'utf8')).uniqueIndexes;
  client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  return () => client.end();
});

const dbName = (model: { name: string; dbName: string | null }) => model.dbName ?? model.name;

describe('schema.prisma and the migrations agree', () => {
  it('on tables', async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(dmmf.datamodel.models.map(dbName).sort());
  });

  it('on columns, types and nullability', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table_name}.${r.column_name} ${r.udt_name} ${r.is_nullable === 'YES' ? 'null' : 'not null'}`).sort();
    const expected: string[] = [];
    for (const model of dmmf.datamodel.models) {
      for (const field of model.fields) {
        if (field.kind === 'object') continue;
        const native = field.nativeType?.[0];
        let udt = field.kind === 'enum' ? field.type : native ? NATIVE_TO_UDT[native] : SCALAR_TO_UDT[field.type];
        if (!udt) throw new Error(`no mapping for ${model.name}.${field.name} (${field.type}/${native})`);
        if (field.isList) udt = `_${udt}`;
        // Prisma lists are nullable columns in PostgreSQL.
        const nullable = !field.isRequired || field.isList;
        expected.push(`${dbName(model)}.${field.dbName ?? field.name} ${udt} ${nullable ? 'null' : 'not null'}`);
      }
    }
    expect(actual).toEqual(expected.sort());
  });

  it('on primary keys and unique keys', async () => {
    const { rows } = await client.query<{ table: string; index: string; columns: string[]; primary: boolean; partial: boolean }>(
      `SELECT t.relname AS table, i.relname AS index, ix.indisprimary AS primary, ix.indpred IS NOT NULL AS partial,
              array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
       FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_namespace ns ON ns.oid = t.relnamespace
       WHERE ns.nspname = 'public' AND ix.indisunique AND t.relname <> '_prisma_migrations'`,
    );
    const actual = rows.filter((r) => !extraUniques.includes(r.index)).map((r) => `${r.table}(${r.columns.join(',')})${r.primary ? ' pk' : ''}`).sort();
    // The database-only indexes must exist too.
    expect(rows.map((r) => r.index)).toEqual(expect.arrayContaining(extraUniques));

    const expected: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const col = (name: string) => model.fields.find((f) => f.name === name)?.dbName ?? name;
      const idField = model.fields.find((f) => f.isId);
      if (idField) expected.push(`${dbName(model)}(${idField.dbName ?? idField.name}) pk`);
      if (model.primaryKey) expected.push(`${dbName(model)}(${model.primaryKey.fields.map(col).join(',')}) pk`);
      for (const f of model.fields.filter((f) => f.isUnique)) expected.push(`${dbName(model)}(${f.dbName ?? f.name})`);
      for (const u of model.uniqueFields) expected.push(`${dbName(model)}(${u.map(col).join(',')})`);
    }
    expect(actual).toEqual(expected.sort());
  });

  it('on foreign keys and their delete rules', async () => {
    const { rows } = await client.query<{ def: string; table: string }>(
      `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    const actual = rows.map((r) => {
      const m = /FOREIGN KEY \((.+)\) REFERENCES (\w+)\((.+)\)(?: ON UPDATE (CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION))?(?: ON DELETE (CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION))?/.exec(r.def);
      if (!m) throw new Error(`unparsed ${r.def}`);
      return `${r.table}(${m[1]!.replace(/"/g, '')}) -> ${m[2]}(${m[3]}) on delete ${(m[5] ?? 'NO ACTION').toLowerCase()}`;
    });
    const expected: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const col = (name: string) => model.fields.find((f) => f.name === name)?.dbName ?? name;
      for (const f of model.fields) {
        if (f.kind !== 'object' || !f.relationFromFields?.length) continue;
        const target = dmmf.datamodel.models.find((m) => m.name === f.type)!;
        const tcol = (name: string) => target.fields.find((x) => x.name === name)?.dbName ?? name;
        const onDelete = { Cascade: 'cascade', SetNull: 'set null', Restrict: 'restrict', NoAction: 'no action' }[f.relationOnDelete ?? 'NoAction'] ?? 'no action';
        expected.push(
          `${dbName(model)}(${f.relationFromFields.map(col).join(', ')}) -> ${dbName(target)}(${f.relationToFields!.map(tcol).join(', ')}) on delete ${onDelete}`,
        );
      }
    }
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('on enums', async () => {
    const { rows } = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace ns ON ns.oid = t.typnamespace
       WHERE ns.nspname = 'public' GROUP BY t.typname ORDER BY 1`, // pg-boss keeps its own types in its schema
    );
    const expected = dmmf.datamodel.enums.map((e) => ({ name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) }));
    expect(rows).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });
});
