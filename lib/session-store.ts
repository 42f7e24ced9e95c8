import { createHash } from 'node:crypto';
import type { SessionData, SessionDataStore } from '@auth0/nextjs-auth0/types';
import type { Db, Tx } from '@/lib/db';
import { ROLL_EVERY_SECONDS } from '@/lib/session-roll';

/**
 * Console sessions live in PostgreSQL (table `sessions`), through the Auth0 SDK's stateful session store: the cookie
 * holds only an encrypted session id, so signing out (the row is deleted) ends the session on the server and a copied
 * cookie is worth nothing afterwards. Database triggers end a person's sessions when they are blocked or lose their
 * last membership; "sign out everywhere" deletes all of them. See docs/decisions/0008-sessions-and-csp.md.
 *
 * Framework-free (it takes the database handle), so the e2e fixtures make sessions the same way.
 */

/** How long a session lasts: a day without use, a week at most. */
export const SESSION_LIFETIME = { inactivitySeconds: 60 * 60 * 24, absoluteSeconds: 60 * 60 * 24 * 7 } as const;

/**
 * The SDK rolls the session at most once a minute (lib/session-roll.ts), and a write that changes nothing is skipped
 * when the row was written less than this long ago too (the row may then expire up to this much before the cookie does).
 */

/** The row key: a hash of the SDK's session id, so the table alone cannot be turned into working cookies. */
export function sessionKey(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function expiresAt(session: SessionData, now = Date.now()): Date {
  const createdMs = (session.internal?.createdAt ?? Math.floor(now / 1000)) * 1000;
  return new Date(Math.min(now + SESSION_LIFETIME.inactivitySeconds * 1000, createdMs + SESSION_LIFETIME.absoluteSeconds * 1000));
}

/** The SDK's `sessionStore` over the `sessions` table. */
export function createSessionStore(db: Db): SessionDataStore {
  return {
    async get(id) {
      const rows = await db.$queryRaw<{ data: SessionData }[]>`
        SELECT data FROM sessions WHERE id = ${sessionKey(id)} AND expires_at > now()`;
      return rows[0]?.data ?? null;
    },

    async set(id, session) {
      await db.$executeRaw`
        INSERT INTO sessions (id, sub, data, expires_at)
        VALUES (${sessionKey(id)}, ${session.user.sub}, ${JSON.stringify(session)}::jsonb, ${expiresAt(session)})
        ON CONFLICT (id) DO UPDATE SET sub = EXCLUDED.sub, data = EXCLUDED.data, expires_at = EXCLUDED.expires_at, updated_at = now()`;
      // A new session is rare (a sign-in): a good moment to drop the ones that ran out.
      await db.$executeRaw`DELETE FROM sessions WHERE expires_at < now() - interval '1 day'`;
    },

    /** Rolls an existing session; false (and nothing written) when it was signed out or has expired meanwhile. */
    async update(id, session) {
      const rows = await db.$queryRaw<{ found: boolean }[]>`
        WITH current AS (
          SELECT id FROM sessions WHERE id = ${sessionKey(id)} AND expires_at > now()
        ), rolled AS (
          UPDATE sessions s SET data = ${JSON.stringify(session)}::jsonb, expires_at = ${expiresAt(session)}, updated_at = now()
          FROM current
          WHERE s.id = current.id
            AND (s.data IS DISTINCT FROM ${JSON.stringify(session)}::jsonb
                 OR s.updated_at < now() - make_interval(secs => ${ROLL_EVERY_SECONDS}))
          RETURNING 1
        )
        SELECT EXISTS (SELECT 1 FROM current) AS found`;
      return rows[0]?.found ?? false;
    },

    async delete(id) {
      await db.$executeRaw`DELETE FROM sessions WHERE id = ${sessionKey(id)}`;
    },

    /** Back-channel logout from the identity provider: the sessions of that provider session, or else of the user. */
    async deleteByLogoutToken({ sub, sid }) {
      if (sid) await db.$executeRaw`DELETE FROM sessions WHERE data -> 'internal' ->> 'sid' = ${sid} AND (${sub ?? null}::text IS NULL OR sub = ${sub ?? null})`;
      else if (sub) await db.$executeRaw`DELETE FROM sessions WHERE sub = ${sub}`;
    },
  };
}

/** Ends every session of a user (sign out everywhere); returns how many there were. */
export async function endSessionsOf(tx: Db | Tx, userId: string): Promise<number> {
  return tx.$executeRaw`DELETE FROM sessions WHERE sub = (SELECT sub FROM users WHERE id = ${userId}::uuid)`;
}
