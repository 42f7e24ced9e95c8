import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import type { NavItem } from '@/components/shell/sidebar-nav';
import { requirePlatform } from '@/lib/authz/context';
import { TIER_LABELS } from '@/lib/authz/permissions';
import { listMyOrgs } from '@/lib/data/orgs';

const NAV: NavItem[] = [
  { href: '/platform', label: 'Dashboard', exact: true },
  { href: '/platform/matrix', label: 'Access matrix' },
  { href: '/platform/roles', label: 'Roles' },
  { href: '/platform/apis', label: 'APIs' },
  { href: '/platform/applications', label: 'Applications' },
  { href: '/platform/clients', label: 'M2M clients' },
  { href: '/platform/rules', label: 'Default-role rules' },
  { href: '/platform/api-keys', label: 'API keys' },
  { href: '/platform/install', label: 'Install (Auth0 Actions)' },
];

/** The platform area exists only for staff, operators and superadmins; anyone else gets not-found. */
export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const ctx = await requirePlatform('platform:read');
  const orgs = await listMyOrgs(ctx);
  return (
    <AppShell
      nav={NAV}
      navLabel="Platform sections"
      orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, tierLabel: TIER_LABELS[o.tier] }))}
      user={{ name: ctx.user.name, email: ctx.user.email }}
      showPlatformLink
      inPlatform
    >
      {children}
    </AppShell>
  );
}
