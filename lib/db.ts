import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client.ts';

/**
 * The Prisma client (driver adapter over `pg`). One per process; Next's dev server reloads modules, so the
 * instance is kept on globalThis to avoid opening a new pool on every edit.
 */
export type Db = InstanceType<typeof PrismaClient>;

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}

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

export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
