import type { ReactNode } from 'react';
import { pageOrgContext } from '@/lib/authz/page';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';

/**
 * Authorizes this page outside its loading.tsx boundary: inside it, the answer's status is sent (200) before the
 * page's own check runs, so a refused caller would get the forbidden page with 200 instead of 403. The page checks
 * again (the context is cached per request).
 */
export default async function Layout({ children, params }: { children: ReactNode; params: Promise<{ orgSlug: string }> }) {
  await pageOrgContext((await params).orgSlug, ORG_PAGE_POLICY['members']);
  return children;
}
