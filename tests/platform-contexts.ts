import type { PlatformRole } from '@/lib/authz/permissions';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { createUser, randomSuffix } from '@/prisma/factories';

/**
 * A platform user with this role, created in the database, and the context requirePlatform builds for them.
 * `rowRole` stores another role on the row: files other than lib/data/staff.int.test.ts use a superadmin context over
 * a STAFF row, so they never change how many superadmins the shared database holds while that file counts them.
 */
export async function platformUser(platformRole: PlatformRole, overrides: { email?: string; name?: string; rowRole?: PlatformRole } = {}) {
  const { rowRole, ...rest } = overrides;
  const u = await createUser(db, { platformRole: rowRole ?? platformRole, ...rest });
  return { user: u, ctx: platformContext(u, platformRole) };
}

export function platformContext(u: { id: string; sub: string; email: string; name: string | null }, platformRole: PlatformRole): PlatformContext {
  return {
    user: { id: u.id, sub: u.sub, email: u.email, name: u.name, platformRole, blocked: false },
    requestId: `req-${randomSuffix()}`,
    actor: { platformRole },
  };
}
