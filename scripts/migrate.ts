import { migrate } from '@/lib/migrate';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL. */
async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set. Example: DATABASE_URL=postgresql://user@localhost:5432/gatehouse npm run db:migrate');
    process.exit(1);
  }
  const result = await migrate(url, { log: (l) => console.log(l) });
  console.log(`migrations: ${result.applied.length} applied, ${result.skipped.length} already applied`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
