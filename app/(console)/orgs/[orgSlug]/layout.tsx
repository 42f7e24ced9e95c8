import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import type { NavItem } from '@/components/shell/sidebar-nav';
import { requireOrgContext } from '@/lib/authz/context';
import { TIER_LABELS, type OrgPermission } from '@/lib/authz/permissions';
import { can, canEnterPlatform } from '@/lib/authz/policy';
import { listMyOrgs } from '@/lib/data/orgs';

const SECTIONS: { path: string; label: string; permission: OrgPermission }[] = [
  { path: '', label: 'Overview', permission: 'org:read' },
  { path: '/members', label: 'Members', permission: 'members:read' },
  { path: '/invitations', label: 'Invitations', permission: 'invitations:read' },
  { path: '/access', label: 'Access', permission: 'access:read' },
  { path: '/clients', label: 'M2M clients', permission: 'clients:read' },
  { path: '/audit', label: 'Audit log', permission: 'audit:read' },
  { path: '/settings', label: 'Settings', permission: 'org:settings' },
];

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgContext(orgSlug);
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
      showPlatformLink={canEnterPlatform(ctx.actor)}
    >
      {children}
    </AppShell>
  );
}
