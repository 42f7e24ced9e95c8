-- Platform users list (100,000+ users): search by email prefix, name prefix or Auth0 subject prefix, ordered by email.
-- The expressions use the "C" collation so a `LIKE 'prefix%'` is an index range scan whatever the database's collation
-- is, and so the same email index serves the list's order (lower(email) COLLATE "C", id) for keyset pagination.
-- (docs/decisions/0010-platform-users-staff-audit.md has the plans.)
-- 20261203010000 indexed email COLLATE "C" for its benchmark; the users list searches and orders by lower(email).
DROP INDEX "users_email_prefix_idx";
CREATE INDEX "users_email_prefix_idx" ON "users" ((lower("email") COLLATE "C"), "id");
CREATE INDEX "users_name_prefix_idx" ON "users" ((lower("name") COLLATE "C"));
CREATE INDEX "users_sub_prefix_idx" ON "users" (("sub" COLLATE "C"));
-- The few users with a platform role, and the blocked ones: filters of the users list and the staff screen.
CREATE INDEX "users_platform_role_idx" ON "users" ("platform_role") WHERE "platform_role" <> 'NONE';
CREATE INDEX "users_blocked_idx" ON "users" ("blocked_at") WHERE "blocked_at" IS NOT NULL;

-- Audit logs (1,000,000+ events) page newest first by (at, id); each filter the logs offer has an index that keeps
-- that order, so the first page of any of them reads ~50 index entries. They replace the (…, at) indexes.
-- (at, id), (org_id, at, id) and (actor_id, at, id) replaced the (x, at) indexes in 20261203010000.
CREATE INDEX "audit_events_target_type_target_id_at_id_idx" ON "audit_events" ("target_type", "target_id", "at", "id");
CREATE INDEX "audit_events_action_at_id_idx" ON "audit_events" ("action", "at", "id");
