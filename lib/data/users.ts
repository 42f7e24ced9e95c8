import 'server-only';
import { db } from '@/lib/db';
import type { UserDto } from '@/lib/authz/types';

/**
 * Users as the console reads them. Recording a sign-in (creating the user, applying default-role rules) is
 * lib/provisioning/sign-in.ts, shared with the decision API.
 */

export type { UserDto };

/** The user with this Auth0 subject, or null. */
export async function getUserBySub(sub: string): Promise<UserDto | null> {
  const u = await db.user.findUnique({
    where: { sub },
    select: { id: true, sub: true, email: true, name: true, platformRole: true, blockedAt: true },
  });
  return u ? { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole: u.platformRole, blocked: u.blockedAt !== null } : null;
}
