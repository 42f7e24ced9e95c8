import { describe, expect, it } from 'vitest';
import { activeNavHref } from './sidebar-nav';

const platform = [
  { href: '/platform', label: 'Dashboard', exact: true },
  { href: '/platform/roles', label: 'Roles' },
  { href: '/platform/rules', label: 'Rules' },
  { href: '/platform/orgs', label: 'Organizations' },
];
const org = [
  { href: '/orgs/acme', label: 'Overview', exact: true },
  { href: '/orgs/acme/members', label: 'Members' },
];

describe('activeNavHref', () => {
  it('picks exactly one item: the longest match, exact items only on their own path', () => {
    expect(activeNavHref(platform, '/platform')).toBe('/platform');
    expect(activeNavHref(platform, '/platform/roles')).toBe('/platform/roles');
    expect(activeNavHref(platform, '/platform/roles/0b1e/edit')).toBe('/platform/roles');
    expect(activeNavHref(platform, '/platform/rolesx')).toBeNull();
    expect(activeNavHref(org, '/orgs/acme/members')).toBe('/orgs/acme/members');
    expect(activeNavHref(org, '/orgs/acme')).toBe('/orgs/acme');
    expect(activeNavHref(org, '/orgs/acme/unknown')).toBeNull();
  });

  it('prefers the deeper of two nested items', () => {
    const nested = [
      { href: '/platform/matrix', label: 'Matrix' },
      { href: '/platform/matrix/export', label: 'Export' },
    ];
    expect(activeNavHref(nested, '/platform/matrix/export/1')).toBe('/platform/matrix/export');
    expect(activeNavHref(nested, '/platform/matrix/rows')).toBe('/platform/matrix');
  });
});

describe('activeNavHref with trailing slashes', () => {
  it('treats /platform/ and /platform alike', () => {
    expect(activeNavHref([{ href: '/platform', label: 'Dashboard', exact: true }], '/platform/')).toBe('/platform');
    expect(activeNavHref([{ href: '/platform/', label: 'Dashboard', exact: true }], '/platform')).toBe('/platform/');
  });
});
