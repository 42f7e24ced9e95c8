import 'server-only';
import { audit } from '@/lib/audit';
import type { PlatformContext } from '@/lib/authz/types';
import { db } from '@/lib/db';

export interface PlatformOverviewDto {
  orgs: number;
  suspendedOrgs: number;
  users: number;
  memberships: number;
  applications: number;
  roles: number;
  signInsLast7Days: number;
  newOrgsLast30Days: number;
}

/** Platform-wide counts. Cross-tenant: callers must hold platform:read (requirePlatform). */
export async function getPlatformOverview(_ctx: PlatformContext): Promise<PlatformOverviewDto> {
  const day = 24 * 60 * 60 * 1000;
  const now = Date.now();
  const [orgs, suspendedOrgs, users, memberships, applications, roles, signInsLast7Days, newOrgsLast30Days] = await Promise.all([
    db.org.count(),
    db.org.count({ where: { suspendedAt: { not: null } } }),
    db.user.count(),
    db.membership.count(),
    db.application.count(),
    db.role.count(),
    db.loginEvent.count({ where: { kind: 'SIGN_IN', at: { gt: new Date(now - 7 * day) } } }),
    db.org.count({ where: { createdAt: { gt: new Date(now - 30 * day) } } }),
  ]);
  return { orgs, suspendedOrgs, users, memberships, applications, roles, signInsLast7Days, newOrgsLast30Days };
}

/** Platform looks are audited: who looked at which platform view, when. */
export async function recordPlatformView(ctx: PlatformContext, view: string): Promise<void> {
  await db.$transaction((tx) => audit(tx, ctx, { action: 'platform.viewed', target: { type: 'platform_view', id: view } }));
}
