import 'server-only';
import { headers } from 'next/headers';
import { forbidden, notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { recordPlatformView } from '@/lib/data/platform';
import { AppError } from '@/lib/errors';
import { requireOrgContext, requirePlatform, requireUser } from './context';
import type { OrgPermission, PlatformPermission } from './permissions';
import type { OrgContext, PlatformContext, UserContext } from './types';

/**
 * The one place where a guard's AppError becomes what a page answers: sign-in for UNAUTHENTICATED (back to the same
 * path afterwards), the signed-out page for a blocked account, the suspended page for a suspended org, the
 * not-found page for NOT_FOUND and the 403 page for FORBIDDEN. Pages and layouts call `pageUser`, `pageOrgContext`
 * or `pagePlatform`; actions and routes call the guards directly and answer with the error (lib/actions).
 */

async function currentPath(): Promise<string> {
  const h = await headers();
  const path = h.get('x-gatehouse-path');
  return path && path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

/** Awaits a guard; its AppError becomes the page's redirect or error page (anything else is rethrown). */
export async function forPage<T>(guard: Promise<T>): Promise<T> {
  try {
    return await guard;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'UNAUTHENTICATED') redirect(`/auth/login?returnTo=${encodeURIComponent(await currentPath())}`);
    if (error.reason?.kind === 'account_blocked') redirect('/signed-out?error=blocked');
    if (error.reason?.kind === 'org_suspended') redirect(`/suspended?org=${encodeURIComponent(error.reason.orgSlug)}`);
    if (error.code === 'NOT_FOUND') notFound();
    if (error.code === 'FORBIDDEN') forbidden();
    throw error;
  }
}

/** `requireUser` for a page. */
export function pageUser(): Promise<UserContext> {
  return forPage(requireUser());
}

/** `requireOrgContext` for a page or layout. */
export function pageOrgContext(orgSlug: string, permission?: OrgPermission): Promise<OrgContext> {
  return forPage(requireOrgContext(orgSlug, permission));
}

/**
 * `requirePlatform` for a page or layout. Every platform page is a look at tenant data, so this is where the look
 * is audited (`recordPlatformView`, debounced): no page records it itself.
 */
export async function pagePlatform(permission: PlatformPermission): Promise<PlatformContext> {
  const ctx = await forPage(requirePlatform(permission));
  const path = await currentPath();
  // The layout and the page both guard; the look is one look, recorded once per request.
  const looks = looksThisRequest();
  let recorded = looks.get(path);
  if (!recorded) {
    recorded = recordPlatformView(ctx, path);
    looks.set(path, recorded);
  }
  await recorded;
  return ctx;
}

/** The looks recorded while rendering this request (React's cache lives for one server request). */
const looksThisRequest = cache(() => new Map<string, Promise<boolean>>());
