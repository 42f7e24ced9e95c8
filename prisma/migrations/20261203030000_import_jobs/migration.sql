-- Bulk import (issue #15, docs/decisions/0011-bulk-import.md). The existing "jobs" table (unused until now) holds
-- one row per import: PLANNED after the dry run, QUEUED when someone runs it, RUNNING while the worker applies it.
-- The rows of the file are staged in "import_rows" (one per data row, numbered as a spreadsheet shows them, the
-- header being row 1): the dry run's plan and the applied outcome are written on them, so the report can be paged
-- and downloaded, and a worker killed mid-job resumes at the first row not yet applied (applied_at is set in the
-- same transaction as the batch's changes). pg-boss keeps its own tables in the "pgboss" schema (it creates them).

-- AlterEnum
ALTER TYPE "JobStatus" ADD VALUE 'PLANNED' BEFORE 'QUEUED';

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "file_name" TEXT,
ADD COLUMN "file_sha256" TEXT,
ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "import_rows" (
    "job_id" UUID NOT NULL,
    "row_no" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "org_slug" TEXT NOT NULL,
    "tier" "Tier",
    "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "connection" TEXT,
    "errors" JSONB,
    "outcome" TEXT,
    "message" TEXT,
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_rows_pkey" PRIMARY KEY ("job_id","row_no"),
    CONSTRAINT "import_rows_row_no" CHECK ("row_no" >= 1),
    CONSTRAINT "import_rows_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('create', 'update', 'unchanged', 'error'))
);

-- CreateIndex
CREATE INDEX "import_rows_job_id_applied_at_row_no_idx" ON "import_rows"("job_id", "applied_at", "row_no");

-- AddForeignKey
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
