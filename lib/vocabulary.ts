import { PLATFORM_ROLES, TIERS, type PlatformRole, type Tier } from '@/lib/authz/permissions';

/**
 * The words for the schema's enums, in one place: the order in which they are offered, the label people read and,
 * where a choice needs one, a one-line description. Forms, filters, tables, the data layer's messages and the
 * framework-free core all take their lists from here. The tier and platform-role lists themselves belong to the
 * console-power table (lib/authz/permissions.ts, which ranks them); this module names them. vocabulary.test.ts
 * checks every list against the Prisma enums, so a new enum value cannot go unnamed.
 * Pure data: no `server-only`, no `next/*`, safe in client components and the decision API.
 */

export { PLATFORM_ROLES, TIERS, type PlatformRole, type Tier };

export const TIER_LABELS = { OWNER: 'Owner', ADMIN: 'Admin', EMPLOYEE: 'Employee' } as const satisfies Record<Tier, string>;

export const PLATFORM_ROLE_LABELS = {
  NONE: 'None',
  STAFF: 'Staff',
  OPERATOR: 'Operator',
  SUPERADMIN: 'Superadmin',
} as const satisfies Record<PlatformRole, string>;

export const APP_TYPES = ['SPA', 'REGULAR_WEB', 'NATIVE', 'M2M'] as const;
export type AppType = (typeof APP_TYPES)[number];

/** The types people sign in to (the access matrix's columns); M2M clients are subjects there, not columns. */
export const USER_APP_TYPES = ['SPA', 'REGULAR_WEB', 'NATIVE'] as const satisfies readonly AppType[];

export const APP_TYPE_LABELS = {
  SPA: 'Single-page app',
  REGULAR_WEB: 'Regular web app',
  NATIVE: 'Native app',
  M2M: 'Machine to machine',
} as const satisfies Record<AppType, string>;

export const ACCESS_POLICIES = ['OPEN', 'ANY_ROLE', 'ALL_ROLES'] as const;
export type AccessPolicy = (typeof ACCESS_POLICIES)[number];

export const ACCESS_POLICY_LABELS = {
  OPEN: 'Open',
  ANY_ROLE: 'Any mapped role',
  ALL_ROLES: 'All mapped roles',
} as const satisfies Record<AccessPolicy, string>;

/** One line each, shown next to the choice; must agree with lib/access/decide.ts. */
export const ACCESS_POLICY_DESCRIPTIONS = {
  OPEN: 'Any member of the organization may sign in; roles are not checked.',
  ANY_ROLE: 'Only people or clients holding at least one of the roles mapped to it; with no role mapped, nobody.',
  ALL_ROLES: 'Only people or clients holding every role mapped to it; with no role mapped, nobody.',
} as const satisfies Record<AccessPolicy, string>;

/** A select's or a filter's options, in the vocabulary's order. */
export function optionsOf<V extends string>(values: readonly V[], labels: Record<V, string>): { value: V; label: string }[] {
  return values.map((value) => ({ value, label: labels[value] }));
}
