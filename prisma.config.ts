import { defineConfig } from 'prisma/config';

// The CLI only needs the URL for `prisma migrate deploy` / `studio` where Prisma's engines can be downloaded;
// Gatehouse applies migrations itself (scripts/migrate.ts). `prisma generate` needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/gatehouse' },
});
