import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { API_KEY_SCOPES } from '@/lib/access/api-key-scopes';
import { db } from '@/lib/db';
import { DECISION_API_RESPONSE_SCHEMAS } from '@/lib/schemas/decision-api';
import { call, insertApiKey, seedWorld } from '@/tests/decision-api-fixtures';
import { buildOpenApiDocument } from './openapi';
import { createDecisionServer, type DecisionServer } from './server';

/**
 * Issue #12 item 7: every operation of the OpenAPI document is fuzzed from the document itself (a small JSON Schema
 * generator below), so a new operation is fuzzed without new code. Each request body is a schema-shaped value with
 * one defect (a field dropped, added, of the wrong type, huge, with control or bidi characters, a forged id) or
 * arbitrary JSON; every answer must be a documented status with a body matching the documented schema, never a 5xx,
 * and a refused request changes no row of the subjects it names. Seeded and bounded; figures are printed per operation.
 */

type Schema = { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; maxLength?: number; minItems?: number; maxItems?: number };
type Operation = { requestBody?: { content: { 'application/json'?: { schema: Schema } } }; responses: Record<string, { content?: { 'application/json'?: { schema: Schema } } }> };

const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
const SEED = 20261202;
const RUNS = 40;

function shaped(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return shaped(doc.components.schemas[schema.$ref.split('/').pop()!]!, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((s) => shaped(s, depth)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' && depth < 4) {
    const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, shaped(s, depth + 1)]));
    return fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
  }
  if (type === 'array' && schema.items) return fc.array(shaped(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
  if (type === 'integer' || type === 'number') return fc.integer();
  if (type === 'boolean') return fc.boolean();
  return fc.string({ maxLength: 20 });
}

const nasty = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', 'x\r\nSet-Cookie: a=1', '\u202Egnp.exe', 'a\u200Bb', '\uFEFF', '\uD800', "'; DROP TABLE users; --", '00000000-0000-0000-0000-000000000000', 'gh_forged_key'),
  fc.string({ minLength: 5000, maxLength: 70_000 }).map((s) => s.slice(0, 70_000)),
  fc.constant('x'.repeat(300_000)),
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 2 }),
);

/** A schema-shaped body with one defect, or arbitrary JSON. */
function malformed(schema: Schema): fc.Arbitrary<unknown> {
  const base = shaped(schema);
  const withDefect = fc.tuple(base, fc.nat(), nasty, fc.constantFrom('drop', 'add', 'replace')).map(([value, n, bad, how]) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return bad;
    const obj = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(obj);
    if (how === 'add' || keys.length === 0) obj[`extra${n % 5}`] = bad;
    else if (how === 'drop') delete obj[keys[n % keys.length]!];
    else obj[keys[n % keys.length]!] = bad;
    return obj;
  });
  return fc.oneof({ weight: 4, arbitrary: withDefect }, { weight: 1, arbitrary: fc.jsonValue() }, { weight: 1, arbitrary: base });
}

function responseSchema(id: string): z.ZodType | undefined {
  return DECISION_API_RESPONSE_SCHEMAS.find((s) => z.globalRegistry.get(s)?.id === id);
}

/** Every string in a value (the ids a request could name). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length <= 1000 && !value.includes('\u0000') && !/[\uD800-\uDFFF]/.test(value)) out.push(value);
  } else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/**
 * The rows a request could have written: users it names (by sub or email) and their memberships and assignments.
 * Scoped to the request's own ids so other test files writing to the shared database at the same time do not count.
 */
const rowCounts = async (value: unknown) => {
  const ids = stringsIn(value);
  return JSON.stringify(
    await db.$queryRaw`WITH u AS (SELECT id FROM users WHERE sub = ANY(${ids}::text[]) OR email = ANY(${ids}::text[]))
      SELECT (SELECT count(*) FROM u)::int AS users, (SELECT count(*) FROM memberships WHERE user_id IN (SELECT id FROM u))::int AS memberships,
        (SELECT count(*) FROM role_assignments WHERE user_id IN (SELECT id FROM u))::int AS assignments`,
  );
};

let server: DecisionServer;
let key: string;

beforeAll(async () => {
  server = createDecisionServer({ databaseUrl: inject('databaseUrl') });
  await server.ready();
  await seedWorld();
  key = (await insertApiKey(API_KEY_SCOPES)).key;
  await server.snapshot.refresh();
});

afterAll(async () => {
  await server?.close();
});

describe('the decision API under generated malformed requests, from its OpenAPI document', () => {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it('lists operations to fuzz', () => {
    expect(operations.filter((o) => o.op.requestBody).length).toBeGreaterThanOrEqual(4);
  });

  for (const { path, method, op } of operations) {
    // JSON bodies only: POST /imports takes a file (text/csv), fuzzed with random bytes in imports.int.test.ts.
    const body = op.requestBody?.content['application/json']?.schema;
    if (!body) continue;
    it(`${method.toUpperCase()} ${path}: only documented answers, no 5xx, no row changed by a refusal`, async () => {
      const figures = { tried: 0, fiveXx: 0, undocumented: 0, badBody: 0, rowsChanged: 0 };
      const problems: string[] = [];
      await fc.assert(
        fc.asyncProperty(malformed(body), async (value) => {
          const before = await rowCounts(value);
          const answer = await call(server, path.replace(/^\/api\/v1/, ''), { key, method: method.toUpperCase() as 'POST', body: value });
          figures.tried++;
          if (answer.status >= 500) figures.fiveXx++;
          const documented = op.responses[String(answer.status)];
          if (!documented) figures.undocumented++;
          const ref = documented?.content?.['application/json']?.schema.$ref?.split('/').pop();
          const zodSchema = ref ? responseSchema(ref) : undefined;
          if (ref && !zodSchema?.safeParse(answer.body).success) figures.badBody++;
          if (answer.status >= 400 && (await rowCounts(value)) !== before) figures.rowsChanged++;
          if (answer.status >= 500 || !documented || (ref && !zodSchema?.safeParse(answer.body).success)) {
            problems.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)} for ${JSON.stringify(value)?.slice(0, 200)}`);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      console.log(`fuzz ${method.toUpperCase()} ${path}: inputs ${figures.tried}, 5xx ${figures.fiveXx}, undocumented ${figures.undocumented}, bad bodies ${figures.badBody}, rows changed by refusals ${figures.rowsChanged}`);
      expect(problems).toEqual([]);
      expect(figures).toMatchObject({ fiveXx: 0, undocumented: 0, badBody: 0, rowsChanged: 0 });
    });
  }
});
