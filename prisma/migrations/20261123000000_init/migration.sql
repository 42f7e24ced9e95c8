-- Gatehouse initial schema. Written by hand in the shape `prisma migrate diff` produces, plus the constraints
-- Prisma's schema language cannot express (checks, NULLS NOT DISTINCT, partial uniques, the audit trigger).

-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('OWNER', 'ADMIN', 'EMPLOYEE');
CREATE TYPE "PlatformRole" AS ENUM ('NONE', 'STAFF', 'OPERATOR', 'SUPERADMIN');
CREATE TYPE "AppType" AS ENUM ('SPA', 'REGULAR_WEB', 'NATIVE', 'M2M');
CREATE TYPE "AccessPolicy" AS ENUM ('OPEN', 'ANY_ROLE', 'ALL_ROLES');
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "orgs" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "invitation_ttl_days" INTEGER NOT NULL DEFAULT 7,
    "suspended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "orgs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "orgs_slug_format" CHECK ("slug" ~ '^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$' AND "slug" NOT LIKE '%--%'),
    CONSTRAINT "orgs_name_length" CHECK (char_length(btrim("name")) BETWEEN 1 AND 100),
    CONSTRAINT "orgs_invitation_ttl_days_range" CHECK ("invitation_ttl_days" BETWEEN 1 AND 30)
);

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "sub" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT,
    "connection" TEXT,
    "platform_role" "PlatformRole" NOT NULL DEFAULT 'NONE',
    "blocked_at" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "login_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_sub_not_blank" CHECK (char_length("sub") BETWEEN 1 AND 255),
    CONSTRAINT "users_email_lowercase" CHECK ("email" = lower("email")),
    CONSTRAINT "users_login_count_nonnegative" CHECK ("login_count" >= 0)
);

CREATE TABLE "memberships" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "tier" "Tier" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "apis" (
    "id" UUID NOT NULL,
    "identifier" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "apis_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "permissions" (
    "id" UUID NOT NULL,
    "api_id" UUID NOT NULL,
    "value" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "permissions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "permissions_value_format" CHECK ("value" ~ '^[A-Za-z0-9_.:*-]{1,100}$')
);

CREATE TABLE "roles" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "tier" "Tier",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "roles_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "roles_key_format" CHECK ("key" ~ '^[a-z0-9][a-z0-9:_.-]{0,62}$'),
    CONSTRAINT "roles_tier_only_built_in" CHECK ("tier" IS NULL OR "built_in")
);

CREATE TABLE "role_permissions" (
    "role_id" UUID NOT NULL,
    "permission_id" UUID NOT NULL,
    CONSTRAINT "role_permissions_pkey" PRIMARY KEY ("role_id","permission_id")
);

CREATE TABLE "applications" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "AppType" NOT NULL,
    "client_id" TEXT NOT NULL,
    "access_policy" "AccessPolicy" NOT NULL DEFAULT 'OPEN',
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "applications_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "applications_client_id_format" CHECK ("client_id" ~ '^[A-Za-z0-9_-]{1,128}$')
);

CREATE TABLE "role_applications" (
    "role_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    CONSTRAINT "role_applications_pkey" PRIMARY KEY ("role_id","application_id")
);

CREATE TABLE "role_assignments" (
    "id" UUID NOT NULL,
    "role_id" UUID NOT NULL,
    "user_id" UUID,
    "client_app_id" UUID,
    "org_id" UUID,
    "expires_at" TIMESTAMPTZ(3),
    "granted_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "role_assignments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "role_assignments_one_subject" CHECK (("user_id" IS NULL) <> ("client_app_id" IS NULL))
);

CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "tier" "Tier" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "invited_by_id" UUID,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "send_count" INTEGER NOT NULL DEFAULT 1,
    "last_sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invitations_email_lowercase" CHECK ("email" = lower("email")),
    CONSTRAINT "invitations_token_hash_format" CHECK ("token_hash" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "invitations_not_both_accepted_and_revoked" CHECK ("accepted_at" IS NULL OR "revoked_at" IS NULL)
);

CREATE TABLE "invitation_roles" (
    "invitation_id" UUID NOT NULL,
    "role_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    CONSTRAINT "invitation_roles_pkey" PRIMARY KEY ("invitation_id","role_id")
);

CREATE TABLE "default_role_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "connection" TEXT,
    "email_domain" TEXT,
    "require_verified_email" BOOLEAN NOT NULL DEFAULT false,
    "org_id" UUID,
    "tier" "Tier",
    "stop" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "default_role_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "default_role_rules_org_and_tier_together" CHECK (("org_id" IS NULL) = ("tier" IS NULL)),
    CONSTRAINT "default_role_rules_email_domain_lowercase" CHECK ("email_domain" IS NULL OR "email_domain" = lower("email_domain"))
);

CREATE TABLE "default_role_rule_roles" (
    "rule_id" UUID NOT NULL,
    "role_id" UUID NOT NULL,
    "global" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "default_role_rule_roles_pkey" PRIMARY KEY ("rule_id","role_id")
);

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_label" TEXT,
    "org_id" UUID,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    "ip" TEXT,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_events_actor_type" CHECK ("actor_type" IN ('user', 'api_key', 'system')),
    CONSTRAINT "audit_events_action_format" CHECK ("action" ~ '^[a-z0-9_]+(\.[a-z0-9_]+)+$')
);

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by_id" UUID,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "org_id" UUID,
    "payload" JSONB NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "jobs_progress_range" CHECK ("progress" >= 0 AND "total" >= 0 AND "progress" <= GREATEST("total", "progress"))
);

