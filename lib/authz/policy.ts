import {
  isOrgPermission,
  PLATFORM_RANK,
  PLATFORM_ROLE_PERMISSIONS,
  TIER_PERMISSIONS,
  TIER_RANK,
  type ConsolePermission,
  type PlatformRole,
  type Tier,
} from './permissions';
import type { Actor } from './types';

/** True when the actor holds the console permission (org permissions need a tier in that org). */
export function can(actor: Actor, permission: ConsolePermission): boolean {
  if (isOrgPermission(permission)) {
    if (!actor.tier) return false;
    return (TIER_PERMISSIONS[actor.tier] as readonly string[]).includes(permission);
  }
  return (PLATFORM_ROLE_PERMISSIONS[actor.platformRole] as readonly string[]).includes(permission);
}

/** True when the actor may give someone this tier (invite with it, or change a member to it). */
export function canAssignTier(actor: Actor, tier: Tier): boolean {
  if (!actor.tier) return false;
  if (!can(actor, 'members:invite') && !can(actor, 'members:manage')) return false;
  // Owners may assign any tier; admins may assign admin and employee, never owner.
  return TIER_RANK[actor.tier] >= TIER_RANK[tier] && (tier !== 'OWNER' || actor.tier === 'OWNER');
}

/** True when the actor may change or remove a member who currently has `targetTier`. */
export function canManageMember(actor: Actor, targetTier: Tier): boolean {
  if (!actor.tier || !can(actor, 'members:manage')) return false;
  if (targetTier === 'OWNER') return actor.tier === 'OWNER';
  return TIER_RANK[actor.tier] >= TIER_RANK[targetTier];
}

/** True when the actor may set another user's platform role to `role`. */
export function canAssignPlatformRole(actor: Actor, role: PlatformRole): boolean {
  return can(actor, 'staff:manage') && PLATFORM_RANK[actor.platformRole] >= PLATFORM_RANK[role];
}

/** True when the actor may see anything under /platform. */
export function canEnterPlatform(actor: Actor): boolean {
  return can(actor, 'platform:read');
}
