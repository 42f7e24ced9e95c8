import { recordAudit } from '@/lib/audit';
import type { PlatformRole } from '@/lib/authz/permissions';
import type { UserDto } from '@/lib/authz/types';
import type { Db } from '@/lib/db-client';
import type { SignInIdentity } from './identity';
import { applyRulesOnFirstSignIn } from './rule-effects';

/** Where a sign-in went, as the login event records it: the org asked for and the application's client id, when known. */
export interface SignInPlace {
  orgId?: string | null;
  clientId?: string | null;
  /** A sign-in (default) or a refresh-token exchange, which is recorded but does not count as a sign-in. */
  kind?: 'SIGN_IN' | 'REFRESH';
}

/** The person a sign-in recorded (the console's user DTO), and whether this sign-in created them. */
export type SignedInUser = UserDto & { created: boolean };

/**
 * Creates or updates the user for a sign-in, bumps the login counters and records a login event (with the org and
 * application of `place`, when the caller knows them: the decision API does, the console's own sign-in does not), in
 * one transaction. A refresh (`place.kind` REFRESH) updates the profile and records a REFRESH event, but leaves the
 * login count and the last sign-in alone. A first sign-in writes a `user.signed_up` audit event and applies the default-role rules that match
 * (memberships and roles, each audited) in the same transaction; later sign-ins never apply rules again.
 */
export async function recordSignIn(
  db: Db,
  ctx: { requestId: string },
  identity: SignInIdentity,
  place: SignInPlace = {},
): Promise<SignedInUser> {
  const orgId = place.orgId ?? null;
  const clientId = place.clientId ?? null;
  const kind = place.kind ?? 'SIGN_IN';
  const refresh = kind === 'REFRESH';
  // A returning user (nearly every sign-in): one statement updates the row and adds the login event, atomically,
  // in one round trip. Only a first sign-in needs the transaction below (audit and default-role rules with it).
  const returning = await db.$queryRaw<UserRow[]>`
    WITH u AS (
      UPDATE users SET
        email = ${identity.email},
        email_verified = ${identity.emailVerified},
        name = COALESCE(${identity.name}, users.name),
        connection = COALESCE(${identity.connection}, users.connection),
        last_login_at = CASE WHEN ${refresh} THEN users.last_login_at ELSE now() END,
        login_count = users.login_count + CASE WHEN ${refresh} THEN 0 ELSE 1 END,
        updated_at = now()
      WHERE sub = ${identity.sub}
      RETURNING id, sub, email, name, platform_role, blocked_at
    ), e AS (
      INSERT INTO login_events (user_id, org_id, client_id, kind) SELECT id, ${orgId}::uuid, ${clientId}, ${kind}::"LoginKind" FROM u
    )
    SELECT * FROM u`;
  if (returning[0]) return toSignedInUser(returning[0], false);
  // First sign-in (or a race with another first sign-in of the same person, which ON CONFLICT settles).
  return db.$transaction(async (tx) => {
    // A person a bulk import made before they ever signed in (lib/provisioning/import) is known by the placeholder
    // subject `import|<email>`; their first sign-in with that email, verified by the identity provider, claims it.
    const claimed = identity.emailVerified
      ? await tx.$queryRaw<{ id: string }[]>`UPDATE users SET sub = ${identity.sub}, updated_at = now() WHERE sub = ${`import|${identity.email}`} RETURNING id`
      : [];
    const rows = await tx.$queryRaw<(UserRow & { inserted: boolean })[]>`
      INSERT INTO users (id, sub, email, email_verified, name, connection, last_login_at, login_count, updated_at)
      VALUES (gen_random_uuid(), ${identity.sub}, ${identity.email}, ${identity.emailVerified}, ${identity.name},
              ${identity.connection}, CASE WHEN ${refresh} THEN NULL ELSE now() END, CASE WHEN ${refresh} THEN 0 ELSE 1 END, now())
      ON CONFLICT (sub) DO UPDATE SET
        email = EXCLUDED.email,
        email_verified = EXCLUDED.email_verified,
        name = COALESCE(EXCLUDED.name, users.name),
        connection = COALESCE(EXCLUDED.connection, users.connection),
        last_login_at = CASE WHEN ${refresh} THEN users.last_login_at ELSE now() END,
        login_count = users.login_count + CASE WHEN ${refresh} THEN 0 ELSE 1 END,
        updated_at = now()
      RETURNING id, sub, email, name, platform_role, blocked_at, (xmax = 0) AS inserted`;
    const row = rows[0];
    if (!row) throw new Error('user upsert returned no row');
    await tx.loginEvent.create({ data: { userId: row.id, orgId, clientId, kind } });
    if (row.inserted || claimed.length > 0) {
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
    return toSignedInUser(row, row.inserted || claimed.length > 0);
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

function toSignedInUser(row: UserRow, created: boolean): SignedInUser {
  return { id: row.id, sub: row.sub, email: row.email, name: row.name, platformRole: row.platform_role, blocked: row.blocked_at !== null, created };
}
