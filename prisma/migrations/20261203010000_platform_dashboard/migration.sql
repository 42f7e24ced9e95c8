-- The platform dashboard, the organizations list and the global audit log read a million login events and a
-- million audit events. Three daily/derived rollups, kept by statement-level triggers in the same transaction as
-- the rows they count, make the dashboard a read of a few thousand rows; the audit and user indexes make the first
-- page of those lists an index range scan (docs/decisions/0009-platform-dashboard.md).

-- Sign-ins per org per day (UTC). Rows of deleted orgs go with them.
CREATE TABLE "org_sign_in_days" (
    "org_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "sign_ins" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "org_sign_in_days_pkey" PRIMARY KEY ("org_id", "day"),
    CONSTRAINT "org_sign_in_days_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "org_sign_in_days_sign_ins" CHECK ("sign_ins" >= 0)
);
CREATE INDEX "org_sign_in_days_day_idx" ON "org_sign_in_days"("day");

-- Sign-ins per application (by the Auth0 client id the event names; '' for none) per day (UTC).
CREATE TABLE "client_sign_in_days" (
    "day" DATE NOT NULL,
    "client_id" TEXT NOT NULL,
    "sign_ins" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "client_sign_in_days_pkey" PRIMARY KEY ("day", "client_id"),
    CONSTRAINT "client_sign_in_days_sign_ins" CHECK ("sign_ins" >= 0)
);

-- Per org: its member count and its last sign-in, so the organizations list sorts and filters by them without
-- counting 300,000 memberships or scanning a million login events per page.
CREATE TABLE "org_stats" (
    "org_id" UUID NOT NULL,
    "members" INTEGER NOT NULL DEFAULT 0,
    "last_sign_in_at" TIMESTAMPTZ(3),

    CONSTRAINT "org_stats_pkey" PRIMARY KEY ("org_id"),
    CONSTRAINT "org_stats_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "org_stats_members" CHECK ("members" >= 0)
);

-- One statement-level trigger per insert statement: a bulk insert (the large seed, an import) aggregates its rows
-- once. Rows are touched in one order (org days, client days, org stats), so concurrent sign-ins cannot deadlock.
CREATE FUNCTION "login_events_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "org_sign_in_days" ("org_id", "day", "sign_ins")
    SELECT "org_id", ("at" AT TIME ZONE 'UTC')::date, count(*) FROM "new_rows"
    WHERE "kind" = 'SIGN_IN' AND "org_id" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT ("org_id", "day") DO UPDATE SET "sign_ins" = "org_sign_in_days"."sign_ins" + EXCLUDED."sign_ins";
  INSERT INTO "client_sign_in_days" ("day", "client_id", "sign_ins")
    SELECT ("at" AT TIME ZONE 'UTC')::date, COALESCE("client_id", ''), count(*) FROM "new_rows"
    WHERE "kind" = 'SIGN_IN' GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT ("day", "client_id") DO UPDATE SET "sign_ins" = "client_sign_in_days"."sign_ins" + EXCLUDED."sign_ins";
  INSERT INTO "org_stats" ("org_id", "members", "last_sign_in_at")
    SELECT "org_id", 0, max("at") FROM "new_rows" WHERE "kind" = 'SIGN_IN' AND "org_id" IS NOT NULL GROUP BY 1 ORDER BY 1
  ON CONFLICT ("org_id") DO UPDATE SET "last_sign_in_at" = GREATEST("org_stats"."last_sign_in_at", EXCLUDED."last_sign_in_at");
  RETURN NULL;
END $$;

CREATE TRIGGER "login_events_rollup" AFTER INSERT ON "login_events"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "login_events_rollup"();

CREATE FUNCTION "memberships_count_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "org_stats" ("org_id", "members")
    SELECT "org_id", count(*) FROM "new_rows" GROUP BY 1 ORDER BY 1
  ON CONFLICT ("org_id") DO UPDATE SET "members" = "org_stats"."members" + EXCLUDED."members";
  RETURN NULL;
END $$;

-- On delete only an UPDATE: when the org itself is being deleted its stats row is already gone (cascade).
CREATE FUNCTION "memberships_count_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "org_stats" s SET "members" = GREATEST(s."members" - d."n", 0)
    FROM (SELECT "org_id", count(*)::int AS "n" FROM "old_rows" GROUP BY 1) d
    WHERE s."org_id" = d."org_id";
  RETURN NULL;
END $$;

CREATE TRIGGER "memberships_count_added" AFTER INSERT ON "memberships"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "memberships_count_added"();
CREATE TRIGGER "memberships_count_removed" AFTER DELETE ON "memberships"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "memberships_count_removed"();

-- Backfill from what is there.
INSERT INTO "org_sign_in_days" ("org_id", "day", "sign_ins")
  SELECT "org_id", ("at" AT TIME ZONE 'UTC')::date, count(*) FROM "login_events"
  WHERE "kind" = 'SIGN_IN' AND "org_id" IS NOT NULL GROUP BY 1, 2;
INSERT INTO "client_sign_in_days" ("day", "client_id", "sign_ins")
  SELECT ("at" AT TIME ZONE 'UTC')::date, COALESCE("client_id", ''), count(*) FROM "login_events" WHERE "kind" = 'SIGN_IN' GROUP BY 1, 2;
INSERT INTO "org_stats" ("org_id", "members", "last_sign_in_at")
  SELECT o."id",
         (SELECT count(*) FROM "memberships" m WHERE m."org_id" = o."id"),
         (SELECT max(l."at") FROM "login_events" l WHERE l."org_id" = o."id" AND l."kind" = 'SIGN_IN')
  FROM "orgs" o;

-- The global audit log pages newest first with ties broken by id, unfiltered, by org or by actor: each order is an
-- index (the (x, at) indexes they replace are prefixes of these).
DROP INDEX "audit_events_at_idx";
DROP INDEX "audit_events_org_id_at_idx";
DROP INDEX "audit_events_actor_id_at_idx";
CREATE INDEX "audit_events_at_id_idx" ON "audit_events"("at", "id");
CREATE INDEX "audit_events_org_id_at_id_idx" ON "audit_events"("org_id", "at", "id");
CREATE INDEX "audit_events_actor_id_at_id_idx" ON "audit_events"("actor_id", "at", "id");

-- Users searched by email prefix across every org: the database collation (C.UTF-8 here, often en_US) keeps a plain
-- index from serving LIKE 'prefix%'; a C-collated one serves both the prefix and ORDER BY email COLLATE "C".
CREATE INDEX "users_email_prefix_idx" ON "users"("email" COLLATE "C", "id");
