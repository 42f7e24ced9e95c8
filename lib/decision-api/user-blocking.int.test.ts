import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { setUserBlocked } from '@/lib/data/platform-users';
import { call, insertApiKey, seedWorld } from '@/tests/decision-api-fixtures';
import { platformUser } from '@/tests/platform-contexts';
import { createDecisionServer, type DecisionServer } from './server';

/**
 * Blocking a user in the platform console (setUserBlocked, the one way) is obeyed by a running decision API within a
 * second: /api/v1/check is asked every 20 ms from the start of the block until it answers `user_blocked`, and again
 * after unblocking until the user is allowed back.
 */

const BOUND_MS = 1000;
let server: DecisionServer;
let checkKey: string;

beforeAll(async () => {
  server = createDecisionServer({ databaseUrl: inject('databaseUrl') });
  await server.ready();
  checkKey = (await insertApiKey(['check'])).key;
});

afterAll(async () => {
  await server?.close();
});

async function until(predicate: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 3 * BOUND_MS) {
    if (await predicate()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Infinity;
}

describe('a blocked user is denied by the decision API within a second', () => {
  it('user_blocked after setUserBlocked, allowed again after unblocking', async () => {
    const w = await seedWorld();
    const { ctx } = await platformUser('SUPERADMIN', { rowRole: 'STAFF' });
    await server.snapshot.refresh();
    const body = { subject: { type: 'user', sub: w.alice.sub }, organization: w.orgA.slug, target: { type: 'application', clientId: w.portalApp.clientId } };
    const check = async () => (await call(server, '/check', { key: checkKey, body })).body as { allow: boolean; reason: { code: string } };
    expect(await check()).toMatchObject({ allow: true });

    // Measured from the start of the block's transaction to the first answer that obeys it.
    const started = performance.now();
    await setUserBlocked(ctx, { userId: w.alice.id, blocked: true });
    const writeMs = performance.now() - started;
    const elapsed = writeMs + (await until(async () => (await check()).reason.code === 'user_blocked'));
    console.log(`block → user_blocked: ${Math.round(elapsed)} ms (bound ${BOUND_MS} ms)`);
    expect(elapsed).toBeLessThan(BOUND_MS);
    expect(await check()).toMatchObject({ allow: false, reason: { code: 'user_blocked' } });

    await setUserBlocked(ctx, { userId: w.alice.id, blocked: false });
    const backMs = await until(async () => (await check()).allow === true);
    console.log(`unblock → allowed: ${Math.round(backMs)} ms`);
    expect(backMs).toBeLessThan(BOUND_MS);
  });
});
