/**
 * bench:matrix — server time of access-matrix pages on a production build (`next start`) over the large dataset
 * (scripts/seed-large.ts: 1,000 orgs, 100,000 users, 300,000 memberships, 50 applications, 200 roles).
 * Prints the median of several runs of: the platform matrix's first page, a filtered page (org + role + text),
 * the last-sign-in order, a deep page (cursor), and an org's own matrix. Server time is the route's Server-Timing
 * figure (rows, facts and decisions); wall time adds HTTP and JSON. Target: first page under 150 ms.
 *
 * Then the grid itself in Chromium (issue #16: "usable at 100,000 rows, virtualized rows load as focus moves"): a
 * superadmin opens the platform matrix over all 100,000+ people, puts focus on the first cell and walks down by
 * keyboard (Page Down) to row BENCH_MATRIX_WALK_ROWS (default 5,000), pages loading as focus nears the end of what is
 * loaded. Printed: the time from each key press to focus landing on the new cell (median, p95, max; the first and the
 * last 50 presses side by side, so a grid that slows as rows pile up shows it), the most rows the DOM ever held, the
 * page's JS heap at the start and the end, then Enter / Escape at the deepest row (the dialog opens and focus comes
 * back to the same cell) and Ctrl+Home back to the top.
 * Run: npm run bench:matrix (builds first if there is no production build; needs Debian's chromium). Seeds
 * gatehouse_bench_matrix, or reuses it when BENCH_REUSE_DB=1 and it is already seeded; BENCH_KEEP_DB=1 keeps it.
 */
import { chromium, type Page } from '@playwright/test';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { migrate } from '@/lib/migrate';
import { dropDatabase, ensureDatabase } from '@/tests/test-db';
import { seedLarge } from '../seed-large';
import { CookieJar, ensureProductionBuild, startBenchConsole, type BenchConsole } from './console-server';

const DB = 'gatehouse_bench_matrix';
const PORT = Number(process.env.BENCH_PORT ?? 3600);
const RUNS = 9;
/** How far the keyboard walk goes down the grid. */
const WALK_ROWS = Number(process.env.BENCH_MATRIX_WALK_ROWS ?? 5_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;

async function main() {
  ensureProductionBuild();
  const reuse = process.env.BENCH_REUSE_DB === '1';
  if (!reuse) await dropDatabase(DB);
  const url = await ensureDatabase(DB);
  await migrate(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const seeded = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE sub LIKE 'auth0|large-%'`)).rows[0]!.n > 0;
  if (!(reuse && seeded)) {
    console.log('seeding the large dataset…');
    await seedLarge(url, (s) => console.log(s));
  }
  await c.query(`DELETE FROM users WHERE sub = 'auth0|bench-superadmin'`);
  const superadmin = (
    await c.query<{ id: string; sub: string; email: string }>(
      `INSERT INTO users (id, sub, email, name, email_verified, platform_role) VALUES (gen_random_uuid(), 'auth0|bench-superadmin', 'bench@gatehouse.test', 'Bench Superadmin', true, 'SUPERADMIN') RETURNING id, sub, email`,
    )
  ).rows[0]!;
  const owner = (
    await c.query<{ sub: string; email: string; slug: string; members: number }>(
      `SELECT u.sub, u.email, o.slug, (SELECT count(*)::int FROM memberships x WHERE x.org_id = o.id) AS members
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id WHERE m.tier = 'OWNER' ORDER BY o.slug LIMIT 1`,
    )
  ).rows[0]!;
  // A role some members of that org hold there, so the filtered page has rows.
  const role = (
    await c.query<{ id: string }>(
      `SELECT a.role_id AS id FROM role_assignments a JOIN orgs o ON o.id = a.org_id WHERE o.slug = $1 AND a.user_id IS NOT NULL
       GROUP BY a.role_id ORDER BY count(*) DESC LIMIT 1`,
      [owner.slug],
    )
  ).rows[0]!;
  const people = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`)).rows[0]!.n;
  await c.end();

  let server: BenchConsole | undefined;
  try {
    server = await startBenchConsole(url, PORT);
    const { base } = server;
    const adminCookie = await server.cookieFor(superadmin);
    const ownerCookie = await server.cookieFor(owner);

    const [adminJar, ownerJar] = [new CookieJar(adminCookie), new CookieJar(ownerCookie)];
    async function measure(label: string, path: string, jar: CookieJar) {
      const serverTimes: number[] = [];
      const wall: number[] = [];
      let rows = 0;
      let cursor: string | null = null;
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { cookie: jar.header() } });
        jar.update(res);
        const body = (await res.json()) as { rows?: unknown[]; nextCursor?: string | null; error?: { message: string } };
        if (!res.ok) throw new Error(`${label}: HTTP ${res.status} ${body.error?.message}`);
        if (i === 0) continue; // the first request warms the route and the plans
        wall.push(performance.now() - t);
        serverTimes.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]));
        rows = body.rows?.length ?? 0;
        cursor = body.nextCursor ?? null;
      }
      console.log(`${label.padEnd(58)} server ${median(serverTimes).toFixed(1).padStart(6)} ms   wall ${median(wall).toFixed(1).padStart(6)} ms   (${rows} rows × columns, median of ${RUNS})`);
      return cursor;
    }

    console.log(`\nbench:matrix on a production build, ${new Date().toISOString()}`);
    const cursor = await measure('platform matrix, first page (50 rows, all users)', '/platform/matrix/rows', adminJar);
    await measure('platform matrix, first page by last sign-in', '/platform/matrix/rows?sort=last_sign_in', adminJar);
    await measure('platform matrix, second page (cursor)', `/platform/matrix/rows?cursor=${cursor}`, adminJar);
    await measure('platform matrix, deep text filter ("user9999")', '/platform/matrix/rows?q=user9999', adminJar);
    await measure(`platform matrix, filtered (org ${owner.slug} + role + text)`, `/platform/matrix/rows?org=${owner.slug}&role=${role.id}&q=user`, adminJar);
    await measure('platform matrix, M2M clients by API', '/platform/matrix/rows?subjects=clients', adminJar);
    await measure(`org matrix, first page (${owner.members} members)`, `/orgs/${owner.slug}/access/rows`, ownerJar);
    console.log('\ntarget: platform matrix first page under 150 ms (server)');

    await walkTheGrid(base, adminCookie, people);
  } finally {
    await server?.stop();
    if (!process.env.BENCH_KEEP_DB && !reuse) await dropDatabase(DB);
  }
}

