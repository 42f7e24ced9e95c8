import 'server-only';
import type { OrgContext } from '@/lib/authz/types';
import { db } from '@/lib/db';
import { activeAt } from './assignments';

export interface MyRoleDto {
  key: string;
  name: string;
  description: string;
  /** tier: the built-in role of the member's tier; org: assigned in this org; global: assigned everywhere. */
  scope: 'tier' | 'org' | 'global';
}

/** The caller's effective roles while working in this org (tier role, org assignments, global assignments). */
export async function listMyRolesInOrg(ctx: OrgContext): Promise<MyRoleDto[]> {
  const now = new Date();
  const [tierRole, assignments] = await Promise.all([
    db.role.findUnique({ where: { tier: ctx.membership.tier }, select: { key: true, name: true, description: true } }),
    db.roleAssignment.findMany({
      where: {
        userId: ctx.user.id,
        OR: [{ orgId: ctx.org.id }, { orgId: null }],
        AND: [activeAt(now)],
      },
      select: { orgId: true, role: { select: { key: true, name: true, description: true } } },
      orderBy: { role: { name: 'asc' } },
      take: 200,
    }),
  ]);
  const out: MyRoleDto[] = [];
  if (tierRole) out.push({ ...tierRole, scope: 'tier' });
  for (const a of assignments) out.push({ ...a.role, scope: a.orgId ? 'org' : 'global' });
  return out;
}
