// Installs npm packages and generates the Prisma client when they are missing or stale, so the README's two
// commands work on a fresh clone. Plain Node: it runs before any dependency exists.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const run = (cmd, env = {}) => execSync(cmd, { stdio: 'inherit', env: { ...process.env, ...env } });
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const stamp = '.deps-stamp';
const lock = readFileSync('package-lock.json', 'utf8');
const installed = existsSync(stamp) && existsSync('node_modules') && readFileSync(stamp, 'utf8') === String(lock.length) + ':' + mtime('package-lock.json');
if (!installed) {
  console.log('› installing npm packages (npm ci)…');
  run('npm ci --no-audit --no-fund --loglevel=error');
  writeFileSync(stamp, String(lock.length) + ':' + mtime('package-lock.json'));
}

if (mtime('lib/generated/prisma/client.ts') < mtime('prisma/schema.prisma') || !installed) {
  console.log('› generating the Prisma client…');
  run('npx prisma generate', { PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' });
}
