import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '@/lib/db-client';
import { AppError, asAppError, isDatabaseUnavailable, toPublicError, UNAVAILABLE_MESSAGE_TEXT } from '@/lib/errors';

/**
 * Issue #13 item 9: a database outage is not a bug. Whatever `pg` or Prisma (through its driver adapter) throws when
 * the server cannot be reached becomes UNAVAILABLE (503) with a message saying nothing was saved, so a form keeps its
 * input and shows that, instead of the generic "something went wrong". The errors here are the real ones, from a
 * port nobody listens on; a shut-down server (57P01) and a failing input (22021) are checked by their SQLSTATEs.
 */

/** A loopback port with nothing behind it: bound, then closed again. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function thrownBy(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('a database that cannot be reached', () => {
  it('is UNAVAILABLE when pg is refused a connection', async () => {
    const pool = createPool(`postgresql://postgres@127.0.0.1:${await deadPort()}/gatehouse`);
    closers.push(() => pool.end());
    const error = await thrownBy(() => pool.query('SELECT 1'));
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(asAppError(error)?.code).toBe('UNAVAILABLE');
  });

  it('is UNAVAILABLE when Prisma cannot reach the server, and answers 503 with a message saying nothing was saved', async () => {
    const db = createDb(`postgresql://postgres@127.0.0.1:${await deadPort()}/gatehouse`);
    closers.push(() => db.$disconnect());
    const raw = await thrownBy(() => db.$queryRaw`SELECT 1`);
    const model = await thrownBy(() => db.user.findFirst());
    for (const error of [raw, model]) {
      expect(isDatabaseUnavailable(error)).toBe(true);
      const known = asAppError(error);
      expect(known).toBeInstanceOf(AppError);
      expect(known?.status).toBe(503);
      expect(toPublicError(error, 'req-1')).toEqual({ code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE_TEXT, requestId: 'req-1' });
    }
  });

  it('is UNAVAILABLE for a server shutting down and a pool timeout, and nothing else', () => {
    // SQLSTATE 57P01 admin_shutdown is what a session gets when the server is stopped under it
    // (https://www.postgresql.org/docs/15/errcodes-appendix.html); pg's pool says "timeout exceeded when trying to connect".
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    const dropped = new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') });
    expect([shutdown, poolTimeout, dropped].map(isDatabaseUnavailable)).toEqual([true, true, true]);

    const nul = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect([nul, unique, bug].map(isDatabaseUnavailable)).toEqual([false, false, false]);
    expect(asAppError(nul)?.code).toBe('BAD_INPUT');
    expect(asAppError(bug)).toBeNull();
  });
});
