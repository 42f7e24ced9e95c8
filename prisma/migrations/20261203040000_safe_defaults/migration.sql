-- Safe defaults (issue 16, ADR 0013): an access console denies by default and asks before it widens access.
--
-- A new application used to be OPEN: reachable at once by every member of every org. It now starts as ANY_ROLE, so
-- nobody reaches it until a role is mapped to it. Existing applications keep the policy they have: changing them would
-- silently cut people off from applications they use today; operators choose per application.
ALTER TABLE "applications" ALTER COLUMN "access_policy" SET DEFAULT 'ANY_ROLE';

-- A new default-role rule used to be enabled on creation, changing the next sign-ins before anyone checked what it
-- matches. It now starts disabled; existing rules keep their state (disabling them would stop provisioning that runs).
ALTER TABLE "default_role_rules" ALTER COLUMN "enabled" SET DEFAULT false;

-- Where people open the application (shown on their org home as a link). Optional; http(s) only, so the console never
-- renders a javascript: or data: link from it.
ALTER TABLE "applications" ADD COLUMN "url" TEXT;
ALTER TABLE "applications" ADD CONSTRAINT "applications_url_format"
  CHECK ("url" IS NULL OR ("url" ~ '^https?://[^\s]+$' AND char_length("url") <= 2000));