CREATE TABLE "login_events" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "org_id" UUID,
    "client_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "login_events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "outbox_messages" (
    "id" UUID NOT NULL,
    "org_id" UUID,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "orgs_slug_key" ON "orgs"("slug");
CREATE UNIQUE INDEX "users_sub_key" ON "users"("sub");
CREATE INDEX "users_email_idx" ON "users"("email");
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");
CREATE INDEX "memberships_org_id_tier_idx" ON "memberships"("org_id", "tier");
CREATE UNIQUE INDEX "memberships_org_id_user_id_key" ON "memberships"("org_id", "user_id");
CREATE UNIQUE INDEX "apis_identifier_key" ON "apis"("identifier");
CREATE UNIQUE INDEX "permissions_api_id_value_key" ON "permissions"("api_id", "value");
CREATE UNIQUE INDEX "roles_key_key" ON "roles"("key");
CREATE UNIQUE INDEX "roles_tier_key" ON "roles"("tier");
CREATE INDEX "role_permissions_permission_id_idx" ON "role_permissions"("permission_id");
CREATE UNIQUE INDEX "applications_client_id_key" ON "applications"("client_id");
CREATE INDEX "role_applications_application_id_idx" ON "role_applications"("application_id");
CREATE INDEX "role_assignments_user_id_org_id_idx" ON "role_assignments"("user_id", "org_id");
CREATE INDEX "role_assignments_client_app_id_org_id_idx" ON "role_assignments"("client_app_id", "org_id");
CREATE INDEX "role_assignments_org_id_idx" ON "role_assignments"("org_id");
CREATE INDEX "role_assignments_role_id_idx" ON "role_assignments"("role_id");
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
CREATE INDEX "invitations_org_id_created_at_idx" ON "invitations"("org_id", "created_at");
CREATE INDEX "invitations_email_idx" ON "invitations"("email");
CREATE INDEX "invitation_roles_org_id_idx" ON "invitation_roles"("org_id");
CREATE INDEX "invitation_roles_role_id_idx" ON "invitation_roles"("role_id");
CREATE INDEX "default_role_rules_position_idx" ON "default_role_rules"("position");
CREATE INDEX "default_role_rules_org_id_idx" ON "default_role_rules"("org_id");
CREATE INDEX "default_role_rule_roles_role_id_idx" ON "default_role_rule_roles"("role_id");
CREATE INDEX "audit_events_org_id_at_idx" ON "audit_events"("org_id", "at");
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");
CREATE INDEX "audit_events_actor_id_at_idx" ON "audit_events"("actor_id", "at");
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys"("secret_hash");
CREATE INDEX "jobs_status_created_at_idx" ON "jobs"("status", "created_at");
CREATE INDEX "jobs_org_id_idx" ON "jobs"("org_id");
CREATE INDEX "login_events_at_idx" ON "login_events"("at");
CREATE INDEX "login_events_user_id_at_idx" ON "login_events"("user_id", "at");
CREATE INDEX "login_events_org_id_at_idx" ON "login_events"("org_id", "at");
CREATE INDEX "outbox_messages_created_at_idx" ON "outbox_messages"("created_at");
CREATE INDEX "outbox_messages_org_id_idx" ON "outbox_messages"("org_id");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "permissions" ADD CONSTRAINT "permissions_api_id_fkey" FOREIGN KEY ("api_id") REFERENCES "apis"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_permission_id_fkey" FOREIGN KEY ("permission_id") REFERENCES "permissions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_applications" ADD CONSTRAINT "role_applications_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_applications" ADD CONSTRAINT "role_applications_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_client_app_id_fkey" FOREIGN KEY ("client_app_id") REFERENCES "applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "invitation_roles" ADD CONSTRAINT "invitation_roles_invitation_id_fkey" FOREIGN KEY ("invitation_id") REFERENCES "invitations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invitation_roles" ADD CONSTRAINT "invitation_roles_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invitation_roles" ADD CONSTRAINT "invitation_roles_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "default_role_rules" ADD CONSTRAINT "default_role_rules_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "default_role_rule_roles" ADD CONSTRAINT "default_role_rule_roles_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "default_role_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "default_role_rule_roles" ADD CONSTRAINT "default_role_rule_roles_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "login_events" ADD CONSTRAINT "login_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "login_events" ADD CONSTRAINT "login_events_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Database-only constraints (listed in prisma/db-only-constraints.json for the schema agreement test).

-- One assignment per role, subject and scope; a global assignment (org_id NULL) is one scope too.
CREATE UNIQUE INDEX "role_assignments_user_scope_key" ON "role_assignments"("role_id", "user_id", "org_id") NULLS NOT DISTINCT WHERE "user_id" IS NOT NULL;
CREATE UNIQUE INDEX "role_assignments_client_scope_key" ON "role_assignments"("role_id", "client_app_id", "org_id") NULLS NOT DISTINCT WHERE "client_app_id" IS NOT NULL;

-- At most one open (not accepted, not revoked) invitation per org and email; resend reuses that row.
CREATE UNIQUE INDEX "invitations_open_org_id_email_key" ON "invitations"("org_id", "email") WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL;

-- The audit log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
