-- Console sessions move from the cookie into PostgreSQL (docs/decisions/0008-sessions-and-csp.md): the Auth0 SDK's
-- stateful session store keeps one row per session and the cookie holds only the encrypted session id, so signing
-- out deletes the row and a copied cookie stops working. "id" is the sha256 of the SDK's session id.

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessions_sub_idx" ON "sessions"("sub");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- Blocking a user ends their sessions, whichever path blocks them (console, import, SQL).
CREATE FUNCTION "sessions_end_when_blocked"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "sessions" WHERE "sub" = NEW."sub";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "sessions_end_when_blocked"
  AFTER UPDATE OF "blocked_at" ON "users"
  FOR EACH ROW WHEN (NEW."blocked_at" IS NOT NULL AND OLD."blocked_at" IS NULL)
  EXECUTE FUNCTION "sessions_end_when_blocked"();

-- Removing someone's last membership (removed, left, org deleted) ends their sessions. A statement trigger, so an
-- org with many members deleted at once costs one statement.
CREATE FUNCTION "sessions_end_without_membership"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "sessions" s
  USING "users" u
  WHERE s."sub" = u."sub"
    AND u."id" IN (SELECT DISTINCT "user_id" FROM "removed_memberships")
    AND NOT EXISTS (SELECT 1 FROM "memberships" m WHERE m."user_id" = u."id");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "sessions_end_without_membership"
  AFTER DELETE ON "memberships"
  REFERENCING OLD TABLE AS "removed_memberships"
  FOR EACH STATEMENT
  EXECUTE FUNCTION "sessions_end_without_membership"();
