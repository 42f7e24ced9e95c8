// Generates the Prisma client (lib/generated/prisma, not committed) when it is missing or older than the schema, so
// every npm script works on a fresh clone after `npm ci` (package.json runs this before the scripts that need it).
// Plain Node and no dependencies: it may run before anything else is ready.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PRISMA_CLIENT = 'lib/generated/prisma/client.ts';
const SCHEMA = 'prisma/schema.prisma';

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

/** Generates the client when needed (or always, with `force`); true when it did. */
export function ensurePrismaClient({ force = false } = {}) {
  if (!force && existsSync(PRISMA_CLIENT) && mtime(PRISMA_CLIENT) >= mtime(SCHEMA)) return false;
  console.log('› generating the Prisma client…');
  // Generating needs no database and no engine download: the schema engine is never run.
  execSync('npx prisma generate', {
    stdio: 'inherit',
    env: { ...process.env, PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (!existsSync(PRISMA_CLIENT)) throw new Error(`prisma generate did not write ${PRISMA_CLIENT}`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensurePrismaClient();
  } catch (error) {
    console.error(`Could not generate the Prisma client: ${error.message}`);
    process.exit(1);
  }
}
