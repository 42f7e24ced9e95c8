/**
 * Console powers: who may administer what inside Gatehouse. This table is the only place that maps a membership
 * tier or a platform role to what it may do; everything else asks `lib/authz/policy.ts`.
 * (Access to the customer's applications is data, not code: see lib/access.)
 */

export const TIERS = ['OWNER', 'ADMIN', 'EMPLOYEE'] as const;
export type Tier = (typeof TIERS)[number];

export const PLATFORM_ROLES = ['NONE', 'STAFF', 'OPERATOR', 'SUPERADMIN'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Powers inside one org, granted by the membership tier. */
export const ORG_PERMISSIONS = {
  'org:read': 'See the org overview and what you can reach',
  'members:read': 'See the members list with tiers, roles and last sign-in',
  'members:invite': 'Invite people to the org (never as owner unless you are an owner)',
  'members:manage': "Change members' tiers and org roles, and remove members below or at your tier",
  'ownership:transfer': 'Transfer ownership of the org to another member',
  'invitations:read': 'See pending, expired and accepted invitations',
  'invitations:manage': 'Resend and revoke invitations',
  'access:read': "See the org's access matrix",
  'access:write': 'Grant and revoke org-scoped roles from the access matrix',
  'clients:read': 'See the M2M clients acting in this org and their roles',
  'audit:read': "Read the org's audit log",
  'org:settings': "Change the org's name and invitation expiry",
} as const;
export type OrgPermission = keyof typeof ORG_PERMISSIONS;

/** Powers over the whole platform, granted by the user's platform role. */
export const PLATFORM_PERMISSIONS = {
  'platform:read': 'See the platform dashboard, every org and user (read-only, every look is audited)',
  'platform_audit:read': 'Read the global audit log',
  'catalog:write': 'Edit APIs, permissions, roles, applications, mappings, rules, role assignments and orgs’ Auth0 organization links',
  'import:run': 'Run bulk imports of users',
  'api_keys:manage': 'Create and revoke decision API keys',
  'staff:manage': 'Decide who is platform staff, operator or superadmin',
  'orgs:suspend': 'Suspend and reinstate orgs',
  'users:block': 'Block and unblock users (a blocked user is denied everything and signed out)',
} as const;
export type PlatformPermission = keyof typeof PLATFORM_PERMISSIONS;

export type ConsolePermission = OrgPermission | PlatformPermission;

export const PERMISSION_DESCRIPTIONS: Record<ConsolePermission, string> = {
  ...ORG_PERMISSIONS,
  ...PLATFORM_PERMISSIONS,
};

const ALL_ORG = Object.keys(ORG_PERMISSIONS) as OrgPermission[];

export const TIER_PERMISSIONS = {
  OWNER: ALL_ORG,
  ADMIN: [
    'org:read',
    'members:read',
    'members:invite',
    'members:manage',
    'invitations:read',
    'invitations:manage',
    'access:read',
    'access:write',
    'clients:read',
    'audit:read',
  ],
  EMPLOYEE: ['org:read'],
} as const satisfies Record<Tier, readonly OrgPermission[]>;

export const PLATFORM_ROLE_PERMISSIONS = {
  NONE: [],
  STAFF: ['platform:read', 'platform_audit:read'],
  OPERATOR: ['platform:read', 'platform_audit:read', 'catalog:write', 'import:run', 'api_keys:manage'],
  SUPERADMIN: [
    'platform:read',
    'platform_audit:read',
    'catalog:write',
    'import:run',
    'api_keys:manage',
    'staff:manage',
    'orgs:suspend',
    'users:block',
  ],
} as const satisfies Record<PlatformRole, readonly PlatformPermission[]>;

/** Higher outranks lower. Used for "may this actor act on that member". */
export const TIER_RANK = { OWNER: 3, ADMIN: 2, EMPLOYEE: 1 } as const satisfies Record<Tier, number>;

export const PLATFORM_RANK = { NONE: 0, STAFF: 1, OPERATOR: 2, SUPERADMIN: 3 } as const satisfies Record<
  PlatformRole,
  number
>;

export function isOrgPermission(p: ConsolePermission): p is OrgPermission {
  return p in ORG_PERMISSIONS;
}
