-- Each Gatehouse org can be linked to its Auth0 organization by id, so the Auth0 Actions match it by
-- `event.organization.id` instead of by name: Auth0 organization names allow underscores and up to 50 characters,
-- Gatehouse slugs do not, so a name alone cannot always find its org.
--
-- Auth0 organization ids are `org_` followed by letters and digits; the Management API caps them at 50 characters.
-- One Gatehouse org per Auth0 organization (unique); NULL means not linked (matched by slug only).

-- AlterTable
ALTER TABLE "orgs" ADD COLUMN "auth0_org_id" TEXT;
ALTER TABLE "orgs" ADD CONSTRAINT "orgs_auth0_org_id_format" CHECK ("auth0_org_id" IS NULL OR "auth0_org_id" ~ '^org_[A-Za-z0-9]{1,46}$');

-- CreateIndex
CREATE UNIQUE INDEX "orgs_auth0_org_id_key" ON "orgs"("auth0_org_id");

-- The decision API keeps the link in memory: a change to it must reach change_log like a change of slug or name.
DROP TRIGGER "orgs_change_log_update" ON "orgs";
CREATE TRIGGER "orgs_change_log_update" AFTER UPDATE OF "slug", "name", "suspended_at", "auth0_org_id" ON "orgs"
  FOR EACH ROW WHEN (OLD."slug" IS DISTINCT FROM NEW."slug" OR OLD."name" IS DISTINCT FROM NEW."name"
                     OR OLD."suspended_at" IS DISTINCT FROM NEW."suspended_at"
                     OR OLD."auth0_org_id" IS DISTINCT FROM NEW."auth0_org_id")
  EXECUTE FUNCTION "change_log_by_id"('org');
