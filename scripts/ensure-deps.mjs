// Installs npm packages and generates the Prisma client when they are missing or stale, so the README's two
// commands work on a fresh clone. Plain Node: it runs before any dependency exists.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ensurePrismaClient } from './ensure-prisma-client.mjs';

const run = (cmd, env = {}) => execSync(cmd, { stdio: 'inherit', env: { ...process.env, ...env } });
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const stamp = '.deps-stamp';
const lock = readFileSync('package-lock.json', 'utf8');
// Installed by this script (its stamp), or by a plain `npm ci` / `npm install` since the lock file last changed (npm
// writes node_modules/.package-lock.json after every install).
const installed =
  (existsSync(stamp) && existsSync('node_modules') && readFileSync(stamp, 'utf8') === String(lock.length) + ':' + mtime('package-lock.json')) ||
  mtime('node_modules/.package-lock.json') >= mtime('package-lock.json');
if (!installed) {
  console.log('› installing npm packages (npm ci)…');
  run('npm ci --no-audit --no-fund --loglevel=error');
  writeFileSync(stamp, String(lock.length) + ':' + mtime('package-lock.json'));
}

// Fresh packages may be a new Prisma version: generate again then.
ensurePrismaClient({ force: !installed });
