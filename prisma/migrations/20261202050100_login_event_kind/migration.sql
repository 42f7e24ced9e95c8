-- Auth0's post-login trigger also runs when a refresh token is exchanged. Those exchanges still get a decision
-- (a blocked user loses access on refresh) but are not sign-ins: they are recorded as REFRESH login events and do
-- not bump users.login_count or users.last_login_at. Every existing row was a sign-in.

-- CreateEnum
CREATE TYPE "LoginKind" AS ENUM ('SIGN_IN', 'REFRESH');

-- AlterTable
ALTER TABLE "login_events" ADD COLUMN "kind" "LoginKind" NOT NULL DEFAULT 'SIGN_IN';
