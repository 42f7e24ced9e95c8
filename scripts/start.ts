import { onShutdown, spawnNext } from '@/lib/embedded/process';
import { EnvError, parseEnv } from '@/lib/env';
import { migrate } from '@/lib/migrate';

/**
 * `npm start`: production. Validates settings (refusing the embedded defaults and weak secrets), applies pending
 * migrations (safe when several instances start together), then serves the built console with `next start`.
 */
async function main() {
  const settings = parseEnv({ ...process.env, NODE_ENV: 'production' });
  const result = await migrate(settings.databaseUrl!, { log: (l) => console.log(l) });
  console.log(`migrations: ${result.applied.length} applied, ${result.skipped.length} already applied`);
  const port = process.env.PORT ?? '3000';
  const next = spawnNext(['start', '--port', port, ...(process.env.HOSTNAME ? ['--hostname', process.env.HOSTNAME] : [])], {
    ...process.env,
    NODE_ENV: 'production',
  });
  onShutdown(next, []);
}

main().catch((error: Error) => {
  console.error(error instanceof EnvError ? error.message : `Gatehouse could not start: ${error.message}`);
  process.exit(1);
});
