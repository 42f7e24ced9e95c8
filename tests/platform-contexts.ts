import type { PlatformRole } from '@/lib/authz/permissions';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { createUser, randomSuffix } from '@/prisma/factories';

/** A platform user with this role, created in the database, and the context requirePlatform builds for them. */
export async function platformUser(platformRole: PlatformRole, overrides: { email?: string; name?: string } = {}) {
  const u = await createUser(db, { platformRole, ...overrides });
  return { user: u, ctx: platformContext(u, platformRole) };
}

export function platformContext(u: { id: string; sub: string; email: string; name: string | null }, platformRole: PlatformRole): PlatformContext {
  return {
    user: { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole, blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole },
  };
}
