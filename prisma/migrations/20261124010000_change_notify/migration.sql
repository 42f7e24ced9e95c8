-- The decision API (lib/decision-api) keeps what decisions need in memory and must obey a change within a second,
-- on every instance. Triggers on the tables decisions read append one row per change to "change_log" and
-- pg_notify('gatehouse_changes'): instances LISTEN for speed and poll the table as a fallback (the embedded PGlite
-- does not forward notifications to socket clients), then reload only what changed.
--
-- "txid" is the writing transaction's id. Readers take rows whose transaction was not yet visible in the snapshot
-- of their previous read, so a transaction that commits after a later one is never skipped (see
-- docs/decisions/0007-decision-api.md). Rows are trimmed by the readers once every reader has seen them.

-- CreateTable
CREATE TABLE "change_log" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT,
    "txid" BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "change_log_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "change_log_kind" CHECK ("kind" IN ('user', 'client', 'org', 'api_key', 'catalog', 'all'))
);

-- CreateIndex
CREATE INDEX "change_log_txid_idx" ON "change_log"("txid");

-- kind: user (key = users.id), client (key = applications.id of an M2M client), org (orgs.id),
-- api_key (api_keys.id), catalog (roles, permissions, APIs, applications and their links; no key),
-- all (a TRUNCATE: reload everything).
CREATE FUNCTION "change_log_record"("k" TEXT, "ref" TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "change_log" ("kind", "key") VALUES ("k", "ref");
  -- Identical notifications in one transaction are folded into one by PostgreSQL.
  PERFORM pg_notify('gatehouse_changes', "k");
END;
$$;

-- Row triggers on tables keyed by their own id (users, orgs, api_keys); TG_ARGV[0] is the kind.
CREATE FUNCTION "change_log_by_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM "change_log_record"(TG_ARGV[0], OLD."id"::text);
  ELSE
    PERFORM "change_log_record"(TG_ARGV[0], NEW."id"::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION "change_log_membership"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM "change_log_record"('user', OLD."user_id"::text); END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW."user_id" IS DISTINCT FROM OLD."user_id") THEN
    PERFORM "change_log_record"('user', NEW."user_id"::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION "change_log_assignment"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD."user_id" IS NOT NULL THEN PERFORM "change_log_record"('user', OLD."user_id"::text);
    ELSE PERFORM "change_log_record"('client', OLD."client_app_id"::text); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."user_id" IS NOT NULL THEN PERFORM "change_log_record"('user', NEW."user_id"::text);
    ELSE PERFORM "change_log_record"('client', NEW."client_app_id"::text); END IF;
  END IF;
  RETURN NULL;
END;
$$;

-- Statement triggers: the catalog is small and reloaded whole; a TRUNCATE reloads everything. TG_ARGV[0] is the kind.
CREATE FUNCTION "change_log_statement"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "change_log_record"(TG_ARGV[0], NULL);
  RETURN NULL;
END;
$$;

-- Users: only what decisions read (sub, blocked_at). Sign-ins update last_login_at and counters on every login;
-- those must not cause a reload.
CREATE TRIGGER "users_change_log_insert_delete" AFTER INSERT OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "change_log_by_id"('user');
CREATE TRIGGER "users_change_log_update" AFTER UPDATE OF "sub", "blocked_at" ON "users"
  FOR EACH ROW WHEN (OLD."sub" IS DISTINCT FROM NEW."sub" OR OLD."blocked_at" IS DISTINCT FROM NEW."blocked_at")
  EXECUTE FUNCTION "change_log_by_id"('user');
CREATE TRIGGER "users_change_log_truncate" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('all');

CREATE TRIGGER "orgs_change_log_insert_delete" AFTER INSERT OR DELETE ON "orgs"
  FOR EACH ROW EXECUTE FUNCTION "change_log_by_id"('org');
CREATE TRIGGER "orgs_change_log_update" AFTER UPDATE OF "slug", "name", "suspended_at" ON "orgs"
  FOR EACH ROW WHEN (OLD."slug" IS DISTINCT FROM NEW."slug" OR OLD."name" IS DISTINCT FROM NEW."name"
                     OR OLD."suspended_at" IS DISTINCT FROM NEW."suspended_at")
  EXECUTE FUNCTION "change_log_by_id"('org');
CREATE TRIGGER "orgs_change_log_truncate" AFTER TRUNCATE ON "orgs"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('all');

-- API keys: the decision API's own last_used_at updates are left out.
CREATE TRIGGER "api_keys_change_log_insert_delete" AFTER INSERT OR DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "change_log_by_id"('api_key');
CREATE TRIGGER "api_keys_change_log_update" AFTER UPDATE OF "prefix", "secret_hash", "scopes", "expires_at", "revoked_at" ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "change_log_by_id"('api_key');
CREATE TRIGGER "api_keys_change_log_truncate" AFTER TRUNCATE ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('all');

CREATE TRIGGER "memberships_change_log" AFTER INSERT OR UPDATE OR DELETE ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION "change_log_membership"();
CREATE TRIGGER "memberships_change_log_truncate" AFTER TRUNCATE ON "memberships"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('all');

CREATE TRIGGER "role_assignments_change_log" AFTER INSERT OR UPDATE OR DELETE ON "role_assignments"
  FOR EACH ROW EXECUTE FUNCTION "change_log_assignment"();
CREATE TRIGGER "role_assignments_change_log_truncate" AFTER TRUNCATE ON "role_assignments"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('all');

CREATE TRIGGER "roles_change_log" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "roles"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('catalog');
CREATE TRIGGER "permissions_change_log" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "permissions"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('catalog');
CREATE TRIGGER "apis_change_log" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "apis"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('catalog');
CREATE TRIGGER "role_permissions_change_log" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "role_permissions"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('catalog');
CREATE TRIGGER "role_applications_change_log" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "role_applications"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('catalog');
CREATE TRIGGER "applications_change_log" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "applications"
  FOR EACH STATEMENT EXECUTE FUNCTION "change_log_statement"('catalog');
