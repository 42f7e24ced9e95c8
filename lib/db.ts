import { createDb, type Db } from './db-client';

export { createDb, createPool, type Db, type Tx } from './db-client';

/**
 * The console's process-wide Prisma client. Next's dev server reloads modules, so the instance is kept on globalThis
 * to avoid opening a new pool on every edit. Code shared with the other processes (lib/provisioning, lib/access,
 * lib/decision-api) takes a handle from lib/db-client.ts instead of importing this.
 */
const globalForDb = globalThis as unknown as { __gatehouseDb?: Db };

export function getDb(): Db {
  if (!globalForDb.__gatehouseDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (the launcher sets it; see README)');
    globalForDb.__gatehouseDb = createDb(url);
  }
  return globalForDb.__gatehouseDb;
}

/** The process-wide client, created lazily so importing this module never opens a connection. */
export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const real = getDb() as unknown as Record<string | symbol, unknown>;
    const value = real[prop];
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});
