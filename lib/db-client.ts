import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '@/lib/generated/prisma/client.ts';

/**
 * Database handles without any process-wide state, for every process: the console (through lib/db.ts), the decision
 * API and scripts. Framework-free code (lib/provisioning, lib/access, lib/decision-api) takes one of these as an
 * argument and never reaches for a global client.
 */

/** A Prisma client (driver adapter over `pg`). */
export type Db = InstanceType<typeof PrismaClient>;

/** The client a Prisma interactive transaction hands its callback. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** How many connections a pool opens at most, unless the caller says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** The one way Gatehouse configures a `pg` pool. */
export function createPool(connectionString: string, options: { max?: number } = {}): pg.Pool {
  return new pg.Pool({ connectionString, max: options.max ?? DEFAULT_POOL_SIZE });
}

/**
 * A Prisma client over a new pool for `connectionString` (closed by `$disconnect`), or over an existing pool that the
 * caller shares with plain `pg` queries and closes itself.
 */
export function createDb(source: string | pg.Pool, options: { max?: number } = {}): Db {
  const adapter =
    typeof source === 'string' ? new PrismaPg(createPool(source, options), { disposeExternalPool: true }) : new PrismaPg(source);
  return new PrismaClient({ adapter });
}
