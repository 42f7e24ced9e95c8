import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { db } from '@/lib/db';
import { applyNextBatch } from '@/lib/provisioning/import/jobs';
import { randomSuffix } from '@/prisma/factories';
import { call, insertApiKey, seedWorld, type World } from '@/tests/decision-api-fixtures';
import { createDecisionServer, type DecisionServer } from './server';

/**
 * POST /api/v1/imports and GET /api/v1/imports/{id} (scope `import`), through the decision API's own handler, and
 * the decision API obeying imported people within a second of their batch's commit.
 */

let server: DecisionServer;
let w: World;
let importKey: string;
let checkKey: string;

beforeAll(async () => {
  // No queue: the test applies the batches itself, so it knows when each one commits.
  server = createDecisionServer({ databaseUrl: inject('databaseUrl'), importQueue: null, snapshot: { pollIntervalMs: 100 } });
  await server.ready();
  w = await seedWorld();
  importKey = (await insertApiKey(['import'])).key;
  checkKey = (await insertApiKey(['check'])).key;
  await server.snapshot.refresh();
});

afterAll(async () => {
  await server?.close();
});

const upload = (csv: string, query = '', key = importKey) =>
  call(server, `/imports${query}`, { key, rawBody: csv, headers: { 'content-type': 'text/csv' } });
const status = (id: string, query = '', key = importKey) => call(server, `/imports/${id}${query}`, { key, method: 'GET' });

describe('POST /api/v1/imports', () => {
  it('plans a file (dry run), runs it, and the decision API obeys each batch within a second of its commit', async () => {
    const s = randomSuffix();
    const people = Array.from({ length: 6 }, (_, i) => `api${i}-${s}@example.test`);
    const csv = `email,name,org,tier,roles\n${people.map((e) => `${e},,${w.orgA.slug},employee,${w.portal.key}`).join('\n')}\nbad,,${w.orgA.slug},,\n`;
    const planned = await upload(csv, '?name=people.csv');
    expect(planned.status).toBe(201);
    const job = (planned.body as { job: { id: string; status: string; plan: Record<string, number> } }).job;
    expect(job).toMatchObject({ status: 'PLANNED', plan: { rows: 7, create: 6, error: 1, newUsers: 6, roleGrants: 6 } });
    expect(await db.user.count({ where: { email: { in: people } } })).toBe(0);

    const report = await status(job.id, '?errors=true');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ rows: [{ row: 8, outcome: 'error', message: 'email: "bad" is not an email address.' }], nextAfter: null });

    // Run: a second upload with run=true queues the same file; batches of 3 are applied here, one at a time.
    const queued = await upload(csv, '?name=people.csv&run=true');
    const runId = (queued.body as { job: { id: string; status: string } }).job.id;
    expect((queued.body as { job: { status: string } }).job.status).toBe('QUEUED');
    const checkPortal = (email: string) =>
      call(server, '/check', {
        key: checkKey,
        body: { subject: { type: 'user', sub: `import|${email}` }, organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } },
      });
    for (const batch of [people.slice(0, 3), people.slice(3, 6)]) {
      const committed = Date.now();
      await applyNextBatch(db, runId, 3);
      for (;;) {
        const answers = await Promise.all(batch.map(checkPortal));
        if (answers.every((a) => a.status === 200 && (a.body as { allow: boolean }).allow)) break;
        expect(Date.now() - committed, 'the decision API obeys the batch within a second').toBeLessThan(1_000);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await applyNextBatch(db, runId, 3);
    const done = await status(runId);
    expect(done.body).toMatchObject({ job: { status: 'SUCCEEDED', done: 7, total: 7, applied: { newUsers: 6, roleGrants: 6, error: 1 } } });

    // The same file again: all unchanged.
    const again = await upload(csv, '?name=people.csv');
    expect((again.body as { job: { plan: Record<string, number> } }).job.plan).toMatchObject({ create: 0, update: 0, unchanged: 6, error: 1 });
  });

  it('refuses bad files with row and column, and a key without the import scope, changing nothing', async () => {
    const before = await db.job.count();
    expect(await upload('email,org\na@example.test,"acme\n')).toMatchObject({ status: 400, body: { error: { code: 'BAD_INPUT', message: expect.stringMatching(/^Row 2, column org: a quoted cell is not closed/) } } });
    expect(await upload('email,team\n')).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('Row 1: unknown column "team"') } } });
    expect(await upload('email,org\n', '?run=maybe')).toMatchObject({ status: 400 });
    expect(await upload('email,org\nx@example.test,a\n', '', checkKey)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await upload('email,org\nx@example.test,a\n', '', 'gh_nope')).toMatchObject({ status: 401 });
    expect(await status('00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404 });
    expect(await status('not-a-uuid')).toMatchObject({ status: 404 });
    expect(await call(server, '/imports/00000000-0000-4000-8000-000000000000', { key: importKey, method: 'DELETE' })).toMatchObject({ status: 405 });
    expect(await db.job.count()).toBe(before);
  });

  it('fuzz: random bytes and malformed CSV bodies get a 201 plan or a 4xx, never a 5xx, and write no person', async () => {
    const usersBefore = await db.user.count({ where: { email: { contains: '@fuzz.test' } } });
    const cell = fc.constantFrom('"', ',', '\n', '\r\n', '=1+1', 'x@fuzz.test', w.orgA.slug, 'owner', ';', '\u0000', '\uFFFD', 'é');
    const body = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.array(cell, { maxLength: 30 }).map((c) => `email,org,tier\n${c.join('')}`),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const answer = await upload(text);
        expect(answer.status === 201 || (answer.status >= 400 && answer.status < 500), `${answer.status} for ${JSON.stringify(text)}`).toBe(true);
      }),
      { numRuns: 120, seed: 15 },
    );
    expect(await db.user.count({ where: { email: { contains: '@fuzz.test' } } })).toBe(usersBefore);
  });
});
