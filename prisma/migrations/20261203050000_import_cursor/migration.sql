-- Bulk import resume point (issue #15, docs/decisions/0011-bulk-import.md). A run used to set "applied_at" on every
-- staged row of each batch, rewriting 100,000 rows (and their index) whose outcome the dry run had already written.
-- The job now keeps the row number of the last applied row ("applied_through", committed with the batch's changes),
-- and a batch writes a row's outcome only when it differs from the plan. Rows are applied in row order, so an import
-- under way when this runs resumes after its last applied row.

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "applied_through" INTEGER NOT NULL DEFAULT 0;

UPDATE "jobs" j SET "applied_through" = a.last
FROM (SELECT "job_id", max("row_no") AS last FROM "import_rows" WHERE "applied_at" IS NOT NULL GROUP BY "job_id") a
WHERE a."job_id" = j."id";

-- DropIndex
DROP INDEX "import_rows_job_id_applied_at_row_no_idx";

-- AlterTable
ALTER TABLE "import_rows" DROP COLUMN "applied_at";
