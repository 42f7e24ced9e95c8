/**
 * The inputs and output of the one access decision (lib/access/decide.ts). Everything here is plain data, so the
 * decision is a pure function: loaders (lib/access/load.ts) read the facts from the database, in bulk for the
 * matrix, and the decision API, the matrix, "explain" and the Auth0 Actions all ask `decide`.
 */

import type { AccessPolicy, AppType, Tier } from '@/lib/vocabulary';

export type { AccessPolicy, AppType, Tier };

export interface PermissionRef {
  /** The API's audience (identifier), e.g. `https://api.example.com`. */
  audience: string;
  /** e.g. `read:config`. */
  value: string;
}

export interface CatalogRole {
  id: string;
  key: string;
  name: string;
  /** Set on the three built-in roles that stand for a membership tier (`org:owner`, `org:admin`, `org:employee`). */
  tier: Tier | null;
  permissions: PermissionRef[];
  applicationIds: string[];
}

export interface CatalogApplication {
  id: string;
  name: string;
  clientId: string;
  type: AppType;
  accessPolicy: AccessPolicy;
  /** Roles mapped to the application (the role → application links). */
  roleIds: string[];
}

/** The role catalog. `roles` holds at least every role the subject's assignments and tier refer to. */
export interface Catalog {
  roles: ReadonlyMap<string, CatalogRole>;
  /**
   * Optional index of `roles` by tier (the built-in tier roles), for callers that decide many times over one catalog
   * (the decision API's snapshot): decide then need not scan every role. Build it with `indexRolesByTier` (decide.ts).
   */
  rolesByTier?: ReadonlyMap<Tier, readonly CatalogRole[]>;
}

export interface AssignmentFact {
  id: string;
  roleId: string;
  /** null: global (every org and no org). */
  orgId: string | null;
  expiresAt: Date | null;
}

export type SubjectFacts =
  | {
      kind: 'user';
      id: string;
      blocked: boolean;
      /** The user's membership in the org asked about (null when no org is asked about, or not a member). */
      membership: { orgId: string; tier: Tier } | null;
      /** All of the user's assignments; decide keeps the global ones and those of the org asked about. */
      assignments: AssignmentFact[];
    }
  | {
      kind: 'client';
      /** The Application row id of the M2M client. */
      id: string;
      assignments: AssignmentFact[];
    };

export interface OrgFact {
  id: string;
  slug: string;
  suspended: boolean;
}

export type Target =
  | { kind: 'none' }
  | { kind: 'application'; application: CatalogApplication }
  | { kind: 'permission'; audience: string; permission: string }
  /** May the subject obtain a token for this API (has at least one of its permissions)? (client credentials) */
  | { kind: 'audience'; audience: string };

export interface DecideInput {
  subject: SubjectFacts;
  org: OrgFact | null;
  target: Target;
  /** Only list permissions of this API (for tokens). Does not change `allow`. */
  audience?: string;
  now: Date;
  catalog: Catalog;
}

export type RoleSource =
  | { kind: 'tier'; tier: Tier }
  | { kind: 'assignment'; assignmentId: string; scope: 'global' | 'org'; expiresAt: Date | null };

export interface EffectiveRole {
  id: string;
  key: string;
  name: string;
  /** Every reason the subject holds the role (a tier and an assignment may both give it). */
  sources: RoleSource[];
}

export type AllowCode =
  | 'member' // target none, org given: a member (user), or a client with an unexpired assignment scoped to that org
  | 'no_org' // target none, no org given: global roles only
  | 'open_application'
  | 'granted_by_role'; // application (ANY_ROLE / ALL_ROLES), permission or audience, by the roles in `via`

export type DenyCode =
  | 'user_blocked'
  | 'org_suspended'
  | 'not_a_member' // user: no membership in the org asked about; client: no unexpired assignment scoped to that org
  | 'no_roles_mapped' // ANY_ROLE / ALL_ROLES application with no role mapped: nobody gets in
  | 'missing_role' // ANY_ROLE: holds none of the application's roles
  | 'missing_roles' // ALL_ROLES: lacks some of them (listed in `missing`)
  | 'missing_permission'; // permission or audience target

export interface Reason {
  code: AllowCode | DenyCode;
  /** One sentence for people (the matrix tooltip, the explain view, the API's `reason`). */
  message: string;
  /** Role keys that made it so (allow), in catalog key order. */
  via?: string[];
  /** Role keys that are missing (missing_role lists the application's roles; missing_roles the ones lacking). */
  missing?: string[];
}

export interface Decision {
  allow: boolean;
  /** Effective roles, sorted by key. Empty for a blocked user. */
  roles: EffectiveRole[];
  /** Union of the effective roles' permissions (only `audience`'s when given), deduplicated, sorted. */
  permissions: PermissionRef[];
  reason: Reason;
}
