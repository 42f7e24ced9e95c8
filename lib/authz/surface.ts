import type { OrgPermission } from './permissions';

/**
 * Every org server action and org page, with the console permission it needs. `orgAction` takes its permission
 * from here by the action's exported name, so an action cannot exist without a row; the authorization suite
 * (e2e/authorization.spec.ts) calls every action and page found in the build as each tier, a non-member and a
 * member of another org, and derives the expected answer from this table and `TIER_PERMISSIONS`.
 * Finer rules (an admin never touches an owner, the last owner stays) live in policy.ts and the data layer.
 */
export const ORG_ACTION_POLICY = {
  saveOrgSettings: 'org:settings',
  inviteMembers: 'members:invite',
  resendInvitation: 'invitations:manage',
  revokeInvitation: 'invitations:manage',
  changeMemberTier: 'members:manage',
  grantMemberRole: 'members:manage',
  revokeMemberRole: 'members:manage',
  removeMember: 'members:manage',
  transferOwnership: 'ownership:transfer',
  leaveOrg: 'org:read',
} as const satisfies Record<string, OrgPermission>;
export type OrgActionName = keyof typeof ORG_ACTION_POLICY;

/** Org pages by their path below /orgs/<slug> ('' is the overview). */
export const ORG_PAGE_POLICY = {
  '': 'org:read',
  members: 'members:read',
  invitations: 'invitations:read',
  access: 'access:read',
  clients: 'clients:read',
  audit: 'audit:read',
  settings: 'org:settings',
} as const satisfies Record<string, OrgPermission>;
export type OrgPage = keyof typeof ORG_PAGE_POLICY;
