import type { OrgContext, UserContext } from '@/lib/authz/types';
import type { Tier } from '@/lib/authz/permissions';
import { db } from '@/lib/db';
import { randomSuffix } from '@/prisma/factories';

type UserRow = { id: string; sub: string; email: string; name: string | null };
type OrgRow = { id: string; slug: string; name: string; invitationTtlDays?: number };

/** The context lib/authz/context.ts builds for a signed-in user (data-layer tests call lib/data directly). */
export function userContext(user: UserRow): UserContext {
  return {
    user: { id: user.id, sub: user.sub, email: user.email, name: user.name, platformRole: 'NONE', blocked: false },
    requestId: `req-${randomSuffix()}`,
  };
}

/** The context requireOrgContext builds for a member, read from the database so the tier is the real one. */
export async function orgContext(org: OrgRow, user: UserRow): Promise<OrgContext> {
  const m = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: org.id, userId: user.id } } });
  const row = await db.org.findUniqueOrThrow({ where: { id: org.id } });
  const tier: Tier = m.tier;
  return {
    ...userContext(user),
    org: { id: row.id, slug: row.slug, name: row.name, invitationTtlDays: row.invitationTtlDays },
    membership: { id: m.id, tier },
    actor: { platformRole: 'NONE', tier },
  };
}
