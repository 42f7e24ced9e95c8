/**
 * The production console the page benchmarks measure (bench:platform, bench:matrix, bench:profile, bench:compare):
 * `next start` on a port over a seeded database, with a CPU probe (the server's own CPU time over IPC, as
 * bench:decisions reads it) and signed-in sessions made directly in the session store (ADR 0008: sessions live in
 * PostgreSQL; the cookie carries only the SDK-encrypted { id }), so the identity provider is never contacted.
 */
import { generateSessionCookie } from '@auth0/nextjs-auth0/testing';
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createDb } from '@/lib/db-client';
import { assertPortFree, waitForHttp } from '@/lib/embedded/process';
import { createSessionStore } from '@/lib/session-store';

const CPU_PROBE = `process.on('message', (m) => { if (m === 'cpu') { const u = process.cpuUsage(); process.send({ cpu: u.user + u.system }); } });
if (process.channel) process.channel.unref();`;

/**
 * The cookies a browser sends back: the session cookie it was given, then whatever the server sets on the way (the
 * session's roll marker, lib/session-roll.ts). A client that never sent the marker back would have its session
 * rolled on every request, which no browser sees.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(initial: string) {
    for (const pair of initial.split(';')) this.put(pair);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Takes the response's Set-Cookie headers (a deleted cookie is one with an empty value or Max-Age=0). */
  update(res: Response): void {
    for (const set of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = set.split(';');
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.cookies.delete(pair.slice(0, pair.indexOf('=')).trim());
      else this.put(pair);
    }
  }

  private put(pair: string): void {
    const at = pair.indexOf('=');
    if (at <= 0) return;
    const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    if (value) this.cookies.set(name, value);
    else this.cookies.delete(name);
  }
}

/**
 * A page getter for one signed-in browser: sends the jar's cookies, keeps what the server sets, reads the whole body
 * (the page's last byte is what a benchmark times) and refuses anything but 200 (a redirect to sign-in would be fast).
 */
export function pageGetter(base: string, jar: CookieJar): (path: string) => Promise<string> {
  return async (p) => {
    const res = await fetch(`${base}${p}`, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.update(res);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${p}`);
    return body;
  };
}

/** A superadmin for a benchmark that reuses its database: made once, put back to superadmin on every later run. */
export async function upsertBenchSuperadmin(c: pg.Client, who: { sub: string; email: string; name: string }): Promise<{ sub: string; email: string }> {
  const r = await c.query<{ sub: string; email: string }>(
    `INSERT INTO users (id, sub, email, name, email_verified, platform_role) VALUES (gen_random_uuid(), $1, $2, $3, true, 'SUPERADMIN')
     ON CONFLICT (sub) DO UPDATE SET platform_role = 'SUPERADMIN', blocked_at = NULL RETURNING sub, email`,
    [who.sub, who.email, who.name],
  );
  return r.rows[0]!;
}

export interface BenchConsole {
  base: string;
  /** The server process's CPU time so far, in microseconds. */
  cpu(): Promise<number>;
  /** A `__session=…` cookie for a user (who must exist in the database with this sub). */
  cookieFor(user: { sub: string; email: string }): Promise<string>;
  stop(): Promise<void>;
}

/** What the console's build is made of (the generated Prisma client follows prisma/schema.prisma). */
const BUILD_INPUTS = ['app', 'components', 'lib', 'prisma/schema.prisma', 'proxy.ts', 'instrumentation.ts', 'instrumentation-client.ts', 'next.config.js', 'tsconfig.json', 'package-lock.json'];

/** The newest modification time (ms) among the files under `p`, and the file. */
function newestFile(p: string): { at: number; file: string } | null {
  if (!existsSync(p)) return null;
  const st = statSync(p);
  if (!st.isDirectory()) return { at: st.mtimeMs, file: p };
  let newest: { at: number; file: string } | null = null;
  for (const entry of readdirSync(p)) {
    if (entry === 'generated' || entry === 'node_modules') continue;
    const found = newestFile(path.join(p, entry));
    if (found && (!newest || found.at > newest.at)) newest = found;
  }
  return newest;
}

/**
 * A production build of this checkout: built when there is none, and again when a source file is newer than it (a
 * benchmark of a stale build measures code that is no longer there, and says nothing about it).
 */
export function ensureProductionBuild(): void {
  const built = existsSync('.next/BUILD_ID') ? statSync('.next/BUILD_ID').mtimeMs : null;
  const newest = BUILD_INPUTS.map(newestFile).reduce((a, b) => (b && (!a || b.at > a.at) ? b : a), null);
  if (built !== null && (!newest || newest.at <= built)) return;
  console.log(built === null ? 'no production build yet: running next build…' : `${newest!.file} is newer than the production build: running next build…`);
  execSync('npx next build', { stdio: 'inherit' });
}

export async function startBenchConsole(databaseUrl: string, port: number): Promise<BenchConsole> {
  await assertPortFree(port, 'benchmark server', 'BENCH_PORT');
  const base = `http://localhost:${port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-console-'));
  const probe = path.join(dir, 'cpu-probe.cjs');
  writeFileSync(probe, CPU_PROBE);
  const secret = randomBytes(32).toString('hex');
  const next: ChildProcess = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), '--require', probe, path.join('node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--port', String(port), '--hostname', 'localhost'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        DATABASE_URL: databaseUrl,
        APP_BASE_URL: base,
        AUTH0_DOMAIN: 'http://localhost:9',
        AUTH0_CLIENT_ID: 'gatehouse-bench',
        AUTH0_CLIENT_SECRET: randomBytes(16).toString('hex'),
        AUTH0_SECRET: secret,
        GATEHOUSE_ALLOW_LOOPBACK_IDP: 'true',
        SMTP_URL: 'smtp://127.0.0.1:9',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const sessionDb = createDb(databaseUrl, { max: 1 });
  const stop = async () => {
    await sessionDb.$disconnect().catch(() => undefined);
    if (next.exitCode === null) {
      next.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${base}/api/health`, 90_000, next);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    base,
    cpu: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server did not report its CPU time')), 10_000);
        next.once('message', (m: { cpu: number }) => {
          clearTimeout(timer);
          resolve(m.cpu);
        });
        next.send('cpu');
      }),
    async cookieFor(user) {
      const id = randomBytes(16).toString('hex');
      const now = Math.floor(Date.now() / 1000);
      await createSessionStore(sessionDb).set(id, {
        user: { sub: user.sub, email: user.email, email_verified: true },
        tokenSet: { accessToken: 'bench', expiresAt: now + 3600 },
        internal: { sid: `bench-${id}`, createdAt: now },
      });
      return `__session=${await generateSessionCookie({ id }, { secret })}`;
    },
    stop,
  };
}
