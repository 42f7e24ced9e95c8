-- The dashboard's "orgs and users over time" and "invitations sent vs accepted" per UTC day, kept by statement-level
-- triggers in the writing transaction. Counting 100,000 users by day on every dashboard load costs a few hundred
-- milliseconds; summing this table costs under one. Deletions are counted too, so the number of orgs or users at
-- the end of any day is exact: the sum of created minus deleted up to that day (ADR 0009).
CREATE TABLE "platform_daily_counts" (
    "metric" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "platform_daily_counts_pkey" PRIMARY KEY ("metric", "day"),
    CONSTRAINT "platform_daily_counts_metric" CHECK ("metric" IN ('orgs_created', 'orgs_deleted', 'users_created', 'users_deleted', 'invitations_sent', 'invitations_accepted'))
);

CREATE FUNCTION "platform_daily_count_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
-- TG_ARGV[0]: the metric; TG_ARGV[1]: 'created' to count by the rows' created_at, else by now().
BEGIN
  IF TG_ARGV[1] = 'created' THEN
    INSERT INTO "platform_daily_counts" ("metric", "day", "n")
      SELECT TG_ARGV[0], ("created_at" AT TIME ZONE 'UTC')::date, count(*) FROM "changed_rows" GROUP BY 2 ORDER BY 2
    ON CONFLICT ("metric", "day") DO UPDATE SET "n" = "platform_daily_counts"."n" + EXCLUDED."n";
  ELSE
    INSERT INTO "platform_daily_counts" ("metric", "day", "n")
      SELECT TG_ARGV[0], (now() AT TIME ZONE 'UTC')::date, count(*) FROM "changed_rows" HAVING count(*) > 0
    ON CONFLICT ("metric", "day") DO UPDATE SET "n" = "platform_daily_counts"."n" + EXCLUDED."n";
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "platform_daily_count_accepted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "platform_daily_counts" ("metric", "day", "n")
    SELECT 'invitations_accepted', (n."accepted_at" AT TIME ZONE 'UTC')::date, count(*)
    FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
    WHERE o."accepted_at" IS NULL AND n."accepted_at" IS NOT NULL GROUP BY 2 ORDER BY 2
  ON CONFLICT ("metric", "day") DO UPDATE SET "n" = "platform_daily_counts"."n" + EXCLUDED."n";
  RETURN NULL;
END $$;

CREATE FUNCTION "platform_daily_count_accepted_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "platform_daily_counts" ("metric", "day", "n")
    SELECT 'invitations_accepted', ("accepted_at" AT TIME ZONE 'UTC')::date, count(*)
    FROM "changed_rows" WHERE "accepted_at" IS NOT NULL GROUP BY 2 ORDER BY 2
  ON CONFLICT ("metric", "day") DO UPDATE SET "n" = "platform_daily_counts"."n" + EXCLUDED."n";
  RETURN NULL;
END $$;

CREATE TRIGGER "orgs_daily_created" AFTER INSERT ON "orgs"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_rows"('orgs_created', 'created');
CREATE TRIGGER "orgs_daily_deleted" AFTER DELETE ON "orgs"
  REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_rows"('orgs_deleted', 'now');
CREATE TRIGGER "users_daily_created" AFTER INSERT ON "users"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_rows"('users_created', 'created');
CREATE TRIGGER "users_daily_deleted" AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_rows"('users_deleted', 'now');
CREATE TRIGGER "invitations_daily_sent" AFTER INSERT ON "invitations"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_rows"('invitations_sent', 'created');
CREATE TRIGGER "invitations_daily_accepted_on_insert" AFTER INSERT ON "invitations"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_accepted_on_insert"();
CREATE TRIGGER "invitations_daily_accepted" AFTER UPDATE ON "invitations"
  REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "platform_daily_count_accepted"();

-- Backfill from what is there.
INSERT INTO "platform_daily_counts" ("metric", "day", "n")
  SELECT 'orgs_created', ("created_at" AT TIME ZONE 'UTC')::date, count(*) FROM "orgs" GROUP BY 2
  UNION ALL SELECT 'users_created', ("created_at" AT TIME ZONE 'UTC')::date, count(*) FROM "users" GROUP BY 2
  UNION ALL SELECT 'invitations_sent', ("created_at" AT TIME ZONE 'UTC')::date, count(*) FROM "invitations" GROUP BY 2
  UNION ALL SELECT 'invitations_accepted', ("accepted_at" AT TIME ZONE 'UTC')::date, count(*) FROM "invitations" WHERE "accepted_at" IS NOT NULL GROUP BY 2;

-- The top orgs of a range sum 90,000 rows of org_sign_in_days: from this index alone, without the table.
DROP INDEX "org_sign_in_days_day_idx";
CREATE INDEX "org_sign_in_days_day_idx" ON "org_sign_in_days"("day") INCLUDE ("org_id", "sign_ins");
