/**
 * bench:profile — where a console page's server time goes. Starts the production console (as bench:platform does)
 * under V8's sampling profiler over an already seeded database, requests one path N times as a superadmin, stops the
 * server (which writes the .cpuprofile) and prints self time by package and by function, and inclusive time of the
 * React/Next phases. The profile file stays for Chrome DevTools (Performance → Load profile).
 *
 *   BENCH_DB=gatehouse_bench_platform npm run bench:profile -- /platform/orgs 200
 *
 * BENCH_DB defaults to gatehouse_bench_platform (seed it with BENCH_KEEP_DB=1 npm run bench:platform).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { CookieJar, ensureProductionBuild, pageGetter, startBenchConsole, upsertBenchSuperadmin } from './console-server';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (!url) return '(native/V8)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) {
    // Next's compiled vendored packages say more than "next".
    const compiled = /next\/dist\/compiled\/([^/]+)/.exec(url);
    return compiled ? `next/compiled/${compiled[1]}` : m[1]!;
  }
  if (url.includes('.next/server/chunks')) return 'app (.next/server/chunks)';
  if (url.includes('.next/server/app')) return 'app (.next/server/app)';
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function summarize(file: string, requests: number): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const inclusiveAll = new Map<string, number>();
  const PHASES = /^(renderToReadableStream|renderToFlightStream|prerender|renderElement|renderNodeDestructive|retryTask|performWork|finishedTask|renderModelDestructive|emitChunk|processReply|resolveModelToJSON|serializeModel|handleRequest|handler|getSession|middleware|proxy|adapter|sealData|unsealData|compactDecrypt|jwtDecrypt|query|\$queryRaw|parse|stringify|twMerge|clsx|createTable)$/;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const pkg = where(n.callFrame.url);
    add(byPackage, pkg, us);
    add(byFunction, `${n.callFrame.functionName || '(anonymous)'}  ${pkg}:${n.callFrame.lineNumber + 1}`, us);
    const seen = new Set<string>();
    const seenAll = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const all = `${f.functionName || '(anonymous)'}  ${where(f.url)}:${f.lineNumber + 1}`;
      if (!seenAll.has(all) && f.functionName !== '(root)') {
        seenAll.add(all);
        add(inclusiveAll, all, us);
      }
      if (PHASES.test(f.functionName)) {
        const k = `${f.functionName}  ${where(f.url)}`;
        if (!seen.has(k)) {
          seen.add(k);
          add(inclusive, k, us);
        }
      }
    }
  }
  const per = (us: number) => `${(us / 1000 / requests).toFixed(2).padStart(7)} ms/req ${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nsampled ${(total / 1000).toFixed(0)} ms of the server process over ${requests} requests (${(total / 1000 / requests).toFixed(2)} ms/req, idle included)`);
  console.log('\nself time by package:');
  for (const [k, v] of top(byPackage, 25)) console.log(`${per(v)}  ${k}`);
  console.log('\nself time by function:');
  for (const [k, v] of top(byFunction, 40)) console.log(`${per(v)}  ${k}`);
  console.log('\ninclusive time by function (idle and GC excluded from nothing; the top is the event loop):');
  for (const [k, v] of top(inclusiveAll, Number(process.env.PROFILE_TOP ?? 80))) console.log(`${per(v)}  ${k}`);
  console.log('\ninclusive time of named phases:');
  for (const [k, v] of top(inclusive, 30)) console.log(`${per(v)}  ${k}`);
}

async function main() {
  const [pathArg = '/platform/orgs', countArg = '200'] = process.argv.slice(2);
  const count = Number(countArg);
  ensureProductionBuild();
  const url = `postgresql://postgres@127.0.0.1:5432/${process.env.BENCH_DB ?? 'gatehouse_bench_platform'}`;
  const dir = path.resolve('.bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const superadmin = await upsertBenchSuperadmin(c, { sub: 'auth0|bench-profile-superadmin', email: 'bench-profile@gatehouse.test', name: 'Bench Profile' });
  await c.end();
  process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=200`;
  const server = await startBenchConsole(url, Number(process.env.BENCH_PORT ?? 3630));
  try {
    const getPage = pageGetter(server.base, new CookieJar(await server.cookieFor(superadmin)));
    const get = () => getPage(pathArg);
    for (let i = 0; i < 10; i++) await get();
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await get();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`${pathArg}: ${count + 10} requests (10 warm-up), median ${times[Math.floor(count / 2)]!.toFixed(1)} ms under the profiler`);
  } finally {
    await server.stop();
    await new Promise((r) => setTimeout(r, 1500)); // the profile is written on exit
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  console.log(`profile: ${path.join(dir, file)}`);
  summarize(path.join(dir, file), count + 10);
}

main().catch((e: Error) => {
  console.error(`bench:profile failed: ${e.message}`);
  process.exit(1);
});
