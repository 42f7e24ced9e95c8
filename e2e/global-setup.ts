// The e2e server (scripts/e2e-server.ts) prepares its database itself; nothing to do before the web server starts
// except refusing a non-local database.
import { assertLocalDatabase } from '../tests/test-db';

export default async function globalSetup() {
  assertLocalDatabase(process.env.E2E_DATABASE_URL!);
}