/** The keyboard walk down the platform matrix in Chromium (see the header). Throws when the grid stops working. */
async function walkTheGrid(base: string, cookie: string, people: number) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const [name, ...value] = cookie.split('=');
    await context.addCookies([{ name: name!, value: value.join('='), url: base, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1024 / 1024;
    };
    const res = await page.goto(`${base}/platform/matrix`);
    if (res?.status() !== 200) throw new Error(`the platform matrix answered HTTP ${res?.status()}`);
    await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    const first = page.locator('[data-pos="0:1"]');
    await first.focus();
    const heapStart = await heapMb();
    const focusedRow = (p: Page) => p.evaluate(() => Number((document.activeElement as HTMLElement | null)?.dataset.pos?.split(':')[0] ?? -1));
    const domRows = (p: Page) => p.evaluate(() => document.querySelectorAll('[data-matrix-row]').length);

    console.log(`\nthe grid in Chromium: platform matrix over ${people.toLocaleString('en')} people, Page Down from row 1 to row ${WALK_ROWS.toLocaleString('en')}`);
    const presses: number[] = [];
    let row = 0;
    let maxDomRows = await domRows(page);
    const walkStart = performance.now();
    while (row < WALK_ROWS - 1) {
      const t = performance.now();
      await page.keyboard.press('PageDown');
      // Focus lands on a lower row at once, or (at the end of what is loaded) once the next page has arrived.
      await page.waitForFunction(
        (prev) => Number((document.activeElement as HTMLElement | null)?.dataset.pos?.split(':')[0] ?? -1) > prev,
        row,
        { timeout: 30_000, polling: 'raf' },
      ).catch(async () => {
        const status = await page.getByText(/rows? loaded/).textContent();
        throw new Error(`focus did not move down from row ${row + 1} within 30 s (it is on ${(await focusedRow(page)) + 1}; the grid says: ${status})`);
      });
      presses.push(performance.now() - t);
      row = await focusedRow(page);
      if (presses.length % 25 === 0) maxDomRows = Math.max(maxDomRows, await domRows(page));
    }
    const walkSeconds = (performance.now() - walkStart) / 1000;
    maxDomRows = Math.max(maxDomRows, await domRows(page));
    const heapEnd = await heapMb();
    const loaded = Number(/(\d+) rows? loaded/.exec((await page.getByText(/rows? loaded/).textContent()) ?? '')?.[1] ?? NaN);
    const head = presses.slice(0, 50);
    const tail = presses.slice(-50);
    console.log(`${presses.length} presses in ${walkSeconds.toFixed(1)} s; focus on row ${(row + 1).toLocaleString('en')}; ${loaded.toLocaleString('en')} rows loaded`);
    console.log(`key press → focus on the new cell   all: median ${ms(median(presses))}  p95 ${ms(pct(presses, 0.95))}  max ${ms(Math.max(...presses))}`);
    console.log(`                                first 50: median ${ms(median(head))}  p95 ${ms(pct(head, 0.95))}`);
    console.log(`                                 last 50: median ${ms(median(tail))}  p95 ${ms(pct(tail, 0.95))}`);
    console.log(`rows in the DOM at most: ${maxDomRows} (of ${loaded.toLocaleString('en')} loaded)`);
    console.log(`page JS heap: ${heapStart.toFixed(1)} MB at row 1, ${heapEnd.toFixed(1)} MB at row ${(row + 1).toLocaleString('en')}`);

    // Enter opens the deepest cell's dialog; Escape closes it and focus is back on that cell.
    const before = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.pos);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForFunction((pos) => (document.activeElement as HTMLElement | null)?.dataset.pos === pos, before, { timeout: 10_000 });
    const t = performance.now();
    await page.keyboard.press('Control+Home');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.pos === '0:0', undefined, { timeout: 10_000 });
    console.log(`at the last cell reached (${before}, row:column from 0): Enter opened its dialog, Escape returned focus to it; Ctrl+Home reached the first row in ${(performance.now() - t).toFixed(0)} ms`);
    if (maxDomRows > 80) throw new Error(`the DOM held ${maxDomRows} rows: the grid is not virtualized`);
  } finally {
    await browser.close();
  }
}

main().catch((e: Error) => {
  console.error(`bench:matrix failed: ${e.message}`);
  process.exit(1);
});
