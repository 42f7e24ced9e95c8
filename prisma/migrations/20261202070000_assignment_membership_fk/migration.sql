-- Org-scoped user role assignments belong to a membership (issue #12): a grant that raced a member's removal could
-- leave a role for a non-member, which came back when the person was invited again. First remove such orphans, each
-- with an audit event in this same migration, then make them impossible: a composite foreign key to memberships
-- that cascades when the membership goes. MATCH SIMPLE (the default) ignores rows with a NULL column, so global
-- assignments (org_id NULL) and client assignments (user_id NULL) are unaffected.

WITH orphans AS (
    DELETE FROM "role_assignments" a
    WHERE a."org_id" IS NOT NULL
      AND a."user_id" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m."org_id" = a."org_id" AND m."user_id" = a."user_id")
    RETURNING a."id", a."role_id", a."user_id", a."org_id", a."expires_at"
)
INSERT INTO "audit_events" ("actor_type", "actor_label", "org_id", "action", "target_type", "target_id", "before", "after")
SELECT 'system', 'migration 20261202070000_assignment_membership_fk', o."org_id", 'assignment.deleted', 'assignment', o."id"::text,
       jsonb_build_object(
           'role', r."key",
           'subject', jsonb_build_object('type', 'user', 'id', o."user_id", 'email', u."email"),
           'org', g."slug",
           'expiresAt', o."expires_at"),
       jsonb_build_object('reason', 'orphan: the user is not a member of the org')
FROM orphans o
JOIN "roles" r ON r."id" = o."role_id"
JOIN "users" u ON u."id" = o."user_id"
JOIN "orgs" g ON g."id" = o."org_id";

ALTER TABLE "role_assignments"
    ADD CONSTRAINT "role_assignments_org_id_user_id_fkey"
    FOREIGN KEY ("org_id", "user_id") REFERENCES "memberships"("org_id", "user_id") ON DELETE CASCADE ON UPDATE CASCADE;
