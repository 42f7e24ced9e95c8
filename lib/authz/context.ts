import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { getAuth0 } from '@/lib/auth0';
import { findMembershipBySlug } from '@/lib/data/members';
import { getUserBySub } from '@/lib/data/users';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { identityFromClaims } from '@/lib/provisioning/identity';
import { recordSignIn } from '@/lib/provisioning/sign-in';
import { getRequestId } from '@/lib/request-id';
import { OrgSlug } from '@/lib/schemas/org';
import type { OrgPermission, PlatformPermission } from './permissions';
import { can } from './policy';
import type { Actor, OrgContext, PlatformContext, UserContext, UserDto } from './types';


/**
 * The only code that turns a request into an identity. The guards throw AppError and nothing else; server actions
 * and routes turn it into a result or an HTTP answer (lib/actions), pages into a redirect or an error page through
 * lib/authz/page.ts.
 */

const loadUser = cache(async (): Promise<UserDto | null> => {
  // Reading request headers first marks every page that asks who is signed in as dynamic, so `next build`
  // never tries to prerender it (and never needs the runtime settings).
  await headers();
  const session = await getAuth0().getSession();
  if (!session?.user?.sub) return null;
  const existing = await getUserBySub(session.user.sub);
  if (existing) return existing;
  // A valid session for someone we have no row for (database reset, or a session made outside the callback):
  // record the sign-in now rather than failing.
  return recordSignIn(db, { requestId: await getRequestId() }, identityFromClaims(session.user));
});

/** The signed-in, unblocked user: UNAUTHENTICATED without a session, FORBIDDEN (reason account_blocked) if blocked. */
export async function requireUser(): Promise<UserContext> {
  const user = await loadUser();
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  if (user.blocked) {
    throw new AppError('FORBIDDEN', 'Your account is blocked. Contact your administrator.', { reason: { kind: 'account_blocked' } });
  }
  return { user, requestId: await getRequestId() };
}

/** The signed-in user or null, for pages that work signed out too. */
export async function getOptionalUser(): Promise<UserDto | null> {
  const user = await loadUser();
  return user && !user.blocked ? user : null;
}

const loadMembership = cache(findMembershipBySlug);

/**
 * The org named by the URL slug, for a member of it. A non-member (or an unknown or malformed slug) gets NOT_FOUND,
 * never a hint that the org exists; a suspended org FORBIDDEN (reason org_suspended); lacking the permission FORBIDDEN.
 */
export async function requireOrgContext(orgSlug: string, permission?: OrgPermission): Promise<OrgContext> {
  const base = await requireUser();
  const slug = OrgSlug.safeParse(orgSlug);
  const membership = slug.success ? await loadMembership(base.user.id, slug.data) : null;
  if (!membership) throw new AppError('NOT_FOUND', 'Not found.');
  if (membership.org.suspendedAt) {
    throw new AppError('FORBIDDEN', 'This organization is suspended.', { reason: { kind: 'org_suspended', orgSlug: membership.org.slug } });
  }
  const actor: Actor = { platformRole: base.user.platformRole, tier: membership.tier };
  if (permission && !can(actor, permission)) {
    throw new AppError('FORBIDDEN', 'You do not have permission to do that in this organization.');
  }
  const { suspendedAt: _suspended, ...org } = membership.org;
  return { ...base, org, membership: { id: membership.id, tier: membership.tier }, actor };
}

/** Platform staff, operators and superadmins. Anyone else gets NOT_FOUND: the platform area does not exist for them. */
export async function requirePlatform(permission: PlatformPermission): Promise<PlatformContext> {
  const base = await requireUser();
  const actor: Actor = { platformRole: base.user.platformRole };
  if (!can(actor, 'platform:read')) throw new AppError('NOT_FOUND', 'Not found.');
  if (!can(actor, permission)) throw new AppError('FORBIDDEN', 'Your platform role does not allow that.');
  return { ...base, actor };
}
