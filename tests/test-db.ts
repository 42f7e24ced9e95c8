import pg from 'pg';

/**
 * Test databases live on this machine's PostgreSQL only. The guard refuses any other host, so a stray
 * DATABASE_URL can never point the tests at a real deployment.
 */
export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to run tests against ${host}: tests only use a PostgreSQL on this machine (localhost).`);
  }
}

export function databaseUrl(name: string, adminUrl = ADMIN_URL): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The maintenance database (`postgres`) of the server that `url` points at: same host, port and user. */
export function adminUrlFor(url: string): string {
  return databaseUrl('postgres', url);
}

/**
 * Creates the database if it does not exist yet (safe when several processes race), on the shared server or, with
 * `adminUrl`, on another local one (a private cluster of a test).
 */
export async function ensureDatabase(name: string, adminUrl = ADMIN_URL): Promise<string> {
  assertLocalDatabase(adminUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
  return databaseUrl(name, adminUrl);
}

/** Drops a database made for one test (only names starting with gatehouse_). */
export async function dropDatabase(name: string, adminUrl = ADMIN_URL): Promise<void> {
  if (!name.startsWith('gatehouse_')) throw new Error(`refusing to drop ${name}`);
  assertLocalDatabase(adminUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
