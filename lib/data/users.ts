import 'server-only';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { CONNECTION_CLAIM } from '@/lib/claims';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import type { PlatformRole } from '@/lib/authz/permissions';
import { nameText } from '@/lib/schemas/text';
import { applyRulesOnFirstSignIn } from './rules';

/** What a sign-in tells us about a person. */
export interface SignInIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  connection: string | null;
}

const Claims = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().email().max(320),
  email_verified: z.boolean().optional(),
  // A display name the IdP sends with control characters is dropped, not the sign-in (the person cannot fix it here).
  name: nameText({ min: 0, max: 200 }).optional().catch(undefined),
  [CONNECTION_CLAIM]: z.string().max(128).optional(),
});

/** Reads the identity from ID token claims; an account without an email cannot use the console. */
export function identityFromClaims(claims: Record<string, unknown>): SignInIdentity {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) {
    throw new AppError('BAD_INPUT', 'Your sign-in did not include a valid email address.');
  }
  const c = parsed.data;
  return {
    sub: c.sub,
    email: c.email.toLowerCase(),
    emailVerified: c.email_verified ?? false,
    name: c.name?.trim() || null,
    connection: c[CONNECTION_CLAIM] ?? connectionFromSub(c.sub),
  };
}

/** Auth0 subjects look like `auth0|id` or `waad|connection|id`; the middle part names the connection when present. */
function connectionFromSub(sub: string): string | null {
  const parts = sub.split('|');
  if (parts.length >= 3) return parts[1] ?? null;
  if (parts[0] === 'auth0') return 'Username-Password-Authentication';
  return parts.length === 2 ? (parts[0] ?? null) : null;
}

export interface UserDto {
  id: string;
  sub: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole;
  blocked: boolean;
}

/** Where a sign-in went, as the login event records it: the org asked for and the application's client id, when known. */
export interface SignInPlace {
  orgId?: string | null;
  clientId?: string | null;
}

/**
 * Creates or updates the user for a sign-in, bumps the login counters and records a login event (with the org and
 * application of `place`, when the caller knows them: the decision API does, the console's own sign-in does not), in
 * one transaction. A first sign-in writes a `user.signed_up` audit event and applies the default-role rules that match
 * (memberships and roles, each audited) in the same transaction; later sign-ins never apply rules again.
 */
export async function recordSignIn(
  ctx: { requestId: string },
  identity: SignInIdentity,
  place: SignInPlace = {},
): Promise<UserDto & { created: boolean }> {
  const orgId = place.orgId ?? null;
  const clientId = place.clientId ?? null;
  // A returning user (nearly every sign-in): one statement updates the row and adds the login event, atomically,
  // in one round trip. Only a first sign-in needs the transaction below (audit and default-role rules with it).
  const returning = await db.$queryRaw<UserRow[]>`
    WITH u AS (
      UPDATE users SET
        email = ${identity.email},
        email_verified = ${identity.emailVerified},
        name = COALESCE(${identity.name}, users.name),
        connection = COALESCE(${identity.connection}, users.connection),
        last_login_at = now(),
        login_count = users.login_count + 1,
        updated_at = now()
      WHERE sub = ${identity.sub}
      RETURNING id, sub, email, name, platform_role, blocked_at
    ), e AS (
      INSERT INTO login_events (user_id, org_id, client_id) SELECT id, ${orgId}::uuid, ${clientId} FROM u
    )
    SELECT * FROM u`;
  if (returning[0]) return { ...toUserDto(returning[0]), created: false };
  // First sign-in (or a race with another first sign-in of the same person, which ON CONFLICT settles).
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<(UserRow & { inserted: boolean })[]>`
      INSERT INTO users (id, sub, email, email_verified, name, connection, last_login_at, login_count, updated_at)
      VALUES (gen_random_uuid(), ${identity.sub}, ${identity.email}, ${identity.emailVerified}, ${identity.name},
              ${identity.connection}, now(), 1, now())
      ON CONFLICT (sub) DO UPDATE SET
        email = EXCLUDED.email,
        email_verified = EXCLUDED.email_verified,
        name = COALESCE(EXCLUDED.name, users.name),
        connection = COALESCE(EXCLUDED.connection, users.connection),
        last_login_at = now(),
        login_count = users.login_count + 1,
        updated_at = now()
      RETURNING id, sub, email, name, platform_role, blocked_at, (xmax = 0) AS inserted`;
    const row = rows[0];
    if (!row) throw new Error('user upsert returned no row');
    await tx.loginEvent.create({ data: { userId: row.id, orgId, clientId } });
    if (row.inserted) {
      await recordAudit(tx, {
        actor: { type: 'user', id: row.id, label: row.email },
        action: 'user.signed_up',
        target: { type: 'user', id: row.id },
        after: { email: row.email, name: row.name, connection: identity.connection },
        requestId: ctx.requestId,
      });
      await applyRulesOnFirstSignIn(
        tx,
        { id: row.id, email: row.email, emailVerified: identity.emailVerified, connection: identity.connection },
        { requestId: ctx.requestId },
      );
    }
    return { ...toUserDto(row), created: row.inserted };
  });
}

/** A users row as the sign-in statements return it. */
interface UserRow {
  id: string;
  sub: string;
  email: string;
  name: string | null;
  platform_role: PlatformRole;
  blocked_at: Date | null;
}

function toUserDto(row: UserRow): UserDto {
  return { id: row.id, sub: row.sub, email: row.email, name: row.name, platformRole: row.platform_role, blocked: row.blocked_at !== null };
}

/** The user with this Auth0 subject, or null. */
export async function getUserBySub(sub: string): Promise<UserDto | null> {
  const u = await db.user.findUnique({
    where: { sub },
    select: { id: true, sub: true, email: true, name: true, platformRole: true, blockedAt: true },
  });
  return u ? { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole: u.platformRole, blocked: u.blockedAt !== null } : null;
}
