import { inject } from 'vitest';

// Runs in every integration worker before the tests import lib/db.
process.env.DATABASE_URL = inject('databaseUrl');
