import type { OrgPermission, PlatformPermission } from './permissions';

/**
 * Every org server action and org page, with the console permission it needs. `orgAction` takes its permission
 * from here by the action's exported name, so an action cannot exist without a row; the authorization suite
 * (e2e/authorization.spec.ts) calls every action and page found in the build as each tier, a non-member and a
 * member of another org, and derives the expected answer from this table and `TIER_PERMISSIONS`.
 * Finer rules (an admin never touches an owner, the last owner stays) live in policy.ts and the data layer.
 */
export const ORG_ACTION_POLICY = {
  saveOrgSettings: 'org:settings',
  grantFromOrgMatrix: 'access:write',
  revokeFromOrgMatrix: 'access:write',
  inviteMembers: 'members:invite',
  resendInvitation: 'invitations:manage',
  revokeInvitation: 'invitations:manage',
  changeMemberTier: 'members:manage',
  grantMemberRole: 'members:manage',
  revokeMemberRole: 'members:manage',
  removeMember: 'members:manage',
  transferOwnership: 'ownership:transfer',
  leaveOrg: 'org:read',
  // Bulk import into this org (app/(console)/orgs/[orgSlug]/imports); admins never import owners (policy.ts).
  startOrgImport: 'members:manage',
  runOrgImport: 'members:manage',
  cancelOrgImport: 'members:manage',
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
  imports: 'members:manage',
  'imports/[jobId]': 'members:manage',
} as const satisfies Record<string, OrgPermission>;
export type OrgPage = keyof typeof ORG_PAGE_POLICY;

/** Every platform server action, by exported name, with the platform permission it needs. */
export const PLATFORM_ACTION_POLICY = {
  // Catalog: APIs and permissions, roles, applications (app/(platform)/platform/{apis,roles,applications}).
  createApi: 'catalog:write',
  updateApi: 'catalog:write',
  deleteApi: 'catalog:write',
  createPermission: 'catalog:write',
  deletePermission: 'catalog:write',
  createRole: 'catalog:write',
  updateRole: 'catalog:write',
  deleteRole: 'catalog:write',
  setRolePermissions: 'catalog:write',
  setRoleApplications: 'catalog:write',
  createApplication: 'catalog:write',
  updateApplication: 'catalog:write',
  deleteApplication: 'catalog:write',
  setApplicationRole: 'catalog:write',
  // Role assignments to users and M2M clients, global or per org (app/(platform)/platform/{clients,users}).
  createAssignment: 'catalog:write',
  deleteAssignment: 'catalog:write',
  // Default-role rules (app/(platform)/platform/rules).
  createRule: 'catalog:write',
  updateRule: 'catalog:write',
  deleteRule: 'catalog:write',
  moveRule: 'catalog:write',
  backfillRule: 'catalog:write',
  // The rule form's live "this would match N users" (a read: the dry run, which platform:read may see too).
  previewRuleMatches: 'platform:read',
  // The global access matrix (app/(platform)/platform/matrix).
  grantFromPlatformMatrix: 'catalog:write',
  revokeFromPlatformMatrix: 'catalog:write',
  // The link from an org to its Auth0 organization (app/(platform)/platform/orgs).
  setOrgAuth0Link: 'catalog:write',
  // Suspending and reinstating an org (app/(platform)/platform/orgs/[orgId]): superadmins only.
  suspendOrg: 'orgs:suspend',
  unsuspendOrg: 'orgs:suspend',
  // Decision API keys (app/(platform)/platform/api-keys).
  createApiKey: 'api_keys:manage',
  revokeApiKey: 'api_keys:manage',
  // Blocking users (app/(platform)/platform/users) and platform roles (app/(platform)/platform/staff): superadmins.
  blockUser: 'users:block',
  unblockUser: 'users:block',
  setPlatformRole: 'staff:manage',
  // Bulk import (app/(platform)/platform/imports).
  startPlatformImport: 'import:run',
  runPlatformImport: 'import:run',
  cancelPlatformImport: 'import:run',
} as const satisfies Record<string, PlatformPermission>;
export type PlatformActionName = keyof typeof PLATFORM_ACTION_POLICY;

/** Platform pages by their path below /platform ('' is the dashboard). Reading is for all platform roles. */
export const PLATFORM_PAGE_POLICY = {
  '': 'platform:read',
  apis: 'platform:read',
  roles: 'platform:read',
  applications: 'platform:read',
  clients: 'platform:read',
  rules: 'platform:read',
  matrix: 'platform:read',
  orgs: 'platform:read',
  'orgs/[orgId]': 'platform:read',
  'apis/[apiId]': 'platform:read',
  'roles/[roleId]': 'platform:read',
  'applications/[applicationId]': 'platform:read',
  'clients/[clientId]': 'platform:read',
  'rules/[ruleId]': 'platform:read',
  'api-keys': 'api_keys:manage',
  install: 'platform:read',
  users: 'platform:read',
  'users/[userId]': 'platform:read',
  staff: 'platform:read',
  audit: 'platform_audit:read',
  'audit/[eventId]': 'platform_audit:read',
  imports: 'import:run',
  'imports/[jobId]': 'import:run',
} as const satisfies Record<string, PlatformPermission>;
export type PlatformPage = keyof typeof PLATFORM_PAGE_POLICY;

/** Org route handlers (GET, JSON or CSV) by their path below /orgs/<slug>. */
export const ORG_ROUTE_POLICY = {
  'access/rows': 'access:read',
  'access/export': 'access:read',
  'audit/export': 'audit:read',
  'imports/[jobId]/status': 'members:manage',
  'imports/[jobId]/report': 'members:manage',
} as const satisfies Record<string, OrgPermission>;
export type OrgRoute = keyof typeof ORG_ROUTE_POLICY;

/** Platform route handlers by their path below /platform. */
export const PLATFORM_ROUTE_POLICY = {
  'matrix/rows': 'platform:read',
  'matrix/export': 'platform:read',
  'orgs/export': 'platform:read',
  // "Who can reach this" as CSV (one application, or all).
  'applications/reach': 'platform:read',
  // The org picker's search (the platform matrix's organization filter).
  'orgs/search': 'platform:read',
  'audit/export': 'platform_audit:read',
  'imports/[jobId]/status': 'import:run',
  'imports/[jobId]/report': 'import:run',
} as const satisfies Record<string, PlatformPermission>;
export type PlatformRoute = keyof typeof PLATFORM_ROUTE_POLICY;
