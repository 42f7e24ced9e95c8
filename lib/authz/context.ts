import 'server-only';
import { headers } from 'next/headers';
import { forbidden, notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuth0 } from '@/lib/auth0';
import { findMembershipBySlug } from '@/lib/data/members';
import { getUserBySub, type UserDto } from '@/lib/data/users';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { identityFromClaims } from '@/lib/provisioning/identity';
import { recordSignIn } from '@/lib/provisioning/sign-in';
import { getRequestId } from '@/lib/request-id';
import { OrgSlug } from '@/lib/schemas/org';
import type { OrgPermission, PlatformPermission, Tier } from './permissions';
import { can, type Actor } from './policy';

/**
 * The only code that turns a request into an identity. Pages pass mode 'page' (redirects and not-found pages);
 * server actions and routes pass 'action' (AppError, turned into a result or an HTTP answer by the caller).
 */
export type Mode = 'page' | 'action';

export interface UserContext {
  user: UserDto;
  requestId: string;
}

export interface OrgContext extends UserContext {
  org: { id: string; slug: string; name: string; invitationTtlDays: number };
  membership: { id: string; tier: Tier };
  actor: Actor;
}

export interface PlatformContext extends UserContext {
  actor: Actor;
}

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

async function currentPath(): Promise<string> {
  const h = await headers();
  const path = h.get('x-gatehouse-path');
  return path && path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

/** The signed-in, unblocked user. Pages redirect to sign-in; actions get UNAUTHENTICATED. */
export async function requireUser(mode: Mode = 'page'): Promise<UserContext> {
  const user = await loadUser();
  if (!user) {
    if (mode === 'page') redirect(`/auth/login?returnTo=${encodeURIComponent(await currentPath())}`);
    throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  }
  if (user.blocked) {
    if (mode === 'page') redirect('/signed-out?error=blocked');
    throw new AppError('FORBIDDEN', 'Your account is blocked. Contact your administrator.');
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
 * The org named by the URL slug, for a member of it. A non-member (or an unknown or malformed slug) gets not-found,
 * never a hint that the org exists. Lacking the permission gives 403 (pages) or FORBIDDEN (actions).
 */
export async function requireOrgContext(orgSlug: string, permission?: OrgPermission, mode: Mode = 'page'): Promise<OrgContext> {
  const base = await requireUser(mode);
  const slug = OrgSlug.safeParse(orgSlug);
  const membership = slug.success ? await loadMembership(base.user.id, slug.data) : null;
  if (!membership) {
    if (mode === 'page') notFound();
    throw new AppError('NOT_FOUND', 'Not found.');
  }
  if (membership.org.suspendedAt) {
    if (mode === 'page') redirect(`/suspended?org=${encodeURIComponent(membership.org.slug)}`);
    throw new AppError('FORBIDDEN', 'This organization is suspended.');
  }
  const actor: Actor = { platformRole: base.user.platformRole, tier: membership.tier };
  if (permission && !can(actor, permission)) {
    if (mode === 'page') forbidden();
    throw new AppError('FORBIDDEN', 'You do not have permission to do that in this organization.');
  }
  const { suspendedAt: _suspended, ...org } = membership.org;
  return { ...base, org, membership: { id: membership.id, tier: membership.tier }, actor };
}

/** Platform staff, operators and superadmins. Anyone else gets not-found: the platform area does not exist for them. */
export async function requirePlatform(permission: PlatformPermission, mode: Mode = 'page'): Promise<PlatformContext> {
  const base = await requireUser(mode);
  const actor: Actor = { platformRole: base.user.platformRole };
  if (!can(actor, 'platform:read')) {
    if (mode === 'page') notFound();
    throw new AppError('NOT_FOUND', 'Not found.');
  }
  if (!can(actor, permission)) {
    if (mode === 'page') forbidden();
    throw new AppError('FORBIDDEN', 'Your platform role does not allow that.');
  }
  return { ...base, actor };
}
