import { describe, expect, it } from 'vitest';
import {
  ORG_PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  PLATFORM_PERMISSIONS,
  PLATFORM_ROLE_PERMISSIONS,
  PLATFORM_ROLES,
  TIER_PERMISSIONS,
  TIERS,
  type ConsolePermission,
  type PlatformRole,
  type Tier,
} from './permissions';
import { can, canAssignPlatformRole, canAssignTier, canEnterPlatform, canManageMember } from './policy';

const ALL = Object.keys(PERMISSION_DESCRIPTIONS) as ConsolePermission[];

// The expected table, written out by hand: a change to permissions.ts must be made here too, on purpose.
const EXPECTED_TIER: Record<Tier, string[]> = {
  OWNER: Object.keys(ORG_PERMISSIONS),
  ADMIN: ['org:read', 'members:read', 'members:invite', 'members:manage', 'invitations:read', 'invitations:manage', 'access:read', 'access:write', 'clients:read', 'audit:read'],
  EMPLOYEE: ['org:read'],
};
const EXPECTED_PLATFORM: Record<PlatformRole, string[]> = {
  NONE: [],
  STAFF: ['platform:read', 'platform_audit:read'],
  OPERATOR: ['platform:read', 'platform_audit:read', 'catalog:write', 'import:run', 'api_keys:manage'],
  SUPERADMIN: Object.keys(PLATFORM_PERMISSIONS),
};

describe('console power table', () => {
  it('describes every permission in one line', () => {
    for (const p of ALL) {
      expect(PERMISSION_DESCRIPTIONS[p].length).toBeGreaterThan(10);
      expect(PERMISSION_DESCRIPTIONS[p]).not.toContain('\n');
      expect(p).toMatch(/^[a-z_]+:[a-z_]+$/);
    }
  });

  for (const tier of TIERS) {
    for (const platformRole of PLATFORM_ROLES) {
      it(`${tier} with platform role ${platformRole} holds exactly its permissions`, () => {
        const held = ALL.filter((p) => can({ tier, platformRole }, p)).sort();
        expect(held).toEqual([...EXPECTED_TIER[tier], ...EXPECTED_PLATFORM[platformRole]].sort());
      });
    }
  }

  it('gives no org permission without a membership, whatever the platform role', () => {
    for (const platformRole of PLATFORM_ROLES) {
      for (const p of Object.keys(ORG_PERMISSIONS) as ConsolePermission[]) {
        expect(can({ platformRole, tier: null }, p)).toBe(false);
      }
    }
  });

  it('keeps each higher tier a superset of the lower one', () => {
    expect(TIER_PERMISSIONS.OWNER).toEqual(expect.arrayContaining([...TIER_PERMISSIONS.ADMIN]));
    expect(TIER_PERMISSIONS.ADMIN).toEqual(expect.arrayContaining([...TIER_PERMISSIONS.EMPLOYEE]));
    expect(PLATFORM_ROLE_PERMISSIONS.SUPERADMIN).toEqual(expect.arrayContaining([...PLATFORM_ROLE_PERMISSIONS.OPERATOR]));
    expect(PLATFORM_ROLE_PERMISSIONS.OPERATOR).toEqual(expect.arrayContaining([...PLATFORM_ROLE_PERMISSIONS.STAFF]));
  });
});

describe('tier hierarchy', () => {
  const none = 'NONE' as const;
  it('lets owners assign every tier', () => {
    for (const t of TIERS) expect(canAssignTier({ platformRole: none, tier: 'OWNER' }, t)).toBe(true);
  });
  it('lets admins assign admin and employee, never owner', () => {
    expect(canAssignTier({ platformRole: none, tier: 'ADMIN' }, 'OWNER')).toBe(false);
    expect(canAssignTier({ platformRole: none, tier: 'ADMIN' }, 'ADMIN')).toBe(true);
    expect(canAssignTier({ platformRole: none, tier: 'ADMIN' }, 'EMPLOYEE')).toBe(true);
  });
  it('lets employees assign nothing, even as superadmin', () => {
    for (const t of TIERS) expect(canAssignTier({ platformRole: 'SUPERADMIN', tier: 'EMPLOYEE' }, t)).toBe(false);
  });
  it('lets only owners manage owners', () => {
    expect(canManageMember({ platformRole: none, tier: 'OWNER' }, 'OWNER')).toBe(true);
    expect(canManageMember({ platformRole: none, tier: 'ADMIN' }, 'OWNER')).toBe(false);
    expect(canManageMember({ platformRole: 'SUPERADMIN', tier: 'ADMIN' }, 'OWNER')).toBe(false);
  });
  it('lets admins manage admins and employees', () => {
    expect(canManageMember({ platformRole: none, tier: 'ADMIN' }, 'ADMIN')).toBe(true);
    expect(canManageMember({ platformRole: none, tier: 'ADMIN' }, 'EMPLOYEE')).toBe(true);
  });
  it('lets employees manage nobody', () => {
    for (const t of TIERS) expect(canManageMember({ platformRole: none, tier: 'EMPLOYEE' }, t)).toBe(false);
  });
});

describe('platform powers', () => {
  it('opens the platform area to staff and above only', () => {
    expect(PLATFORM_ROLES.filter((platformRole) => canEnterPlatform({ platformRole }))).toEqual(['STAFF', 'OPERATOR', 'SUPERADMIN']);
  });
  it('lets only superadmins change platform roles, up to their own', () => {
    for (const r of PLATFORM_ROLES) {
      expect(canAssignPlatformRole({ platformRole: 'SUPERADMIN' }, r)).toBe(true);
      expect(canAssignPlatformRole({ platformRole: 'OPERATOR' }, r)).toBe(false);
    }
  });
});
