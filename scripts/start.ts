import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { superviseDecisionApi, superviseWorker } from '@/lib/decision-api/launch';
import { onShutdown, spawnNext } from '@/lib/embedded/process';
import { EnvError, parseEnv } from '@/lib/env';
import { migrate } from '@/lib/migrate';

/**
 * `npm start`: production. Validates settings (refusing the embedded defaults and weak secrets), applies pending
 * migrations (safe when several instances start together), then serves the built console with `next start` and,
 * beside it, the decision API (scripts/decisions.ts) on DECISIONS_PORT (3001, bound to DECISIONS_HOST, 0.0.0.0).
 * The decision API and the job worker (scripts/worker.ts) are separate child processes: if one stops, it is restarted
 * and the console keeps serving.
 * Without a production build (a fresh clone), it runs `npm run build` first.
 */
async function main() {
  const settings = parseEnv({ ...process.env, NODE_ENV: 'production' });
  if (!existsSync('.next/BUILD_ID')) {
    console.log('no production build yet: running npm run build…');
    execSync('npm run build', { stdio: 'inherit' });
  }
  const result = await migrate(settings.databaseUrl!, { log: (l) => console.log(l) });
  console.log(`migrations: ${result.applied.length} applied, ${result.skipped.length} already applied`);
  const port = process.env.PORT ?? '3000';
  const decisions = superviseDecisionApi({
    port: settings.decisions.port,
    host: process.env.DECISIONS_HOST ?? '0.0.0.0',
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: settings.databaseUrl },
    log: (l) => console.error(l),
  });
  // The job worker (bulk imports), supervised the same way.
  const worker = superviseWorker({ env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: settings.databaseUrl }, log: (l) => console.error(l) });
  const next = spawnNext(['start', '--port', port, ...(process.env.HOSTNAME ? ['--hostname', process.env.HOSTNAME] : [])], {
    ...process.env,
    NODE_ENV: 'production',
  });
  onShutdown(next, [decisions.stop, worker.stop]);
}

main().catch((error: Error) => {
  console.error(error instanceof EnvError ? error.message : `Gatehouse could not start: ${error.message}`);
  process.exit(1);
});
