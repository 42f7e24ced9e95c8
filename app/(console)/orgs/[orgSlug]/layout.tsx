import type { ReactNode } from 'react';
import { signOutEverywhere } from '@/app/account/actions';
import { AppShell } from '@/components/shell/app-shell';
import type { NavItem } from '@/components/shell/sidebar-nav';
import { pageOrgContext } from '@/lib/authz/page';
import type { OrgPermission } from '@/lib/authz/permissions';
import { TIER_LABELS } from '@/lib/vocabulary';
import { ORG_PAGE_POLICY } from '@/lib/authz/surface';
import { can, canEnterPlatform } from '@/lib/authz/policy';
import { listMyOrgs } from '@/lib/data/orgs';

const SECTIONS: { path: string; label: string; permission: OrgPermission }[] = [
  // Each section is shown to those its page lets in (ORG_PAGE_POLICY), so the menu never offers a 403.
  { path: '', label: 'Overview', permission: ORG_PAGE_POLICY[''] },
  { path: '/members', label: 'Members', permission: ORG_PAGE_POLICY.members },
  { path: '/invitations', label: 'Invitations', permission: ORG_PAGE_POLICY.invitations },
  { path: '/access', label: 'Access', permission: ORG_PAGE_POLICY.access },
  { path: '/clients', label: 'M2M clients', permission: ORG_PAGE_POLICY.clients },
  { path: '/imports', label: 'Bulk import', permission: ORG_PAGE_POLICY.imports },
  { path: '/audit', label: 'Audit log', permission: ORG_PAGE_POLICY.audit },
  { path: '/settings', label: 'Settings', permission: ORG_PAGE_POLICY.settings },
];

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await pageOrgContext(orgSlug);
  const orgs = await listMyOrgs(ctx);
  const base = `/orgs/${ctx.org.slug}`;
  const nav: NavItem[] = SECTIONS.filter((s) => can(ctx.actor, s.permission)).map((s) => ({
    href: `${base}${s.path}`,
    label: s.label,
    exact: s.path === '',
  }));
  return (
    <AppShell
      nav={nav}
      navLabel={`${ctx.org.name} sections`}
      orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, tierLabel: TIER_LABELS[o.tier] }))}
      currentOrgSlug={ctx.org.slug}
      user={{ name: ctx.user.name, email: ctx.user.email }}
      signOutEverywhere={signOutEverywhere}
      showPlatformLink={canEnterPlatform(ctx.actor)}
    >
      {children}
    </AppShell>
  );
}
