import type { ReactNode } from 'react';
import { forPage } from '@/lib/authz/page';
import { requirePlatform } from '@/lib/authz/context';
import { PLATFORM_PAGE_POLICY } from '@/lib/authz/surface';

/**
 * Authorizes this page outside its loading.tsx boundary: inside it, the answer's status is sent (200) before the
 * page's own check runs, so platform staff without the power would get the forbidden page with 200 instead of 403.
 * The page checks again and records the look.
 */
export default async function Layout({ children }: { children: ReactNode }) {
  await forPage(requirePlatform(PLATFORM_PAGE_POLICY['api-keys']));
  return children;
}
