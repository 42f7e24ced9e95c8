import { createDecisionServer } from '@/lib/decision-api/server';
import { parseDecisionsPort } from '@/lib/env';
import { logger } from '@/lib/logger';

/**
 * The decision API process (docs/decisions/0007-decision-api.md):
 *
 *   DATABASE_URL=postgresql://… DECISIONS_PORT=3001 tsx scripts/decisions.ts
 *
 * Plain Node: it imports only framework-free modules (lib/decision-api, lib/access, lib/provisioning), never Next or
 * the console's data layer (a lint rule and lib/decision-api/framework-free.test.ts keep it so). The launchers (npm
 * run demo, npm start, the e2e server) start it beside the console; the console does not need it to run.
 *
 * Settings: DATABASE_URL (required), DECISIONS_PORT (3001), DECISIONS_HOST (0.0.0.0),
 * DECISIONS_RATE_LIMIT_PER_SECOND (20000 per API key), DECISIONS_UNKNOWN_APPLICATIONS (deny, or allow: a login to an
 * application Gatehouse does not know passes without claims).
 */
async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const port = parseDecisionsPort(process.env.DECISIONS_PORT);
  if (typeof port !== 'number') throw new Error(`DECISIONS_PORT ${port.message}`);
  const host = process.env.DECISIONS_HOST ?? '0.0.0.0';

  const server = createDecisionServer({ databaseUrl });
  const url = await server.start(port, host);
  logger.info({ url: `${url}/api/v1`, ...server.snapshot.size }, 'decision API listening');
  console.log(`› decision API at ${url}/api/v1 (OpenAPI: ${url}/api/v1/openapi.json)`);

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    // Never hang on the way out (a slow refresh or a client holding a connection): exit after 5 s regardless.
    setTimeout(() => process.exit(code), 5_000).unref();
    server
      .close()
      .catch((error: Error) => logger.error({ err: error.message }, 'decision API: error while stopping'))
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));
}

main().catch((error: Error) => {
  console.error(`The decision API could not start: ${error.message}`);
  process.exit(1);
});
