import type { ReactNode } from 'react';
import { signOutEverywhere } from '@/app/account/actions';
import { AppShell } from '@/components/shell/app-shell';
import type { NavItem } from '@/components/shell/sidebar-nav';
import { pagePlatform } from '@/lib/authz/page';
import { TIER_LABELS } from '@/lib/vocabulary';
import { can } from '@/lib/authz/policy';
import { PLATFORM_PAGE_POLICY, type PlatformPage } from '@/lib/authz/surface';
import { listMyOrgs } from '@/lib/data/orgs';

const SECTIONS: { page: PlatformPage; label: string; group: 'Overview' | 'Access' | 'Settings'; exact?: boolean }[] = [
  // Each section is shown to those its page lets in (PLATFORM_PAGE_POLICY), so the menu never offers a 403.
  { page: '', label: 'Dashboard', group: 'Overview', exact: true },
  { page: 'orgs', label: 'Organizations', group: 'Overview' },
  { page: 'users', label: 'Users', group: 'Overview' },
  { page: 'audit', label: 'Audit log', group: 'Overview' },
  { page: 'roles', label: 'Roles', group: 'Access' },
  { page: 'apis', label: 'APIs', group: 'Access' },
  { page: 'applications', label: 'Applications', group: 'Access' },
  { page: 'clients', label: 'M2M clients', group: 'Access' },
  { page: 'rules', label: 'Default-role rules', group: 'Access' },
  { page: 'matrix', label: 'Access matrix', group: 'Access' },
  { page: 'imports', label: 'Bulk import', group: 'Access' },
  { page: 'staff', label: 'Staff', group: 'Settings' },
  { page: 'api-keys', label: 'API keys', group: 'Settings' },
  { page: 'install', label: 'Install (Auth0 Actions)', group: 'Settings' },
];

/** The platform area exists only for staff, operators and superadmins; anyone else gets not-found. */
export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const ctx = await pagePlatform('platform:read');
  const orgs = await listMyOrgs(ctx);
  const nav: NavItem[] = SECTIONS.filter((s) => can(ctx.actor, PLATFORM_PAGE_POLICY[s.page])).map((s) => ({
    href: s.page ? `/platform/${s.page}` : '/platform',
    label: s.label,
    group: s.group,
    ...(s.exact ? { exact: true } : {}),
  }));
  return (
    <AppShell
      nav={nav}
      navLabel="Platform sections"
      orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, tierLabel: TIER_LABELS[o.tier] }))}
      user={{ name: ctx.user.name, email: ctx.user.email }}
      signOutEverywhere={signOutEverywhere}
      showPlatformLink
      inPlatform
    >
      {children}
    </AppShell>
  );
}
