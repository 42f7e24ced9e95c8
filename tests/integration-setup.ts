import type { TestProject } from 'vitest/node';
import { migrate } from '@/lib/migrate';
import { assertLocalDatabase, ensureDatabase } from './test-db';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * Integration tests share one migrated database (`gatehouse_test`); each test makes its own rows with random names,
 * so they run in parallel and nothing is ever truncated.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? (await ensureDatabase('gatehouse_test'));
  assertLocalDatabase(url);
  await migrate(url);
  project.provide('databaseUrl', url);
}
